/// "Not chosen" by search (SPEC §5): the smallest set of input changes that makes the tree choose a pattern,
/// proven by resolving the changed answers and walking the tree with them.
///
/// A change set that leads to pattern P follows some path from the root to a leaf of P, so it must make
/// every test on that path hold. The search therefore looks at each path to a leaf of P, at the tests the
/// workload fails there, and at the inputs that can mend each one: the input the node tests, or the front
/// door where the test's bound is a door's window. Sets of one, two and three such inputs are tried, each
/// input taking the values of its domain: its choices, or for durations, rates and counts every bound the
/// tree tests and the values 1 unit either side. Nothing about any pattern is written here.
struct Counterfactual {
    let rules: RuleSet
    let engine: Engine
    /// Every path from the root to each leaf, worked out once per search of all patterns.
    private let paths: [String: [[Engine.Step]]]
    private let searchable: [String]

    init(engine: Engine) {
        self.engine = engine
        rules = engine.rules
        paths = Self.paths(engine.rules.tree)
        searchable = Self.searchableInputs(engine.rules)
    }

    /// One change set that reaches the pattern.
    struct Found {
        /// Input id and the value as a user would type it; nil where the input must be left out.
        var changes: [(id: String, text: String?)]
        /// The leaf's reason under the changed answers.
        var because: String
    }

    /// The paths from the root to each leaf, as (node, branch) steps.
    private static func paths(_ tree: DecisionTree) -> [String: [[Engine.Step]]] {
        var result: [String: [[Engine.Step]]] = [:]
        var steps: [Engine.Step] = []
        func visit(_ id: String) {
            if tree.leaves[id] != nil { result[id, default: []].append(steps); return }
            guard let node = tree.nodes[id], steps.count <= tree.nodes.count else { return }
            for (index, branch) in node.branches.enumerated() {
                steps.append(Engine.Step(node: id, branch: index))
                visit(branch.next)
                steps.removeLast()
            }
        }
        visit(tree.root)
        return result
    }

    /// The smallest change set (at most three inputs) that makes the tree choose `patternID`, or nil.
    func search(_ patternID: String, answers: Answers, base: Scope) -> Found? {
        let targets = self.targets(patternID)
        guard !targets.isEmpty else { return nil }
        var best: (key: [Int], found: Found)?
        for size in 1...3 {
            for path in targets {
                guard let found = search(path, size: size, answers: answers, base: base, patternID: patternID) else { continue }
                if best == nil || found.key.lexicographicallyPrecedes(best!.key) { best = found }
            }
            if let best { return best.found }
        }
        return nil
    }

    private func targets(_ patternID: String) -> [[Engine.Step]] {
        rules.tree.leafOrder.filter { rules.tree.leaves[$0]?.pattern == patternID }.flatMap { paths[$0] ?? [] }
    }

    /// What rules a pattern out when no small change reaches it: the tests the workload fails on the path to
    /// one of its leaves that it comes nearest to.
    func nearest(_ patternID: String, base: Scope) -> [String] {
        var best: [String]?
        for path in targets(patternID) {
            let failing = path.filter { !holds($0, base) }.map { step -> String in
                let node = rules.tree.nodes[step.node]!
                return engine.describe(node.branches[step.branch].condition, node: node, base)
            }
            if best == nil || failing.count < best!.count { best = failing }
        }
        return best ?? []
    }

    /// The inputs the search may change: those a node tests, and the front door whose windows bounds read.
    static func searchableInputs(_ rules: RuleSet) -> [String] {
        var ids = Set(rules.tree.nodes.values.map(\.input))
        let readsDoor = rules.tree.nodes.values.contains { node in
            node.branches.contains { if case .interval(let interval) = $0.condition { !interval.names.isDisjoint(with: RuleSet.doorNames) } else { false } }
        }
        if readsDoor { ids.insert("entry") }
        return rules.inputIDs.filter(ids.contains)
    }

    /// The facts of a workload: a change to one of them weighs more than a change of design (SPEC §5).
    private static let facts: Set<String> = ["duration", "trigger", "throughput"]

    private func search(_ path: [Engine.Step], size: Int, answers: Answers, base: Scope,
                        patternID: String) -> (key: [Int], found: Found)? {
        // The tests of this path the workload fails, each with the inputs that could mend it.
        var failing: [Set<String>] = []
        var relevant: Set<String> = []
        for step in path {
            let node = rules.tree.nodes[step.node]!
            var menders: Set<String> = [node.input]
            if case .interval(let interval) = node.branches[step.branch].condition, !interval.names.isDisjoint(with: RuleSet.doorNames) {
                menders.insert("entry")
            }
            menders.formIntersection(searchable)
            relevant.formUnion(menders)
            if !holds(step, base) { failing.append(menders) }
        }
        guard !failing.isEmpty else { return nil }
        let candidates = searchable.filter(relevant.contains)
        var best: (key: [Int], found: Found)?
        for inputs in Self.subsets(of: candidates, size: size) {
            let chosen = Set(inputs)
            guard failing.allSatisfy({ !$0.isDisjoint(with: chosen) }) else { continue }
            for values in assignments(inputs, base: base) {
                var scope = base
                apply(values, to: &scope)
                guard path.allSatisfy({ holds($0, scope) }) else { continue }
                guard let found = prove(values, answers: answers, patternID: patternID) else { continue }
                let order = inputs.compactMap { rules.inputIDs.firstIndex(of: $0) }.sorted()
                let key = [size, inputs.filter(Self.facts.contains).count] + order
                if best == nil || key.lexicographicallyPrecedes(best!.key) { best = (key, found) }
                break
            }
        }
        return best
    }

