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
        do { rules = try RuleSet.load(files) } catch {
            return Report(problems: error.problems, combinations: 0, nodesReached: 0, leavesReached: 0)
        }
        var lint = RuleLint(rules: rules)
        let clock = ContinuousClock()
        let started = clock.now
        lint.sweep()
        let swept = started.duration(to: clock.now)
        do { _ = try rules.comparisons() } catch { lint.problems += error.problems }
        lint.problems += Scaffold.lint(rules)
        for check in extraChecks { lint.problems += check(rules) }
        return Report(problems: lint.problems, combinations: lint.combinations,
                      nodesReached: lint.visitedNodes.count, leavesReached: lint.visitedLeaves.count,
                      sweepMilliseconds: Double(swept.components.seconds) * 1000 + Double(swept.components.attoseconds) / 1e15)
    }

    let rules: RuleSet
    var problems: [RuleProblem] = []
    var combinations = 0
    var visitedNodes: Set<String> = []
    var visitedLeaves: Set<String> = []
    private var reported: Set<String> = []
    private var samples: [String: [Double]] = [:]
    private var base = Scope()
    /// The walk's current values and which inputs it has fixed so far.
    private var scope = Scope()
    private var fixedNames: Set<String> = []
    /// Worked out once, not at each of the sweep's tens of thousands of steps.
    private let engine: Engine
    private let nodeDependencies: [String: [String]]
    private let constraintNames: [Set<String>]

    init(rules: RuleSet) {
        self.rules = rules
        engine = Engine(rules: rules)
        var dependencies: [String: [String]] = [:]
        for (id, node) in rules.tree.nodes { dependencies[id] = Self.dependencies(node, rules) }
        nodeDependencies = dependencies
        constraintNames = rules.constraints.map { $0.when.names.subtracting(["window", "doorLimit"]) }
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
            samples[node.input] = Array(Set(values)).sorted()
        }
        samples["ackDeadline"] = ackSamples
    }

    mutating func sweep() {
        prepareSamples()
        scope = base
        fixedNames = []
        walk(rules.tree.root)
        for id in rules.tree.nodeOrder where !visitedNodes.contains(id) {
            let node = rules.tree.nodes[id]!
            problems.append(RuleProblem(file: "tree.json", path: node.path, location: node.location, message: "node '\(id)' is unreachable: no combination of inputs leads to it"))
        }
        for id in rules.tree.leafOrder where !visitedLeaves.contains(id) {
            problems.append(RuleProblem(file: "tree.json", path: [.key("leaves")], message: "leaf '\(id)' is unreachable: no combination of inputs leads to it"))
        }
    }

    /// Values an input can take at this point of the walk, respecting choices offered only `when` a condition holds.
    private func values(of inputID: String, _ scope: Scope) -> [Value] {
        guard let input = rules.input(inputID) else { return [] }
        if input.kind == .choice {
            return (input.choices ?? []).filter { choice in
                guard let when = choice.when, let expression = rules.expressions[when] else { return true }
                return (try? expression.evaluateBool(scope)) ?? true
            }.map { .string($0.value) }
        }
        return (samples[inputID] ?? []).map { .number($0) }
    }

    /// The names a node's test reads: its input and whatever its interval bounds depend on.
    private static func dependencies(_ node: CompiledNode, _ rules: RuleSet) -> [String] {
        var names: Set<String> = []
        for branch in node.branches {
            if case .interval(let interval) = branch.condition { names.formUnion(interval.names) }
        }
        var inputs: [String] = []
        if names.contains("window") || names.contains("doorLimit") { inputs.append("entry") }
        inputs += names.filter { rules.input($0) != nil }.sorted()
        inputs.append(node.input)
        var seen: Set<String> = []
        return inputs.filter { seen.insert($0).inserted }
    }

    private func violatesConstraint() -> Bool {
        for (index, constraint) in rules.constraints.enumerated() where constraintNames[index].isSubset(of: fixedNames) {
            if (try? constraint.when.evaluateBool(scope)) == true { return true }
        }
        return false
    }

    /// Walks every combination below a node. One scope is changed in place and put back on the way out
    /// (the walk is depth-first), rather than copied at every step.
    private mutating func walk(_ id: String) {
        if rules.tree.leaves[id] != nil { visitedLeaves.insert(id); combinations += 1; return }
        guard let node = rules.tree.nodes[id] else { return }
        visitedNodes.insert(id)
        // Fix every input this node reads that the path has not fixed yet, one value at a time.
        let dependencies = nodeDependencies[id] ?? []
        if let unfixed = dependencies.first(where: { !fixedNames.contains($0) }) {
            let saved = (value: scope[unfixed], window: scope["window"], doorLimit: scope["doorLimit"])
            let candidates = values(of: unfixed, scope)
            fixedNames.insert(unfixed)
            for value in candidates {
                scope[unfixed] = value
                scope["window"] = saved.window
                scope["doorLimit"] = saved.doorLimit
                if unfixed == "entry", case .string(let entry) = value { rules.enter(entry, into: &scope) }
                if violatesConstraint() { continue }
                walk(id)
            }
            fixedNames.remove(unfixed)
            scope[unfixed] = saved.value
            scope["window"] = saved.window
            scope["doorLimit"] = saved.doorLimit
            return
        }
        let matches: [Int]
        do { matches = try engine.matchingBranches(node, scope) } catch {
            report(node, "cannot be evaluated: \(error.message)")
            return
        }
        if matches.count == 1 {
            walk(node.branches[matches[0]].next)
            return
        }
        // A fault: only now is it worth formatting the values for the message.
        let inputValue = scope[node.input].map { value -> String in
            guard let input = rules.input(node.input) else { return value.description }
            return InputValue.format(value, for: input)
        } ?? "?"
        let context = dependencies.dropLast().compactMap { name -> String? in
            guard let value = scope[name] else { return nil }
            return "\(name) = \(rules.input(name).map { InputValue.format(value, for: $0) } ?? value.description)"
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
        walk(node.branches[matches[0]].next)
    }

    private mutating func report(_ node: CompiledNode, _ message: String) {
        // One report per node and kind of fault, not one per combination.
        let key = node.id + "|" + String(message.prefix(while: { $0 != ":" }))
        guard reported.insert(key).inserted else { return }
        problems.append(RuleProblem(file: "tree.json", path: node.path, location: node.location, message: "node '\(node.id)': \(message)"))
    }
}
