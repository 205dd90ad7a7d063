/// "Not chosen" by search (SPEC §5): the smallest set of input changes that makes the tree choose a pattern,
/// proven by walking the tree with them (every changed choice offered, no input constraint refusing them).
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
    private let index: Index
    /// The branch each node takes for the workload itself (-1 where none), worked out once for every pattern.
    private let taken: [Int]
    /// The input a new trigger can force (`response`), looked up once rather than at every value tried.
    private let response: InputRule?
    /// The names a change of each searchable input can touch, by its place in `index.searchable`.
    private let touched: [[Name]]
    /// The names `forcedValue` reads (the conditions of the response's choices and every input constraint),
    /// and the answers it gave for each set of their values: the search asks it at every trigger it tries.
    private let forcedReads: [Name]
    private let forced = ForcedMemo()
    private final class ForcedMemo {
        var entries: [(key: [Value?], value: Value?)] = []
    }

    init(engine: Engine, base: Scope) {
        self.engine = engine
        rules = engine.rules
        let index = engine.rules.counterfactualIndex ?? Index(engine.rules)
        self.index = index
        taken = index.nodes.map { node in ((try? engine.firstMatchingBranch(node, base)) ?? nil) ?? -1 }
        response = index.response
        touched = index.touched
        forcedReads = index.forcedReads
    }

    /// What the search reads of the tree, worked out once per rule set (`RuleSet.finish`): the nodes by
    /// index, every path from the root to a leaf of each pattern, and for each step of a path the inputs that
    /// could mend its test, as a bit mask over `searchable`.
    struct Index: Sendable {
        struct Path: Sendable {
            var nodes: [Int]
            var branches: [Int]
            var menders: [UInt64]
        }
        var nodes: [CompiledNode]
        var paths: [String: [Path]]
        /// The inputs the search may change, in rule order: those a node tests, and the front door.
        var searchable: [InputRule]
        /// Where each of `searchable` is in `RuleSet.inputs`.
        var searchableIndices: [Int]
        /// Each searchable input's place in the questions (SPEC §5's last tie-break).
        var order: [Int]
        /// The intervals each numeric input is tested against, for its domain.
        var intervals: [String: [Interval]]
        /// The input a new trigger can force (`response`).
        var response: InputRule?
        /// The names a change of each searchable input can touch (its own, a door's, the response a trigger forces).
        var touched: [[Name]]
        /// The names `forcedValue` reads: the conditions of the response's choices and of every input constraint.
        var forcedReads: [Name]

        /// The index worked out from the rules: the tree's paths walked from the root.
        init(_ rules: RuleSet) {
            let tree = rules.tree
            let nodes = tree.nodeOrder.compactMap { tree.nodes[$0] }
            let nodeIndex = Dictionary(nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            var tested = Set(nodes.map(\.input))
            // Which branches' bounds read a door's window (then the front door can mend their test too).
            let readsDoor: [[Bool]] = nodes.map { node in
                node.branches.map { branch in
                    if case .interval(let interval) = branch.condition { return !interval.names.isDisjoint(with: RuleSet.doorNames) }
                    return false
                }
            }
            if readsDoor.contains(where: { $0.contains(true) }) { tested.insert("entry") }
            let searchable = rules.inputs.indices.filter { tested.contains(rules.inputs[$0].id) }.prefix(64).map { $0 }
            let bit = Dictionary(searchable.enumerated().map { (rules.inputs[$1].id, UInt64(1) << UInt64($0)) }, uniquingKeysWith: { first, _ in first })

            var paths: [String: [Path]] = [:]
            var stack: [(node: Int, branch: Int)] = []
            let inputBits = nodes.map { bit[$0.input] ?? 0 }
            let entryBit = bit["entry"] ?? 0
            func visit(_ id: String) {
                if let leaf = tree.leaves[id] {
                    let menders = stack.map { step -> UInt64 in
                        inputBits[step.node] | (readsDoor[step.node][step.branch] ? entryBit : 0)
                    }
                    paths[leaf.pattern, default: []].append(Path(nodes: stack.map(\.node), branches: stack.map(\.branch), menders: menders))
                    return
                }
                guard let index = nodeIndex[id], stack.count <= nodes.count else { return }
                for (branch, next) in nodes[index].branches.enumerated() {
                    stack.append((index, branch))
                    visit(next.next)
                    stack.removeLast()
                }
            }
            visit(tree.root)
            self.init(rules, searchable: searchable, paths: paths)
        }

        /// The index from its paths and the indices in `rules.inputs` of the inputs the search may change
        /// (what a rule snapshot keeps of it: walking the tree's paths is most of the index's cost).
        init(_ rules: RuleSet, searchable: [Int], paths: [String: [Path]]) {
            let tree = rules.tree
            nodes = tree.nodeOrder.compactMap { tree.nodes[$0] }
            self.searchable = searchable.map { rules.inputs[$0] }
            self.searchableIndices = searchable
            self.paths = paths
            order = self.searchable.map { input in rules.inputIDs.firstIndex(of: input.id) ?? 0 }
            var intervals: [String: [Interval]] = [:]
            for node in nodes {
                for branch in node.branches { if case .interval(let interval) = branch.condition { intervals[node.input, default: []].append(interval) } }
            }
            self.intervals = intervals
            let response = rules.input("response")
            self.response = response
            touched = self.searchable.map { input in
                switch input.id {
                case "entry": return [input.key] + Counterfactual.doorKeys
                case "trigger": return [input.key] + (response.map { [$0.key] } ?? [])
                default: return [input.key]
                }
            }
            var reads: Set<String> = []
            for choice in response?.choices ?? [] {
                if let when = choice.when, let expression = rules.expressions[when] { reads.formUnion(expression.names) }
            }
            for constraint in rules.constraints { reads.formUnion(constraint.when.names) }
            reads.remove(response?.id ?? "")
            // `given(x)` reads a flag of its own beside x.
            forcedReads = reads.sorted().flatMap { [Name($0), Name.given($0)] }
        }
    }

    /// One change set that reaches the pattern.
    struct Found {
        /// Input id and the value as a user would type it; nil where the input must be left out.
        var changes: [(id: String, text: String?)]
        /// The leaf's reason under the changed answers.
        var because: String
    }

    /// The facts of a workload: a change to one of them weighs more than a change of design (SPEC §5).
    private static let facts: Set<String> = ["duration", "trigger", "throughput"]

    /// The smallest change set (at most three inputs) that makes the tree choose `patternID`, or nil.
    func search(_ patternID: String, answers: Answers, base: Scope) -> Found? {
        let analyzed = (index.paths[patternID] ?? []).compactMap { analyze($0, base) }
        guard !analyzed.isEmpty else { return nil }
        for size in 1...3 {
            // The sets of `size` inputs that could mend some path, in SPEC §5's order (a set's rank does not
            // depend on the path); for each, every path it could mend, until a walk proves one.
            var sets: [(key: [Int], inputs: [Int], mask: UInt64)] = []
            var seen: Set<UInt64> = []
            for path in analyzed where path.lowerBound <= size {
                for mask in Self.subsets(of: path.relevant, size: size) {
                    guard path.failing.allSatisfy({ $0 & mask != 0 }), seen.insert(mask).inserted else { continue }
                    let subset = Self.members(of: mask)
                    let facts = subset.filter { Self.facts.contains(index.searchable[$0].id) }.count
                    sets.append(([facts] + subset.map { index.order[$0] }.sorted(), subset, mask))
                }
            }
            sets.sort { $0.key.lexicographicallyPrecedes($1.key) }
            for set in sets {
                for path in analyzed where path.failing.allSatisfy({ $0 & set.mask != 0 }) {
                    guard let candidate = candidate(path, set.inputs, set.mask, base: base),
                          let found = prove(candidate, base: base, patternID: patternID) else { continue }
                    return found
                }
            }
        }
        return nil
    }

    /// What rules a pattern out when no small change reaches it: the tests the workload fails on the path to
    /// one of its leaves that it comes nearest to.
    func nearest(_ patternID: String, base: Scope) -> [String] {
        var best: [String]?
        for path in index.paths[patternID] ?? [] {
            var failing: [String] = []
            for (node, branch) in zip(path.nodes, path.branches) where taken[node] != branch {
                let compiled = index.nodes[node]
                failing.append(engine.describe(compiled.branches[branch].condition, node: compiled, base))
            }
            if best == nil || failing.count < best!.count { best = failing }
        }
        return best ?? []
    }

    /// A path to a leaf of the pattern with the tests on it the workload fails, as the masks of the inputs
    /// that could mend each.
    private struct Analyzed {
        var path: Index.Path
        var failing: [UInt64]
        var relevant: UInt64
        /// No set of fewer changes can mend every failing test (each input mends at most so many of them).
        var lowerBound: Int
    }

    private func analyze(_ path: Index.Path, _ base: Scope) -> Analyzed? {
        var failing: [UInt64] = []
        var relevant: UInt64 = 0
        for step in path.nodes.indices {
            relevant |= path.menders[step]
            if taken[path.nodes[step]] != path.branches[step] {
                guard path.menders[step] != 0 else { return nil }  // nothing the search may change mends it
                failing.append(path.menders[step])
            }
        }
        guard !failing.isEmpty else { return nil }
        var coverage = 1
        var bits = relevant
        while bits != 0 {
            let bit = bits & (~bits &+ 1)
            coverage = max(coverage, failing.filter { $0 & bit != 0 }.count)
            bits &= bits - 1
        }
        let lowerBound = (failing.count + coverage - 1) / coverage
        guard lowerBound <= 3 else { return nil }
        return Analyzed(path: path, failing: failing, relevant: relevant, lowerBound: lowerBound)
    }

    /// A change set: searchable input indices and their values, with the scope they make.
    private struct Candidate {
        var inputs: [Int]
        var values: [Value]
        var scope: Scope
    }

    /// The first assignment of `subset` (nearest values first) under which every test of the path holds.
    private func candidate(_ path: Analyzed, _ subset: [Int], _ mask: UInt64, base: Scope) -> Candidate? {
        // Choices first: a door changes the bounds the durations are taken from.
        let ordered = subset.sorted { (index.searchable[$0].kind == .choice ? 0 : 1) < (index.searchable[$1].kind == .choice ? 0 : 1) }
        // Only the tests these inputs can change need testing again: every other one already holds (each
        // failing test is mended by one of them). Each is tested as soon as every input that can change it
        // has its value, so a value that breaks it is dropped before the next input is tried.
        var checks = Array(repeating: [Int](), count: ordered.count)
        for step in path.path.nodes.indices where path.path.menders[step] & mask != 0 {
            let needs = path.path.menders[step] & mask
            let last = ordered.lastIndex { needs & (UInt64(1) << UInt64($0)) != 0 } ?? ordered.count - 1
            checks[last].append(step)
        }
        var found: Candidate?
        var scope = base
        var values: [Value] = []
        values.reserveCapacity(ordered.count)
        assign(ordered, 0, &values, &scope, check: { depth, scope in
            checks[depth].allSatisfy { holds(path.path.nodes[$0], path.path.branches[$0], scope) }
        }) { values, scope in
            found = Candidate(inputs: ordered, values: values, scope: scope)
            return true
        }
        return found
    }

    /// Gives each input in turn every other value of its domain, nearest first, and calls `body` with each
    /// full assignment and the scope it makes until `body` says it is done.
    /// One scope is changed in place and put back on the way out (the search is depth-first), rather than
    /// copied for every value tried.
    @discardableResult
    private func assign(_ inputs: [Int], _ at: Int, _ values: inout [Value], _ scope: inout Scope, check: (Int, Scope) -> Bool,
                        _ body: ([Value], Scope) -> Bool) -> Bool {
        guard at < inputs.count else { return body(values, scope) }
        let input = index.searchable[inputs[at]]
        let keys = touched[inputs[at]]
        let saved = keys.map { scope[$0] }
        defer { for (key, value) in zip(keys, saved) { scope[key] = value } }
        let current = scope[input.key]
        for value in domain(input, scope) where value != current {
            for (key, value) in zip(keys, saved) { scope[key] = value }
            set(input, value, in: &scope)
            guard check(at, scope) else { continue }
            values.append(value)
            if assign(inputs, at + 1, &values, &scope, check: check, body) { return true }
            values.removeLast()
        }
        return false
    }

    fileprivate static let doorKeys = RuleSet.doorNames.map(Name.init)

    /// One change in a scope, with what it implies: a door's windows, a response a new trigger forces.
    private func set(_ input: InputRule, _ value: Value, in scope: inout Scope) {
        scope[input.key] = value
        if input.id == "entry", case .string(let door) = value { rules.enter(door, into: &scope) }
        if input.id == "trigger", let response {
            let key = forcedReads.map { scope[$0] }
            let value: Value?
            if let known = forced.entries.first(where: { $0.key == key }) {
                value = known.value
            } else {
                value = forcedValue(response, &scope)
                forced.entries.append((key, value))
            }
            if let value { scope[response.key] = value }
        }
    }

    /// Whether the walk takes `branch` at node `node` in `scope`.
    private func holds(_ node: Int, _ branch: Int, _ scope: Scope) -> Bool {
        guard let first = try? engine.firstMatchingBranch(index.nodes[node], scope) else { return false }
        return first == branch
    }

    /// An input's domain in a scope: its choices, or the bounds the tree's intervals on it take there and the
    /// values 1 unit either side.
    private func domain(_ input: InputRule, _ scope: Scope) -> [Value] {
        if input.kind == .choice { return (input.choices ?? []).map { .string($0.value) } }
        var bounds: Set<Double> = []
        for interval in index.intervals[input.id] ?? [] {
            guard let (low, high) = try? interval.bounds(scope) else { continue }
            for bound in [low, high] where bound.isFinite && bound > 0 { bounds.formUnion([bound - 1, bound, bound + 1]) }
        }
        let minimum = input.minimum ?? 1
        let current = scope[input.key].flatMap { if case .number(let n) = $0 { n } else { nil } } ?? 0
        return bounds.filter { $0 >= minimum }.sorted { abs($0 - current) < abs($1 - current) || (abs($0 - current) == abs($1 - current) && $0 < $1) }
            .map { .number($0) }
    }

    /// The one value an input can take once the other changes are made (a schedule's `response` is `none`).
    private func forcedValue(_ input: InputRule, _ scope: inout Scope) -> Value? {
        // The choices offered here that no input constraint refuses (an event's response can only be none).
        let saved = scope[input.key]
        defer { scope[input.key] = saved }
        var valid: [String] = []
        for choice in rules.offeredChoices(input, in: scope) {
            scope[input.key] = .string(choice.value)
            if !rules.constraints.contains(where: { (try? $0.when.evaluateBool(scope)) == true }) { valid.append(choice.value) }
        }
        return valid.count == 1 ? .string(valid[0]) : nil
    }

    /// Proves a change set by walking the tree with it: every changed choice is offered there, no input
    /// constraint refuses the changed workload, and the walk ends at a leaf of the pattern. An input the
    /// changes force (`response` once the trigger is an event) is left out and not counted.
    private func prove(_ candidate: Candidate, base: Scope, patternID: String) -> Found? {
        let scope = candidate.scope
        for (position, value) in zip(candidate.inputs, candidate.values) {
            let input = index.searchable[position]
            if input.kind == .choice, case .string(let chosen) = value, !rules.offeredChoices(input, in: scope).contains(where: { $0.value == chosen }) {
                return nil
            }
        }
        guard !rules.constraints.contains(where: { (try? $0.when.evaluateBool(scope)) == true }),
              let (_, leaf) = try? engine.walk(scope), leaf.pattern == patternID else { return nil }
        var changes = zip(candidate.inputs, candidate.values).map { (position, value) -> (id: String, text: String?) in
            let input = index.searchable[position]
            return (input.id, Self.typed(value, input))
        }
        if let response, !changes.contains(where: { $0.id == "response" }), scope[response.key] != base[response.key] {
            changes.append((response.id, scope[response.key] == .string("none") ? nil : scope[response.key].map { InputValue.format($0, for: response) }))
        }
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

    /// The subsets of the bits of `set` that have `size` of them, as masks: most are dropped at once, so
    /// no array of positions is made for them.
    static func subsets(of set: UInt64, size: Int) -> [UInt64] {
        var result: [UInt64] = []
        func choose(_ rest: UInt64, _ size: Int, _ chosen: UInt64) {
            guard size > 0 else { return result.append(chosen) }
            var rest = rest
            while rest.nonzeroBitCount >= size {
                let lowest = rest & (~rest &+ 1)
                rest &= rest - 1
                choose(rest, size - 1, chosen | lowest)
            }
        }
        choose(set, size, 0)
        return result
    }

    /// The bit positions set in `mask`, lowest first.
    static func members(of mask: UInt64) -> [Int] {
        var positions: [Int] = [], rest = mask
        while rest != 0 {
            positions.append(rest.trailingZeroBitCount)
            rest &= rest - 1
        }
        return positions
    }
}
