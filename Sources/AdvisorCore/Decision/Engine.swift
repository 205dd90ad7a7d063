/// Walks the decision tree of a rule set. No branch of the tree is written here: the engine only knows
/// how to test an input against a branch's interval or choices.
public struct Engine: Sendable {
    public let rules: RuleSet

    public init(rules: RuleSet) { self.rules = rules }

    /// The patterns of the leaves reachable from each node and leaf (worked out at load: `DecisionTree.reachable`).
    static func reachable(_ tree: DecisionTree) -> [String: Set<String>] {
        var reachable: [String: Set<String>] = [:]
        for (id, leaf) in tree.leaves { reachable[id] = [leaf.pattern] }
        var visiting: Set<String> = []
        func visit(_ id: String) -> Set<String> {
            if let known = reachable[id] { return known }
            guard let node = tree.nodes[id], visiting.insert(id).inserted else { return [] }
            let patterns = node.branches.reduce(into: Set<String>()) { $0.formUnion(visit($1.next)) }
            reachable[id] = patterns
            return patterns
        }
        for id in tree.nodes.keys { _ = visit(id) }
        return reachable
    }

    /// The tree's message templates (leaf reasons, alternatives, companions), parsed at load: a design check
    /// renders them for every one of thousands of workloads.
    static func templates(_ tree: DecisionTree) -> [String: MessageTemplate] {
        var texts: [String] = []
        for leaf in tree.leaves.values { texts += [leaf.because] + (leaf.alternatives ?? []).map(\.value.why) }
        for node in tree.nodes.values { for branch in node.branches { texts += branch.companions.map(\.why) } }
        var templates: [String: MessageTemplate] = [:]
        for text in texts where templates[text] == nil { templates[text] = try? MessageTemplate(text) }
        return templates
    }

    /// A tree text with its `{…}` holes filled in; the text as written when it cannot be.
    private func render(_ text: String, _ scope: Scope) -> String {
        guard let template = rules.tree.templates[text] ?? (try? MessageTemplate(text)) else { return text }
        return (try? template.render(scope)) ?? text
    }

    public struct EngineError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// One step of a walk: the node and the index of the branch taken.
    public struct Step: Sendable {
        public var node: String
        public var branch: Int
    }

    /// Which branches of a node match the scope (exactly one in a sound tree).
    public func matchingBranches(_ node: CompiledNode, _ scope: Scope) throws(EngineError) -> [Int] {
        guard let value = scope[node.inputKey] else {
            throw EngineError(message: "tree node '\(node.id)' tests '\(node.input)', which has no value")
        }
        var matches: [Int] = []
        var otherwise: [Int] = []
        for (index, branch) in node.branches.enumerated() {
            switch branch.condition {
            case .otherwise:
                otherwise.append(index)
            case .choices(let values):
                if case .string(let chosen) = value, values.contains(chosen) { matches.append(index) }
            case .interval(let interval):
                guard case .number(let n) = value else { continue }
                do { if try interval.contains(n, scope) { matches.append(index) } }
                catch { throw EngineError(message: "tree node '\(node.id)': \(error.message)") }
            }
        }
        // "else" catches what no other branch does; several "else" branches are an overlap lint reports.
        return matches.isEmpty ? otherwise : matches
    }

    /// The branch the walk takes at `node`: the first that matches, or the first "else" when none does —
    /// `matchingBranches(node, scope).first` without making the lists (the walk and the not-chosen search
    /// ask it hundreds of thousands of times in a large `check`). `rules lint` reports overlaps and
    /// conditions that cannot be evaluated; here a condition after the match is not evaluated at all.
    func firstMatchingBranch(_ node: CompiledNode, _ scope: Scope) throws(EngineError) -> Int? {
        guard let value = scope[node.inputKey] else {
            throw EngineError(message: "tree node '\(node.id)' tests '\(node.input)', which has no value")
        }
        var otherwise: Int?
        for index in node.branches.indices {
            switch node.branches[index].condition {
            case .otherwise:
                if otherwise == nil { otherwise = index }
            case .choices(let values):
                if case .string(let chosen) = value, values.contains(chosen) { return index }
            case .interval(let interval):
                guard case .number(let n) = value else { continue }
                do { if try interval.contains(n, scope) { return index } }
                catch { throw EngineError(message: "tree node '\(node.id)': \(error.message)") }
            }
        }
        return otherwise
    }

