/// `rules lint`: proves a rule set sound before anyone relies on it (SPEC §6).
///
/// Beyond what loading checks (valid JSON, types, references, expressions), it sweeps the decision tree:
/// every combination of inputs at and around every boundary must match exactly one branch of every node it
/// reaches, and every node and leaf must be reached by some combination.
public struct RuleLint {
    public struct Report: Sendable {
        public var problems: [RuleProblem]
        /// How many input combinations the sweep walked to a leaf.
        public var combinations: Int
        public var nodesReached: Int
        public var leavesReached: Int
        /// How long the exhaustive sweep alone took (for scripts/bench; never printed as text).
        public var sweepMilliseconds: Double = 0
    }

    public static func run(_ files: RuleFiles, extraChecks: [(RuleSet) -> [RuleProblem]] = []) -> Report {
        let rules: RuleSet
        do { rules = try RuleSet.compile(files) } catch {
            return Report(problems: error.problems, combinations: 0, nodesReached: 0, leavesReached: 0)
        }
        var lint = RuleLint(rules: rules)
        let clock = ContinuousClock()
        let started = clock.now
        lint.sweep()
        let swept = started.duration(to: clock.now)
        lint.problems += Self.examples(rules)
        do { _ = try rules.comparisons() } catch { lint.problems += error.problems }
        lint.problems += Scaffold.lint(rules)
        lint.problems += TemplateExamples.lint(rules)
        for check in extraChecks { lint.problems += check(rules) }
        return Report(problems: lint.problems, combinations: lint.combinations,
                      nodesReached: lint.visitedNodes.filter { $0 }.count, leavesReached: lint.visitedLeaves.filter { $0 }.count,
                      sweepMilliseconds: Double(swept.components.seconds) * 1000 + Double(swept.components.attoseconds) / 1e15)
    }

    /// Runs every `examples` entry of the tree's leaves and of the warnings (SPEC §6): each gives what it says.
    public static func examples(_ rules: RuleSet) -> [RuleProblem] {
        let engine = Engine(rules: rules)
        var problems: [RuleProblem] = []
        func run(_ example: Located<RuleExample>, file: String, leaf: DecisionTree.Leaf?, warning: String?) {
            let given = example.value
            func fail(_ message: String) {
                let inputs = given.given.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                problems.append(RuleProblem(file: file, path: example.path, location: example.location, message: "example (\(inputs)): \(message)"))
            }
            var raw: [String: String] = [:]
            for (key, value) in given.given {
                guard let input = rules.inputs.first(where: { $0.designKey == key }) else { fail("unknown input '\(key)'"); return }
                raw[input.id] = value
            }
            let recommendation: Recommendation
            do { recommendation = try engine.recommend(try Answers.resolve(raw, rules: rules), detail: .verdict) } catch {
                fail("is not a valid workload: \(error)"); return
            }
            if let leaf, recommendation.leafID != leaf.id {
                fail("reaches leaf '\(recommendation.leafID)' (\(recommendation.pattern.id)), not '\(leaf.id)'"); return
            }
            guard let pattern = given.pattern ?? leaf?.pattern, rules.pattern(pattern) != nil else { fail("names no known pattern"); return }
            if given.pattern != nil, leaf != nil, pattern != recommendation.pattern.id {
                fail("recommends \(recommendation.pattern.id), not \(pattern)")
            }
            let got = engine.warnings(for: pattern, raised: recommendation.raisedWarnings, recommendation.scope).map(\.id)
            if Set(got) != Set(given.warnings) {
                fail("\(pattern) gets the warnings [\(got.sorted().joined(separator: ", "))], not [\(given.warnings.sorted().joined(separator: ", "))]")
            }
            if let warning, !given.warnings.contains(warning), got.contains(warning) { fail("'\(warning)' fires where it should stay silent") }
        }
        for id in rules.tree.leafOrder {
            guard let leaf = rules.tree.leaves[id] else { continue }
            for example in leaf.examples ?? [] { run(example, file: "tree.json", leaf: leaf, warning: nil) }
        }
        for warning in rules.warnings {
            for example in warning.rule.examples ?? [] { run(example, file: "warnings.json", leaf: nil, warning: warning.rule.id) }
        }
        return problems
    }