    /// Whether the step's branch is the one the walk takes in `scope`.
    private func holds(_ step: Engine.Step, _ scope: Scope) -> Bool {
        guard let node = rules.tree.nodes[step.node], let matches = try? engine.matchingBranches(node, scope) else { return false }
        return matches.first == step.branch
    }

    /// Every way to give each input another value of its domain, choices first (a door changes the bounds
    /// the durations are taken from), each numeric input's values nearest the current one first.
    private func assignments(_ inputs: [String], base: Scope) -> [[(InputRule, Value)]] {
        let rules = self.rules
        let ordered = inputs.sorted { (rules.input($0)?.kind == .choice ? 0 : 1) < (rules.input($1)?.kind == .choice ? 0 : 1) }
        var result: [[(InputRule, Value)]] = [[]]
        for id in ordered {
            guard let input = rules.input(id) else { return [] }
            var next: [[(InputRule, Value)]] = []
            for partial in result {
                var scope = base
                apply(partial, to: &scope)
                for value in domain(input, scope) where value != base[input.key] { next.append(partial + [(input, value)]) }
            }
            result = next
        }
        return result
    }

    /// An input's domain in a scope: its choices, or the bounds the tree's intervals on it take there and the
    /// values 1 unit either side.
    private func domain(_ input: InputRule, _ scope: Scope) -> [Value] {
        if input.kind == .choice { return (input.choices ?? []).map { .string($0.value) } }
        var bounds: Set<Double> = []
        for node in rules.tree.nodes.values where node.input == input.id {
            for branch in node.branches {
                guard case .interval(let interval) = branch.condition, let (low, high) = try? interval.bounds(scope) else { continue }
                for bound in [low, high] where bound.isFinite && bound > 0 { bounds.formUnion([bound - 1, bound, bound + 1]) }
            }
        }
        let minimum = input.minimum ?? 1
        let current = scope[input.key].flatMap { if case .number(let n) = $0 { n } else { nil } } ?? 0
        return bounds.filter { $0 >= minimum }.sorted { abs($0 - current) < abs($1 - current) || (abs($0 - current) == abs($1 - current) && $0 < $1) }
            .map { .number($0) }
    }

    private func apply(_ values: [(InputRule, Value)], to scope: inout Scope) {
        for (input, value) in values { scope[input.key] = value }
        if let (_, entry) = values.first(where: { $0.0.id == "entry" }), case .string(let door) = entry { rules.enter(door, into: &scope) }
        if values.contains(where: { $0.0.id == "trigger" }), let response = rules.input("response"),
           let forced = forcedValue(response, scope) {
            scope[response.key] = forced
        }
    }

    /// The one value an input can take once the other changes are made (a schedule's `response` is `none`).
    private func forcedValue(_ input: InputRule, _ scope: Scope) -> Value? {
        // The choices offered here that no input constraint refuses (an event's response can only be none).
        let valid = rules.offeredChoices(input, in: scope).filter { choice in
            var trial = scope
            trial[input.key] = .string(choice.value)
            return !rules.constraints.contains { (try? $0.when.evaluateBool(trial)) == true }
        }
        return valid.count == 1 ? .string(valid[0].value) : nil
    }

    /// Resolves the answers with the changes as a user would give them, walks the tree and keeps the set only
    /// when it reaches the pattern.
    private func prove(_ values: [(InputRule, Value)], answers: Answers, patternID: String) -> Found? {
        var raw: [String: String] = [:]
        for id in rules.inputIDs where answers.entries[id]?.defaulted == false { raw[id] = answers.text(id, rules: rules) }
        var changes: [(id: String, text: String?)] = []
        for (input, value) in values {
            let text = Self.typed(value, input)
            raw[input.id] = text
            changes.append((input.id, text))
        }
        // An input the other changes force, such as `response` once the trigger is an event, is left out (or
        // set to its one offered value), not counted.
        if values.contains(where: { $0.0.id == "trigger" }), let response = rules.input("response"), raw["response"] != nil,
           !values.contains(where: { $0.0.id == "response" }) {
            var scope = answers.scope(rules: rules)
            apply(values, to: &scope)
            if let forced = forcedValue(response, scope), case .string(let value) = forced, raw["response"] != value {
                raw["response"] = nil
                changes.append(("response", nil))
            }
        }
        guard let changed = try? Answers.resolve(raw, rules: rules) else { return nil }
        let scope = changed.scope(rules: rules)
        guard let (_, leaf) = try? engine.walk(scope), leaf.pattern == patternID else { return nil }
        let because = rules.tree.templates[leaf.because].flatMap { try? $0.render(scope) } ?? leaf.because
        let order = rules.inputIDs
        changes.sort { (order.firstIndex(of: $0.id) ?? 0) < (order.firstIndex(of: $1.id) ?? 0) }
        return Found(changes: changes, because: because)
    }

    /// A value as a user types it; a duration in the largest unit that holds it exactly (`15m`, `901s`).
    static func typed(_ value: Value, _ input: InputRule) -> String {
        if input.kind == .duration, case .number(let seconds) = value, seconds >= 1, seconds == seconds.rounded() {
            for (suffix, unit) in [("d", 86_400.0), ("h", 3_600.0), ("m", 60.0)] where seconds.truncatingRemainder(dividingBy: unit) == 0 {
                return "\(Int64(seconds / unit))\(suffix)"
            }
            return "\(Int64(seconds))s"
        }
        return InputValue.format(value, for: input)
    }

    /// The subsets of `items` with `size` elements, in order.
    static func subsets(of items: [String], size: Int) -> [[String]] {
        guard size > 0 else { return [[]] }
        guard items.count >= size else { return [] }
        var result: [[String]] = []
        for (index, item) in items.enumerated() {
            for rest in subsets(of: Array(items[(index + 1)...]), size: size - 1) { result.append([item] + rest) }
        }
        return result
    }
}