    /// The path from the root to a leaf for these values.
    public func walk(_ scope: Scope) throws(EngineError) -> (steps: [Step], leaf: DecisionTree.Leaf) {
        var steps: [Step] = []
        var current = rules.tree.root
        while let node = rules.tree.nodes[current] {
            guard let first = try firstMatchingBranch(node, scope) else {
                throw EngineError(message: "no branch of tree node '\(node.id)' matches \(node.input) = \(scope[node.input]?.description ?? "?"); run 'async-advisor rules lint'")
            }
            steps.append(Step(node: node.id, branch: first))
            current = node.branches[first].next
            guard steps.count <= rules.tree.nodes.count else { throw EngineError(message: "the tree has a cycle at '\(node.id)'") }
        }
        guard let leaf = rules.tree.leaves[current] else { throw EngineError(message: "'\(current)' is neither a node nor a leaf") }
        return (steps, leaf)
    }

    /// The scope for evaluating rules about one pattern.
    public static func scope(_ base: Scope, pattern: Pattern) -> Scope {
        base.overlaying([(.pattern, .string(pattern.id)), (.lambdaBased, .bool(pattern.lambdaBased))])
    }

    /// The hard limits of `patternID` this workload exceeds (empty when the pattern can run it).
    public func violations(of patternID: String, _ base: Scope) -> [Violation] {
        guard let pattern = rules.pattern(patternID) else { return [] }
        let scope = Self.scope(base, pattern: pattern)
        return (rules.patternConstraints[patternID] ?? []).compactMap { constraint in
            guard (try? constraint.when.evaluateBool(scope)) == true else { return nil }
            let message = (try? constraint.message.render(scope)) ?? constraint.message.source
            return Violation(id: constraint.id, message: message, source: constraint.source)
        }
    }

    /// The advisory warnings for `patternID`, plus those the walk's branches raised.
    public func warnings(for patternID: String, raised: [String], _ base: Scope) -> [Recommendation.Warning] {
        guard let pattern = rules.pattern(patternID) else { return [] }
        let scope = Self.scope(base, pattern: pattern)
        var result: [Recommendation.Warning] = []
        for warning in rules.warnings {
            let applies: Bool
            if let when = warning.when { applies = (try? when.evaluateBool(scope)) == true }
            else { applies = raised.contains(warning.rule.id) }
            guard applies, !result.contains(where: { $0.id == warning.rule.id }) else { continue }
            let message = (try? warning.message.render(scope)) ?? warning.message.source
            result.append(Recommendation.Warning(id: warning.rule.id, message: message, source: warning.rule.source))
        }
        return result
    }

    /// How much of a recommendation to work out.
    public enum Detail: Sendable {
        /// Everything a person reads: every step's reason, companions, warnings, why each other pattern lost.
        case full
        /// What a design check of thousands of workloads reads: the pattern, its alternatives, the walk and the
        /// leaf's reason. `path` holds only the leaf's step; `companions`, `warnings` and `notChosen` stay
        /// empty (a check asks `whyNot` and `warnings` about the pattern the team chose instead).
        case verdict
    }

