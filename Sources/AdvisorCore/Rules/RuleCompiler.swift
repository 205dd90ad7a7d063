/// Turns decoded rule files into a `RuleSet`: compiles expressions and intervals, resolves references,
/// and records every problem with its file, JSON path and line.
struct RuleCompiler {
    let questions: QuestionsFile
    let tree: TreeFile
    let patterns: PatternsFile
    let warnings: WarningsFile
    let limits: LimitsFile
    let sources: SourcesFile
    let prices: PricesFile
    let costs: CostsFile
    var problems: [RuleProblem] = []
    private var expressions: [String: Expression] = [:]
    /// Every name a rule reads (expressions, messages, tree nodes): an input none of them reads is dead.
    private var usedNames: Set<String> = []
    /// Names an expression may read (inputs, derived values, built-ins); worked out once, checked hundreds of times.
    let knownNames: Set<String>
    /// The documents of sources.json as output shows them (their short titles; rule files cite their ids,
    /// which `RuleFiles.decode` turns into these), and their ids for the messages.
    let documentNames: [String]
    let documentIDs: [String]
    /// The URLs sources.json lists as pages: a rule citing any other URL is a lint problem.
    let pageURLs: Set<String>

    init(questions: QuestionsFile, tree: TreeFile, patterns: PatternsFile, warnings: WarningsFile, limits: LimitsFile, sources: SourcesFile,
         prices: PricesFile, costs: CostsFile) {
        self.questions = questions; self.tree = tree; self.patterns = patterns
        self.warnings = warnings; self.limits = limits; self.sources = sources
        self.prices = prices; self.costs = costs
        var names = Set(questions.inputs.map(\.value.id))
        names.formUnion(questions.derived.map(\.value.name))
        names.formUnion(RuleSet.builtInNames)
        knownNames = names
        documentNames = sources.documents.map(\.short)
        documentIDs = sources.documents.map(\.id)
        pageURLs = Set(sources.pages.map(\.url))
    }

    mutating func problem(_ file: String, _ path: [JSONPathComponent], _ location: SourceLocation?, _ message: String) {
        problems.append(RuleProblem(file: file, path: path, location: location, message: message))
    }


    /// Compiles an expression and checks that it reads only known names and calls only known functions.
    private mutating func expression(_ text: String, _ file: String, _ path: [JSONPathComponent], _ location: SourceLocation?) -> Expression? {
        do {
            let compiled = try Expression.parse(text)
            check(names: compiled.names, functions: compiled.functions, file, path, location)
            expressions[text] = compiled
            return compiled
        } catch {
            problem(file, path, location, error.message)
            return nil
        }
    }

    private mutating func template(_ text: String, _ file: String, _ path: [JSONPathComponent], _ location: SourceLocation?) -> MessageTemplate? {
        do {
            let compiled = try MessageTemplate(text)
            check(names: compiled.names, functions: compiled.functions, file, path, location)
            return compiled
        } catch {
            problem(file, path, location, error.message)
            return nil
        }
    }