    let rules: RuleSet
    var problems: [RuleProblem] = []
    var combinations = 0
    /// Which nodes (by `nodes` index) and leaves (by `leafOrder` index) some combination reached.
    var visitedNodes: [Bool]
    var visitedLeaves: [Bool]
    private var reported: Set<String> = []
    private var samples: [String: [Double]] = [:]
    private var sampleValues: [Name: [Value]] = [:]
    private var base = Scope()
    /// The walk's current values and which inputs it has fixed so far.
    private var scope = Scope()
    private var fixedNames: Set<Name> = []
    /// The tree by index: each node, the inputs it reads, and where each of its branches leads.
    private let engine: Engine
    private let nodes: [CompiledNode]
    /// Each leaf's pattern by `leafOrder` index, for the self-consistency check at every combination.
    private let leafPatterns: [String]
    private let dependencies: [[Name]]
    private let targets: [[Target]]
    private enum Target { case node(Int), leaf(Int), nowhere }
    /// A constraint is evaluated once every input it names is fixed (SPEC §6), and again whenever one of them,
    /// or the entry that sets the door names (`window`, `streamWindow`, …), is fixed anew: so each is indexed by those inputs.
    private let constraintNames: [[Name]]
    private let constraintsByInput: [Name: [Int]]
    private let constantConstraints: [Int]
    private static let doorKeys = RuleSet.doorNames.map(Name.init)