    /// The recommendation for these answers.
    public func recommend(_ answers: Answers, detail: Detail = .full) throws(EngineError) -> Recommendation {
        let base = answers.scope(rules: rules)
        let (steps, leaf) = try walk(base)
        guard let chosen = rules.pattern(leaf.pattern) else { throw EngineError(message: "unknown pattern '\(leaf.pattern)'") }
        let scope = Self.scope(base, pattern: chosen)

        var path: [Recommendation.Step] = []
        var raised: [String] = []
        var companions: [Recommendation.Reasoned] = []
        for step in steps {
            let node = rules.tree.nodes[step.node]!
            let branch = node.branches[step.branch]
            raised += branch.warnings
            guard detail == .full else { continue }
            let because = (try? branch.because.render(scope)) ?? branch.because.source
            path.append(Recommendation.Step(rule: node.rule, because: because, source: branch.source ?? node.source, input: node.input))
            for companion in branch.companions where !companions.contains(where: { $0.id == companion.pattern }) {
                let why = render(companion.why, scope)
                companions.append(Recommendation.Reasoned(id: companion.pattern, name: rules.pattern(companion.pattern)?.name ?? companion.pattern, why: why))
            }
        }
        let leafBecause = render(leaf.because, scope)
        path.append(Recommendation.Step(rule: "leaf", because: leafBecause, source: leaf.source))

        var alternatives: [Recommendation.Reasoned] = []
        for located in leaf.alternatives ?? [] {
            let alternative = located.value
            if let when = alternative.when, let expression = rules.expressions[when], (try? expression.evaluateBool(scope)) != true { continue }
            guard alternative.pattern != chosen.id, !alternatives.contains(where: { $0.id == alternative.pattern }),
                  violations(of: alternative.pattern, base).isEmpty else { continue }
            let why = render(alternative.why, scope)
            alternatives.append(Recommendation.Reasoned(id: alternative.pattern, name: rules.pattern(alternative.pattern)?.name ?? alternative.pattern, why: why))
        }

        let mentioned = Set([chosen.id] + alternatives.map(\.id) + companions.map(\.id))
        var notChosen: [Recommendation.NotChosen] = []
        if detail == .full {
            let search = Counterfactual(engine: self, base: base)
            notChosen = rules.patterns.filter { !mentioned.contains($0.id) }.map { pattern in
                whyNot(pattern.id, answers: answers, base: base, search: search)
            }
        }
        return Recommendation(
            pattern: .init(id: chosen.id, name: chosen.name),
            alternatives: alternatives,
            companions: companions,
            path: path,
            warnings: detail == .full ? warnings(for: chosen.id, raised: raised, base) : [],
            notChosen: notChosen,
            answers: answers,
            leafID: leaf.id,
            raisedWarnings: raised,
            scope: base)
    }

    /// Why a pattern lost (SPEC §5): a hard limit it cannot meet; else the smallest set of input changes
    /// that makes the tree choose it, proven by walking the tree with them; else the tests of the workload
    /// that rule it out.
    public func whyNot(_ patternID: String, answers: Answers, base: Scope) -> Recommendation.NotChosen {
        whyNot(patternID, answers: answers, base: base, search: Counterfactual(engine: self, base: base))
    }

    func whyNot(_ patternID: String, answers: Answers, base: Scope, search: Counterfactual) -> Recommendation.NotChosen {
        if let violation = violations(of: patternID, base).first {
            return .init(id: patternID, why: violation.message, infeasible: true)
        }
        if let found = search.search(patternID, answers: answers, base: base) {
            let flags = found.changes.map { change in
                let flag = rules.input(change.id)?.flag ?? change.id
                return change.text.map { "--\(flag) \($0)" } ?? "no --\(flag)"
            }
            return .init(id: patternID, why: "would be chosen with `\(flags.joined(separator: " "))`: \(found.because)",
                         infeasible: false, wouldBeChosenWith: found.changes)
        }
        let needs = search.nearest(patternID, base: base)
        let why = needs.isEmpty ? "no leaf of the decision tree recommends it"
            : "no change of up to three inputs makes the tree choose it for this workload: it needs \(needs.joined(separator: ", "))"
        return .init(id: patternID, why: why, infeasible: false)
    }

    private func describe(_ value: Value, input: String) -> String {
        guard let rule = rules.input(input) else { return value.description }
        return InputValue.format(value, for: rule)
    }

    func describe(_ condition: Condition, node: CompiledNode, _ scope: Scope) -> String {
        switch condition {
        case .choices(let values): return "\(node.input) " + (values.count == 1 ? "= \(values[0])" : "in \(values.joined(separator: ", "))")
        case .otherwise:
            let others = node.branches.compactMap { branch -> [String]? in
                if case .choices(let values) = branch.condition { return values } else { return nil }
            }.flatMap { $0 }
            return others.isEmpty ? "another \(node.input)" : "\(node.input) other than \(others.joined(separator: ", "))"
        case .interval(let interval):
            guard let (low, high) = try? interval.bounds(scope) else { return interval.describe(node.input) }
            let format: (Double) -> String = { value in
                guard let rule = self.rules.input(node.input) else { return Value.formatNumber(value) }
                return InputValue.format(.number(value), for: rule)
            }
            var parts: [String] = []
            if low > 0 { parts.append("\(node.input) \(interval.lowerInclusive ? "≥" : ">") \(format(low))") }
            if high.isFinite { parts.append("\(node.input) \(interval.upperInclusive ? "≤" : "<") \(format(high))") }
            return parts.isEmpty ? "any \(node.input)" : parts.joined(separator: " and ")
        }
    }

    /// Patterns of every leaf reachable from a node or leaf id.
    public func reachablePatterns(from id: String) -> Set<String> {
        rules.tree.reachable[id] ?? []
    }
}