    mutating func check(names: Set<String>, functions: Set<String>, _ file: String, _ path: [JSONPathComponent], _ location: SourceLocation?, known: Set<String>? = nil) {
        let known = known ?? knownNames
        usedNames.formUnion(names)
        for name in names.subtracting(known).sorted() {
            problem(file, path, location, "unknown name '\(name)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        for function in functions where Expression.functionArity[function] == nil {
            problem(file, path, location, "unknown function '\(function)' (known: \(Expression.functionArity.keys.sorted().joined(separator: ", ")))")
        }
    }

    /// How a rule cites this tool's own decision rules (`docs/decision-rules.md`, by numbered section).
    static let ownRules = "async-advisor decision rules § "

    mutating func checkSource(_ source: String, _ file: String, _ path: [JSONPathComponent], _ location: SourceLocation?) {
        if source.hasPrefix("https://") {
            if !pageURLs.contains(source) {
                problem(file, path, location, "source '\(source)' is not among the pages of sources.json: add it with its id, title, url and the date read, so output can show its title")
            }
            return
        }
        if source.hasPrefix(Self.ownRules) {
            if Int(source.dropFirst(Self.ownRules.count)) == nil {
                problem(file, path, location, "source '\(source)' must name a numbered section of docs/decision-rules.md, as '\(Self.ownRules)4'")
            }
            return
        }
        if let document = documentNames.first(where: { source == $0 || source.hasPrefix($0 + " ") }) {
            if !source.hasPrefix(document + " § ") {
                let id = documentIDs[documentNames.firstIndex(of: document)!]
                problem(file, path, location, "source '\(source)' names no section; write '\(id) § SECTION'")
            }
            return
        }
        problem(file, path, location, "source '\(source)' must cite a document of sources.json by its id (\(documentIDs.joined(separator: ", "))) as 'ID § SECTION', an https:// URL, or '\(Self.ownRules)N'")
    }

    mutating func compile(files: RuleFiles) -> RuleSet? {
        // Inputs
        let inputIDs = Set(questions.inputs.map(\.value.id))
        var seenInputs: Set<String> = []
        for located in questions.inputs {
            let input = located.value
            let path = located.path
            if !seenInputs.insert(input.id).inserted { problem("questions.json", path, located.location, "duplicate input id '\(input.id)'") }
            checkSource(input.source, "questions.json", path + [.key("source")], located.location)
            if input.kind == .choice && (input.choices ?? []).isEmpty {
                problem("questions.json", path, located.location, "a choice input needs choices")
            }
            for text in [input.requiredWhen, input.defaultExpression, input.askWhen].compactMap({ $0 }) {
                _ = expression(text, "questions.json", path, located.location)
            }
            for conditional in input.defaultWhen ?? [] {
                _ = expression(conditional.when, "questions.json", path, located.location)
                if let computed = conditional.expression { _ = expression(computed, "questions.json", path, located.location) }
                if (conditional.value == nil) == (conditional.expression == nil) {
                    problem("questions.json", path + [.key("defaultWhen")], located.location, "a conditional default of '\(input.id)' needs exactly one of 'value' and 'expression'")
                }
            }
            for choice in input.choices ?? [] { if let when = choice.when { _ = expression(when, "questions.json", path, located.location) } }
            for wording in input.promptWhen ?? [] { _ = expression(wording.when, "questions.json", path + [.key("promptWhen")], located.location) }
            if let value = input.default { validateDefault(input, value, path, located.location) }
            if input.default == nil && input.defaultExpression == nil && input.required != true && input.requiredWhen == nil && input.optional != true {
                problem("questions.json", path, located.location, "input '\(input.id)' has no default and is not required")
            }
        }
        var constraints: [(InputConstraint, Expression)] = []
        for located in questions.constraints {
            checkSource(located.value.source, "questions.json", located.path + [.key("source")], located.location)
            if let compiled = expression(located.value.when, "questions.json", located.path + [.key("when")], located.location) {
                constraints.append((located.value, compiled))
            }
            _ = template(located.value.message, "questions.json", located.path + [.key("message")], located.location)
        }
        var derived: [(DerivedValue, Expression)] = []
        for located in questions.derived {
            if let compiled = expression(located.value.expression, "questions.json", located.path, located.location) {
                derived.append((located.value, compiled))
            }
        }

        // Patterns
        var patternIDs: Set<String> = []
        var patternConstraints: [String: [CompiledConstraint]] = [:]
        for located in patterns.patterns {
            let pattern = located.value
            if !patternIDs.insert(pattern.id).inserted { problem("patterns.json", located.path, located.location, "duplicate pattern id '\(pattern.id)'") }
            for (index, source) in pattern.sources.enumerated() {
                checkSource(source, "patterns.json", located.path + [.key("sources"), .index(index)], located.location)
            }
            if pattern.sources.isEmpty { problem("patterns.json", located.path, located.location, "pattern '\(pattern.id)' names no source") }
            if let max = pattern.limits.maxDuration {
                do { _ = try Duration.parse(max) } catch {
                    problem("patterns.json", located.path + [.key("limits"), .key("maxDuration")], located.location, error.message)
                }
            }
            var compiled: [CompiledConstraint] = []
            for constraint in pattern.constraints {
                let path = constraint.path
                checkSource(constraint.value.source, "patterns.json", path + [.key("source")], constraint.location)
                if let when = expression(constraint.value.when, "patterns.json", path + [.key("when")], constraint.location),
                   let message = template(constraint.value.message, "patterns.json", path + [.key("message")], constraint.location) {
                    compiled.append(CompiledConstraint(id: constraint.value.id, when: when, message: message, source: constraint.value.source))
                }
            }
            patternConstraints[pattern.id] = compiled
        }

        // Warnings
        var compiledWarnings: [CompiledWarning] = []
        // An id may stand for several entries when each has its own `when` (one warning worded by how the work
        // arrives, say): the first that holds is the warning. A warning the tree raises has one entry.
        var warningIDs: [String: Bool] = [:]
        for located in warnings.warnings {
            let rule = located.value
            if let earlier = warningIDs[rule.id], !earlier || rule.when == nil {
                problem("warnings.json", located.path, located.location, "duplicate warning id '\(rule.id)' (entries may share an id only when every one has a 'when')")
            }
            warningIDs[rule.id] = rule.when != nil
            checkSource(rule.source, "warnings.json", located.path + [.key("source")], located.location)
            let when = rule.when.flatMap { expression($0, "warnings.json", located.path + [.key("when")], located.location) }
            if let message = template(rule.message, "warnings.json", located.path + [.key("message")], located.location) {
                compiledWarnings.append(CompiledWarning(rule: rule, when: when, message: message))
            }
        }

        // Doors
        var doorTimes: [String: DoorTimes] = [:]
        for located in limits.doors {
            let door = located.value
            var fields: [(String, String?)] = [("window", door.window), ("stream", door.stream)]
            fields += [("timeout.from", door.timeout?.from), ("timeout.to", door.timeout?.to), ("timeout.windowCap", door.timeout?.windowCap)]
            var seconds: [Double] = []
            for (key, value) in fields {
                guard let value else { seconds.append(0); continue }
                do { seconds.append(try Duration.parse(value).seconds) } catch {
                    problem("limits.json", located.path + key.split(separator: ".").map { .key(String($0)) }, located.location, error.message)
                }
            }
            if let times = DoorTimes(list: seconds) { doorTimes[door.id] = times }
            for (index, source) in located.value.sources.enumerated() {
                checkSource(source, "limits.json", located.path + [.key("sources"), .index(index)], located.location)
            }
        }
        for located in limits.services {
            checkSource(located.value.source, "limits.json", located.path + [.key("source")], located.location)
        }
        if let entry = questions.inputs.first(where: { $0.value.id == "entry" })?.value {
            let doorIDs = Set(limits.doors.map(\.value.id))
            for choice in entry.choices ?? [] where !doorIDs.contains(choice.value) {
                problem("limits.json", [.key("doors")], nil, "no door for entry '\(choice.value)' of questions.json")
            }
        }

        // Tree
        let compiledTree = compileTree(inputIDs: inputIDs, patternIDs: patternIDs, warningIDs: Set(warningIDs.keys))

        // Prices and cost models
        let costModels = compileCosts(patternIDs: patterns.patterns.map(\.value.id))

        // An input that nothing reads asks users a question whose answer changes nothing.
        for located in questions.inputs where !usedNames.contains(located.value.id) && !CostEstimator.readsInputs.contains(located.value.id) {
            problem("questions.json", located.path, located.location,
                    "input '\(located.value.id)' (--\(located.value.flag)) is used by no rule and no cost model: use it in an expression or remove it")
        }

        guard let compiledTree else { return nil }
        return RuleSet(
            files: files,
            inputs: questions.inputs.map(\.value),
            constraints: constraints.map { (rule: $0.0, when: $0.1) },
            derived: derived.map { (rule: $0.0, expression: $0.1) },
            tree: compiledTree,
            patterns: patterns.patterns.map(\.value),
            patternConstraints: patternConstraints,
            warnings: compiledWarnings,
            doors: limits.doors.map(\.value),
            serviceLimits: limits.services.map(\.value),
            documents: sources.documents,
            pages: sources.pages,
            expressions: expressions,
            doorTimes: doorTimes,
            costs: costModels)
    }

    private mutating func validateDefault(_ input: InputRule, _ value: String, _ path: [JSONPathComponent], _ location: SourceLocation) {
        do {
            _ = try InputValue.parse(value, for: input)
        } catch {
            problem("questions.json", path + [.key("default")], location, error.message)
        }
    }

    private mutating func compileTree(inputIDs: Set<String>, patternIDs: Set<String>, warningIDs: Set<String>) -> DecisionTree? {
        var nodes: [String: CompiledNode] = [:]
        var leaves: [String: DecisionTree.Leaf] = [:]
        var nodeOrder: [String] = []
        var leafOrder: [String] = []
        let inputs = Dictionary(questions.inputs.map { ($0.value.id, $0.value) }, uniquingKeysWith: { first, _ in first })
        for located in tree.leaves {
            let leaf = located.value
            if leaves[leaf.id] != nil { problem("tree.json", located.path, located.location, "duplicate leaf id '\(leaf.id)'") }
            if !patternIDs.contains(leaf.pattern) {
                problem("tree.json", located.path + [.key("pattern")], located.location, "unknown pattern id '\(leaf.pattern)' (known: \(patternIDs.sorted().joined(separator: ", ")))")
            }
            checkSource(leaf.source, "tree.json", located.path + [.key("source")], located.location)
            _ = template(leaf.because, "tree.json", located.path + [.key("because")], located.location)
            for alternative in leaf.alternatives ?? [] {
                if !patternIDs.contains(alternative.value.pattern) {
                    problem("tree.json", alternative.path + [.key("pattern")], alternative.location, "unknown pattern id '\(alternative.value.pattern)'")
                }
                if let when = alternative.value.when { _ = expression(when, "tree.json", alternative.path + [.key("when")], alternative.location) }
                _ = template(alternative.value.why, "tree.json", alternative.path + [.key("why")], alternative.location)
            }
            leaves[leaf.id] = leaf
            leafOrder.append(leaf.id)
        }
        for located in tree.nodes {
            let node = located.value
            if nodes[node.id] != nil || leaves[node.id] != nil {
                problem("tree.json", located.path, located.location, "duplicate id '\(node.id)'")
            }
            checkSource(node.source, "tree.json", located.path + [.key("source")], located.location)
            usedNames.insert(node.input)
            guard let input = inputs[node.input] else {
                problem("tree.json", located.path + [.key("input")], located.location, "unknown input '\(node.input)' (known: \(inputIDs.sorted().joined(separator: ", ")))")
                continue
            }
            var branches: [CompiledBranch] = []
            for branch in node.branches {
                let b = branch.value
                let path = branch.path
                guard let condition = compileCondition(b.when, input: input, path + [.key("when")], branch.location) else { continue }
                guard let because = template(b.because, "tree.json", path + [.key("because")], branch.location) else { continue }
                if let source = b.source { checkSource(source, "tree.json", path + [.key("source")], branch.location) }
                for warning in b.warnings ?? [] where !warningIDs.contains(warning) {
                    problem("tree.json", path + [.key("warnings")], branch.location, "unknown warning id '\(warning)' (known: \(warningIDs.sorted().joined(separator: ", ")))")
                }
                for companion in b.companions ?? [] where !patternIDs.contains(companion.pattern) {
                    problem("tree.json", path + [.key("companions")], branch.location, "unknown pattern id '\(companion.pattern)'")
                }
                branches.append(CompiledBranch(
                    condition: condition, next: b.next, because: because, source: b.source,
                    warnings: b.warnings ?? [], companions: b.companions ?? [], location: branch.location, path: path))
            }
            if node.branches.isEmpty { problem("tree.json", located.path, located.location, "node '\(node.id)' has no branches") }
            nodes[node.id] = CompiledNode(
                id: node.id, input: node.input, inputKey: Name(node.input), rule: node.rule, title: node.title, source: node.source,
                branches: branches, location: located.location, path: located.path)
            nodeOrder.append(node.id)
        }
        for id in nodeOrder {
            for branch in nodes[id]!.branches where nodes[branch.next] == nil && leaves[branch.next] == nil {
                problem("tree.json", branch.path + [.key("next")], branch.location, "'\(branch.next)' is neither a node nor a leaf")
            }
        }
        if nodes[tree.root] == nil && leaves[tree.root] == nil {
            problem("tree.json", [.key("root")], nil, "root '\(tree.root)' is neither a node nor a leaf")
        }
        if hasCycle(nodes: nodes) { problem("tree.json", [.key("nodes")], nil, "the tree has a cycle: a walk could never end") }
        var compiled = DecisionTree(root: tree.root, nodes: nodes, leaves: leaves, nodeOrder: nodeOrder, leafOrder: leafOrder)
        compiled.reachable = Engine.reachable(compiled)
        compiled.templates = Engine.templates(compiled)
        return compiled
    }

    private mutating func compileCondition(_ when: JSONValue, input: InputRule, _ path: [JSONPathComponent], _ location: SourceLocation) -> Condition? {
        if case .string("else") = when { return .otherwise }
        switch input.kind {
        case .choice:
            guard case .array(let items) = when, !items.isEmpty else {
                problem("tree.json", path, location, "input '\(input.id)' is a choice: 'when' must be a list of its values or \"else\"")
                return nil
            }
            let allowed = Set((input.choices ?? []).map(\.value))
            var values: [String] = []
            for item in items {
                guard let value = item.string, allowed.contains(value) else {
                    problem("tree.json", path, location, "'\(item.string ?? "\(item)")' is not a value of '\(input.id)' (accepted: \(allowed.sorted().joined(separator: ", ")))")
                    return nil
                }
                values.append(value)
            }
            return .choices(values)
        case .flag:
            problem("tree.json", path, location, "input '\(input.id)' is a flag: the tree cannot branch on it")
            return nil
        case .duration, .rate, .volume, .size, .integer, .number:
            guard case .string(let text) = when else {
                problem("tree.json", path, location, "input '\(input.id)' is a range: 'when' must be an interval such as \"[0, window)\" or \"else\"")
                return nil
            }
            do {
                let interval = try Interval.parse(text)
                check(names: interval.names, functions: interval.lower.functions.union(interval.upper.functions), "tree.json", path, location)
                return .interval(interval)
            } catch {
                problem("tree.json", path, location, error.message)
                return nil
            }
        }
    }

    private func hasCycle(nodes: [String: CompiledNode]) -> Bool {
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ id: String) -> Bool {
            guard let node = nodes[id] else { return false }
            if state[id] == 1 { return true }
            if state[id] == 2 { return false }
            state[id] = 1
            for branch in node.branches where visit(branch.next) { return true }
            state[id] = 2
            return false
        }
        return nodes.keys.sorted().contains { visit($0) }
    }
}