    init(rules: RuleSet) {
        self.rules = rules
        engine = Engine(rules: rules)
        nodes = rules.tree.nodeOrder.compactMap { rules.tree.nodes[$0] }
        leafPatterns = rules.tree.leafOrder.map { rules.tree.leaves[$0]?.pattern ?? "" }
        let nodeIndex = Dictionary(nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let leafIndex = Dictionary(rules.tree.leafOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        dependencies = nodes.map { Self.dependencies($0, rules).map(Name.init) }
        targets = nodes.map { node in
            node.branches.map { branch in
                if rules.tree.leaves[branch.next] != nil, let index = leafIndex[branch.next] { return .leaf(index) }
                if let index = nodeIndex[branch.next] { return .node(index) }
                return .nowhere
            }
        }
        visitedNodes = Array(repeating: false, count: nodes.count)
        visitedLeaves = Array(repeating: false, count: rules.tree.leafOrder.count)
        var names: [[Name]] = []
        var byInput: [Name: [Int]] = [:]
        var constant: [Int] = []
        for (index, constraint) in rules.constraints.enumerated() {
            let read = constraint.when.names
            let fixed = read.subtracting(RuleSet.doorNames).sorted()
            names.append(fixed.map(Name.init))
            var triggers = Set(fixed.map(Name.init))
            if !read.isDisjoint(with: RuleSet.doorNames) { triggers.insert(.entry) }
            if triggers.isEmpty { constant.append(index) }
            for name in triggers { byInput[name, default: []].append(index) }
        }
        constraintNames = names
        constraintsByInput = byInput
        constantConstraints = constant
    }

    /// Sample values of every range input: each boundary the tree uses (under every value of the inputs
    /// the boundary depends on), a millisecond and a second either side, and the extremes.
    private mutating func prepareSamples() {
        // Defaults for inputs no node tests, so derived values and constraints can be evaluated.
        if let answers = try? Answers.resolve(["duration": "1s", "trigger": "event"], rules: rules) {
            base = answers.scope(rules: rules)
        }
        let ackSamples: [Double] = [1, 3, 10, 29, 30, 60]
        let entries = rules.input("entry")?.choices?.map(\.value) ?? []
        for id in rules.tree.nodeOrder {
            guard let node = rules.tree.nodes[id], let input = rules.input(node.input), input.kind != .choice else { continue }
            var values = samples[node.input] ?? [0.001, 0.5, 1, 100 * 365 * 86_400]
            for branch in node.branches {
                guard case .interval(let interval) = branch.condition else { continue }
                for entry in entries.isEmpty ? [""] : entries {
                    for ack in ackSamples {
                        var scope = base
                        if !entry.isEmpty { rules.enter(entry, into: &scope) }
                        scope["ackDeadline"] = .number(ack)
                        for bound in [interval.lower, interval.upper] {
                            guard let value = try? bound.evaluateNumber(scope), value.isFinite else { continue }
                            for delta in [-1.0, -0.001, 0, 0.001, 1] where value + delta > 0 { values.append(value + delta) }
                        }
                    }
                }
            }
            // Only values the input accepts: within its range, and whole for an integer (0.001 items is no batch).
            let accepted = values.filter { value in
                value >= (input.minimum ?? 0) && value <= (input.maximum ?? .infinity) && (input.kind != .integer || value == value.rounded())
            }
            samples[node.input] = Array(Set(accepted)).sorted()
        }
        samples["ackDeadline"] = ackSamples
    }

    mutating func sweep() {
        prepareSamples()
        prepareValues()
        scope = base
        fixedNames = []
        if let root = nodes.firstIndex(where: { $0.id == rules.tree.root }) {
            walk(.node(root))
        } else if let leaf = rules.tree.leafOrder.firstIndex(of: rules.tree.root) {
            walk(.leaf(leaf))
        }
        for (index, node) in nodes.enumerated() where !visitedNodes[index] {
            problems.append(RuleProblem(file: "tree.json", path: node.path, location: node.location, message: "node '\(node.id)' is unreachable: no combination of inputs leads to it"))
        }
        for (index, id) in rules.tree.leafOrder.enumerated() where !visitedLeaves[index] {
            problems.append(RuleProblem(file: "tree.json", path: [.key("leaves")], message: "leaf '\(id)' is unreachable: no combination of inputs leads to it"))
        }
    }

    /// Values an input can take at this point of the walk, respecting choices offered only `when` a condition holds.
    private func values(of name: Name, _ scope: Scope) -> [Value] {
        if let fixed = sampleValues[name] { return fixed }
        guard let input = rules.input(name.text), input.kind == .choice else { return [] }
        return rules.offeredChoices(input, in: scope).map { .string($0.value) }
    }

    /// The values of every range input, and of every choice input none of whose choices has a `when`:
    /// the same at every step, so made once.
    private mutating func prepareValues() {
        for input in rules.inputs {
            if input.kind == .choice {
                guard let choices = input.choices, !choices.contains(where: { $0.when != nil }) else { continue }
                sampleValues[input.key] = choices.map { .string($0.value) }
            } else {
                sampleValues[input.key] = (samples[input.id] ?? []).map { .number($0) }
            }
        }
    }

    /// The names a node's test reads: its input and whatever its interval bounds depend on.
    private static func dependencies(_ node: CompiledNode, _ rules: RuleSet) -> [String] {
        var names: Set<String> = []
        for branch in node.branches {
            if case .interval(let interval) = branch.condition { names.formUnion(interval.names) }
        }
        var inputs: [String] = []
        if !names.isDisjoint(with: RuleSet.doorNames) { inputs.append("entry") }
        inputs += names.filter { rules.input($0) != nil }.sorted()
        inputs.append(node.input)
        var seen: Set<String> = []
        return inputs.filter { seen.insert($0).inserted }
    }

    /// Whether fixing `input` broke a constraint. Constraints not indexed under it held before and read
    /// nothing that changed, so only these need evaluating.
    private func violatesConstraint(fixing input: Name) -> Bool {
        for index in (constraintsByInput[input] ?? []) + constantConstraints
        where constraintNames[index].allSatisfy({ fixedNames.contains($0) }) {
            if (try? rules.constraints[index].when.evaluateBool(scope)) == true { return true }
        }
        return false
    }

    /// Walks every combination below a node. One scope is changed in place and put back on the way out
    /// (the walk is depth-first), rather than copied at every step.
    private mutating func walk(_ target: Target) {
        let index: Int
        switch target {
        case .leaf(let leaf): visitedLeaves[leaf] = true; combinations += 1; checkSelfConsistency(leaf); return
        case .nowhere: return
        case .node(let node): index = node
        }
        let node = nodes[index]
        visitedNodes[index] = true
        // Fix every input this node reads that the path has not fixed yet, one value at a time.
        let dependencies = dependencies[index]
        if let unfixed = dependencies.first(where: { !fixedNames.contains($0) }) {
            let saved = (value: scope[unfixed], door: Self.doorKeys.map { scope[$0] })
            let candidates = values(of: unfixed, scope)
            fixedNames.insert(unfixed)
            for value in candidates {
                scope[unfixed] = value
                if unfixed == .entry, case .string(let entry) = value {
                    for (key, value) in zip(Self.doorKeys, saved.door) { scope[key] = value }
                    rules.enter(entry, into: &scope)
                }
                if violatesConstraint(fixing: unfixed) { continue }
                walk(target)
            }
            fixedNames.remove(unfixed)
            scope[unfixed] = saved.value
            if unfixed == .entry {
                for (key, value) in zip(Self.doorKeys, saved.door) { scope[key] = value }
            }
            return
        }
        let matches: [Int]
        do { matches = try engine.matchingBranches(node, scope) } catch {
            report(node, "cannot be evaluated: \(error.message)")
            return
        }
        if matches.count == 1 {
            walk(targets[index][matches[0]])
            return
        }
        // A fault: only now is it worth formatting the values for the message.
        let inputValue = scope[node.inputKey].map { value -> String in
            guard let input = rules.input(node.input) else { return value.description }
            return InputValue.format(value, for: input)
        } ?? "?"
        let context = dependencies.dropLast().compactMap { name -> String? in
            guard let value = scope[name] else { return nil }
            return "\(name) = \(rules.input(name.text).map { InputValue.format(value, for: $0) } ?? value.description)"
        }
        let at = context.isEmpty ? "" : " (with \(context.joined(separator: ", ")))"
        if matches.isEmpty {
            report(node, "gap: no branch matches \(node.input) = \(inputValue)\(at)")
            return
        }
        if matches.count > 1 {
            let whens = matches.map { index -> String in
                switch node.branches[index].condition {
                case .interval(let interval): return interval.source
                case .choices(let values): return values.joined(separator: "|")
                case .otherwise: return "else"
                }
            }
            report(node, "overlap: \(node.input) = \(inputValue)\(at) matches \(matches.count) branches (\(whens.joined(separator: ", ")))")
        }
        walk(targets[index][matches[0]])
    }

    /// SPEC §4's self-consistency: the pattern a leaf recommends can run the workload that reached it (no hard
    /// limit of its own stops it), unless no pattern can. Warnings need no proof here: `recommend` and `check`
    /// ask the one `Engine.warnings(for:raised:)` for them, so check's warnings for the recommendation are
    /// recommend's by construction.
    private mutating func checkSelfConsistency(_ leaf: Int) {
        guard let violation = engine.violations(of: leafPatterns[leaf], scope).first else { return }
        let id = rules.tree.leafOrder[leaf]
        let pattern = leafPatterns[leaf]
        if rules.patterns.allSatisfy({ !engine.violations(of: $0.id, scope).isEmpty }) { return }
        guard reported.insert("self-consistency|" + id + "|" + violation.id).inserted else { return }
        let values = fixedNames.sorted { $0.text < $1.text }.compactMap { name -> String? in
            guard let value = scope[name], let input = rules.input(name.text) else { return nil }
            return "\(name.text) = \(InputValue.format(value, for: input))"
        }
        problems.append(RuleProblem(file: "tree.json", path: [.key("leaves")],
            message: "leaf '\(id)' recommends \(pattern), which cannot run the workload that reaches it (\(values.joined(separator: ", "))): \(violation.id) — \(violation.message)"))
    }

    private mutating func report(_ node: CompiledNode, _ message: String) {
        // One report per node and kind of fault, not one per combination.
        let key = node.id + "|" + String(message.prefix(while: { $0 != ":" }))
        guard reported.insert(key).inserted else { return }
        problems.append(RuleProblem(file: "tree.json", path: node.path, location: node.location, message: "node '\(node.id)': \(message)"))
    }
}
