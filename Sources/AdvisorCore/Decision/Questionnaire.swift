/// Decides which question comes next: only inputs the decision tree reads on the path the answers so far
/// allow (plus those a rule asks for anyway, like the cost inputs), in the order of the rule file.
public struct Questionnaire: Sendable {
    public let rules: RuleSet

    public init(rules: RuleSet) { self.rules = rules }

    /// Answers so far: input id → text typed, or nil when the default was taken.
    public typealias Given = [String: String?]

    /// The groups asked, in order; other groups (the account's concurrency limit) stay flags only.
    public static let groups = ["workload", "cost"]

    public func next(_ given: Given) -> InputRule? {
        let (scope, known) = partialScope(given)
        let needed = inputsRead(scope: scope, known: known)
        for group in Self.groups {
            for input in rules.inputs where (input.group ?? "workload") == group && given[input.id] == nil {
                if needed.contains(input.id) { return input }
                if let askWhen = input.askWhen, let expression = rules.expressions[askWhen],
                   expression.names.isSubset(of: known), (try? expression.evaluateBool(scope)) == true {
                    return input
                }
            }
        }
        return nil
    }

    /// The raw answers for `Answers.resolve`: only what was typed (defaults stay defaults).
    public func raw(_ given: Given) -> [String: String] {
        given.compactMapValues { $0 }
    }

    /// Values known so far (typed, or the default taken), and their names.
    func partialScope(_ given: Given) -> (Scope, Set<String>) {
        var scope = Scope()
        var known: Set<String> = []
        for input in rules.inputs {
            guard let answer = given[input.id] else { continue }
            var text = answer
            var computed: Expression?
            if text == nil {
                let conditional = input.defaultWhen?.first { rules.holds($0.when, in: scope) }
                text = conditional == nil ? input.default : conditional?.value
                computed = conditional?.expression.flatMap { rules.expressions[$0] }
            } else {
                scope[Name.given(input.id)] = .bool(true)
            }
            if text == nil, let computed, let value = try? computed.evaluate(scope) {
                scope[input.key] = value
                known.insert(input.id)
                continue
            }
            if let text, let value = try? InputValue.parse(text, for: input) {
                scope[input.key] = value
                known.insert(input.id)
            } else if let expression = input.defaultExpression.flatMap({ rules.expressions[$0] }), let value = try? expression.evaluate(scope) {
                scope[input.key] = value
                known.insert(input.id)
            }
        }
        if case .string(let entry)? = scope[.entry], rules.doorTimes[entry] != nil {
            rules.enter(entry, into: &scope)
            known.formUnion(RuleSet.doorNames)
        }
        return (scope, known)
    }

    /// Inputs the tree may still read, given what is known: a walk that follows the one matching branch
    /// where the answers decide it, and every branch where they do not.
    func inputsRead(scope: Scope, known: Set<String>) -> Set<String> {
        var read: Set<String> = []
        var visited: Set<String> = []
        let engine = Engine(rules: rules)
        let entries = rules.input("entry")?.choices?.map(\.value) ?? []

        func visit(_ id: String) {
            guard let node = rules.tree.nodes[id], visited.insert(id).inserted else { return }
            var boundNames: Set<String> = []
            for branch in node.branches { if case .interval(let interval) = branch.condition { boundNames.formUnion(interval.names) } }
            guard known.contains(node.input) else {
                read.insert(node.input)
                for branch in node.branches { visit(branch.next) }
                return
            }
            let needsEntry = !boundNames.isDisjoint(with: RuleSet.doorNames) && !known.contains("entry")
            let otherUnknown = boundNames.subtracting(RuleSet.doorNames).filter { rules.input($0) != nil && !known.contains($0) }
            if !otherUnknown.isEmpty {
                read.formUnion(otherUnknown)
                if needsEntry { read.insert("entry") }
                for branch in node.branches { visit(branch.next) }
                return
            }
            if needsEntry {
                var outcomes: Set<Int> = []
                for entry in entries {
                    var trial = scope
                    rules.enter(entry, into: &trial)
                    if let first = try? engine.matchingBranches(node, trial).first { outcomes.insert(first) }
                }
                if outcomes.count > 1 { read.insert("entry") }
                for index in outcomes.sorted() { visit(node.branches[index].next) }
                return
            }
            if let first = try? engine.matchingBranches(node, scope).first { visit(node.branches[first].next) }
        }
        visit(rules.tree.root)
        return read
    }
}

extension Questionnaire {
    /// The values known so far, for showing defaults and offered choices.
    public func partialScopeForDisplay(_ given: Given) -> Scope { partialScope(given).0 }
}
