/// A loaded, compiled rule set: what every command works from.
///
/// Loading decodes each file, compiles every expression and checks every reference; anything wrong is
/// collected and thrown together, so a team editing rules sees all its mistakes at once.
public struct RuleSet: Sendable {
    public static let supportedVersion = 1

    public var files: RuleFiles
    public var inputs: [InputRule]
    public var constraints: [(rule: InputConstraint, when: Expression)]
    public var derived: [(rule: DerivedValue, expression: Expression)]
    public var tree: DecisionTree
    public var patterns: [Pattern]
    public var patternConstraints: [String: [CompiledConstraint]]
    public var warnings: [CompiledWarning]
    public var doors: [Door]
    public var serviceLimits: [ServiceLimit]
    public var documents: [SourceDocument]
    /// The pages rules cite by URL, with their titles (sources.json `pages`).
    public var pages: [SourcePage] = []
    /// Compiled `when`/`requiredWhen`/`defaultWhen`/`defaultExpression`/`askWhen` of each input, by source text.
    public var expressions: [String: Expression]
    /// Each door's window and real limit in seconds, parsed once at load.
    public var doorTimes: [String: DoorTimes]
    /// The price list and every pattern's cost model, compiled once at load.
    public var costs: CostModels
    /// Each input's `default`, parsed once at load: resolving thousands of workloads reuses them.
    public var defaultValues: [String: Value] = [:]
    /// Each input's conditions and defaults compiled, in the order of `inputs`.
    public var compiledInputs: [CompiledInput] = []
    /// Input ids in rule order.
    public var inputIDs: [String] = []
    /// What the not-chosen search reads of the tree (its paths, the intervals per input), made at load.
    var counterfactualIndex: Counterfactual.Index?
    /// Where each input is in `inputs`, made at load (the search and the reports look inputs up by id).
    var inputIndex: [String: Int] = [:]
    /// Where each pattern is in `patterns`, made at load (checks ask for patterns by id ten thousand times).
    var patternIndex: [String: Int] = [:]
    /// The scaffold manifests a rule snapshot holds (`Scaffold.manifest(_:rules:)`); none for rules compiled from files.
    var manifests = SnapshotParts<Scaffold.Manifest>()

    /// Names the engine itself provides to expressions, beside the inputs and derived values.
    public static let builtInNames: Set<String> = Set(doorNames + ["pattern", "lambdaBased"])
    /// The names a front door sets (see `enter`): every rule that reads one depends on `entry` (and `doorTimeout`).
    public static let doorNames = ["window", "streamWindow", "doorTimeoutFrom", "doorTimeoutTo"]

    public func pattern(_ id: String) -> Pattern? {
        if let index = patternIndex[id], patterns.indices.contains(index), patterns[index].id == id { return patterns[index] }
        return patterns.first { $0.id == id }
    }
    public func input(_ id: String) -> InputRule? {
        if let index = inputIndex[id], inputs.indices.contains(index), inputs[index].id == id { return inputs[index] }
        return inputs.first { $0.id == id }
    }

    /// The choices of `input` offered in `scope`: those without a `when`, or whose `when` holds (or cannot be
    /// evaluated yet). `ask` lists these, `rules lint` sweeps them, and a value outside them is refused.
    public func offeredChoices(_ input: InputRule, in scope: Scope) -> [InputRule.Choice] {
        (input.choices ?? []).filter { choice in
            guard let when = choice.when, let expression = expressions[when] else { return true }
            return (try? expression.evaluateBool(scope)) ?? true
        }
    }
    public func door(_ id: String) -> Door? { doors.first { $0.id == id } }

    /// The page a source cites by URL, if sources.json lists it.
    public func page(_ source: String) -> SourcePage? { pages.first { $0.url == source } }

    /// A source as a reader looks it up: a cited page's title, else the source as the rules give it
    /// (a seed's short title and section, or "async-advisor decision rules § N").
    public func sourceTitle(_ source: String) -> String { page(source)?.title ?? source }

    /// A source with everything needed to look it up: a page's title and URL, else the source itself.
    public func sourceReference(_ source: String) -> String { page(source).map { "\($0.title) (\($0.url))" } ?? source }

    /// Whether a rule's `when` (compiled at load) holds in `scope`; false when it cannot be evaluated yet.
    public func holds(_ when: String, in scope: Scope) -> Bool {
        expressions[when].map { (try? $0.evaluateBool(scope)) == true } ?? false
    }

    /// Names every expression may read: the inputs, derived values and the per-pattern names.
    public var knownNames: Set<String> {
        var names = Set(inputs.map(\.id))
        names.formUnion(derived.map(\.rule.name))
        names.formUnion(Self.builtInNames)
        return names
    }

    /// Puts a front door into a scope: `entry`, and what it implies (SPEC §4's windows): `window` (`L₀`, or a
    /// raised `doorTimeout` up to the door's cap where the door can take one), `streamWindow` (`Lₛ`, 0 where the
    /// door cannot stream) and the range `doorTimeout` may take there (`doorTimeoutFrom`, `doorTimeoutTo`; 0 and
    /// 0 where it cannot be raised). Which door allows what is the door table's (`limits.json`), not this code's.
    public func enter(_ entry: String, into scope: inout Scope) {
        scope[.entry] = .string(entry)
        guard let times = doorTimes[entry] else { return }
        var window = times.window
        if times.timeoutTo > 0, case .number(let raised)? = scope[.doorTimeout] { window = min(raised, times.windowCap) }
        scope[.window] = .number(window)
        scope[.streamWindow] = .number(times.stream)
        scope[.doorTimeoutFrom] = .number(times.timeoutFrom)
        scope[.doorTimeoutTo] = .number(times.timeoutTo)
    }

    /// The rule set in `files`. The built-in rules come from their snapshot while it is of the rules built
    /// into this binary (see `RuleSnapshot`); everything else is compiled from its JSON.
    public static func load(_ files: RuleFiles = .embedded) throws(RuleSetError) -> RuleSet {
        // decode refuses a snapshot of other rules (its digest is not the embedded rules').
        if case .embedded = files, let rules = try? RuleSnapshot.decode(BuiltInSnapshot.text, digest: EmbeddedRules.digest, files: files) {
            return rules
        }
        return try compile(files)
    }

    /// Reads, checks and compiles the rule files: what `rules lint` relies on and what a snapshot is made from.
    public static func compile(_ files: RuleFiles) throws(RuleSetError) -> RuleSet {
        var problems: [RuleProblem] = []
        func attempt<T>(_ body: () throws(RuleSetError) -> T) -> T? {
            do { return try body() } catch { problems += error.problems; return nil }
        }
        let sourcesFile = attempt { () throws(RuleSetError) in try files.decode(SourcesFile.self, from: "sources.json").0 }
        let citations = (sourcesFile?.documents ?? []).map { (id: $0.id, short: $0.short) }
        let questions = attempt { () throws(RuleSetError) in try files.decode(QuestionsFile.self, from: "questions.json", citations: citations).0 }
        let treeFile = attempt { () throws(RuleSetError) in try files.decode(TreeFile.self, from: "tree.json", citations: citations).0 }
        let patternsFile = attempt { () throws(RuleSetError) in try files.decode(PatternsFile.self, from: "patterns.json", citations: citations).0 }
        let warningsFile = attempt { () throws(RuleSetError) in try files.decode(WarningsFile.self, from: "warnings.json", citations: citations).0 }
        let limitsFile = attempt { () throws(RuleSetError) in try files.decode(LimitsFile.self, from: "limits.json", citations: citations).0 }
        let pricesFile = attempt { () throws(RuleSetError) in try files.decode(PricesFile.self, from: "prices.json", citations: citations).0 }
        let costsFile = attempt { () throws(RuleSetError) in try files.decode(CostsFile.self, from: "costs.json", citations: citations).0 }
        guard let questions, let treeFile, let patternsFile, let warningsFile, let limitsFile, let sourcesFile, let pricesFile, let costsFile else {
            throw RuleSetError(problems: problems)
        }
        var compiler = RuleCompiler(
            questions: questions, tree: treeFile, patterns: patternsFile, warnings: warningsFile,
            limits: limitsFile, sources: sourcesFile, prices: pricesFile, costs: costsFile)
        let compiled = compiler.compile(files: files)
        problems += compiler.problems
        guard problems.isEmpty, var ruleSet = compiled else { throw RuleSetError(problems: problems) }
        ruleSet.finish()
        return ruleSet
    }

    /// What is worked out from the compiled rules at every load, compiled or from a snapshot.
    /// `index` is the not-chosen search's index as a snapshot kept it; without one it is worked out here.
    mutating func finish(index: (searchable: [Int], paths: [String: [Counterfactual.Index.Path]])? = nil) {
        for input in inputs {
            if let text = input.default, let value = try? InputValue.parse(text, for: input) { defaultValues[input.id] = value }
        }
        compiledInputs = inputs.map { CompiledInput($0, self) }
        inputIDs = inputs.map(\.id)
        inputIndex = Dictionary(inputIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        patternIndex = Dictionary(patterns.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        if let index {
            counterfactualIndex = Counterfactual.Index(self, searchable: index.searchable, paths: index.paths)
        } else {
            counterfactualIndex = Counterfactual.Index(self)
        }
    }

    /// The comparison tables, read only by the commands that show them.
    public func comparisons() throws(RuleSetError) -> Comparisons {
        let comparisons = try files.decode(Comparisons.self, from: "comparisons.json", citations: documents.map { (id: $0.id, short: $0.short) }).0
        var problems: [RuleProblem] = []
        let ids = Set(patterns.map(\.id))
        for (index, factor) in comparisons.factors.enumerated() {
            for (rowIndex, row) in factor.rows.enumerated() {
                for id in row.patterns where !ids.contains(id) {
                    problems.append(RuleProblem(file: "comparisons.json", path: [.key("factors"), .index(index), .key("rows"), .index(rowIndex)], message: "unknown pattern id '\(id)'"))
                }
            }
        }
        for (index, anti) in comparisons.antiPatterns.enumerated() {
            for id in anti.patterns where !ids.contains(id) {
                problems.append(RuleProblem(file: "comparisons.json", path: [.key("antiPatterns"), .index(index)], message: "unknown pattern id '\(id)'"))
            }
        }
        for (index, guide) in comparisons.guides.enumerated() {
            for id in guide.patterns where !ids.contains(id) {
                problems.append(RuleProblem(file: "comparisons.json", path: [.key("guides"), .index(index)], message: "unknown pattern id '\(id)'"))
            }
        }
        for id in ids where comparisons.aspectTable[id] == nil {
            problems.append(RuleProblem(file: "comparisons.json", path: [.key("aspectTable")], message: "no row for pattern '\(id)'"))
        }
        for (id, row) in comparisons.aspectTable {
            if !ids.contains(id) {
                problems.append(RuleProblem(file: "comparisons.json", path: [.key("aspectTable"), .key(id)], message: "unknown pattern id '\(id)'"))
            }
            for aspect in comparisons.aspects where row[aspect.id] == nil {
                problems.append(RuleProblem(file: "comparisons.json", path: [.key("aspectTable"), .key(id)], message: "missing aspect '\(aspect.id)'"))
            }
        }
        guard problems.isEmpty else { throw RuleSetError(problems: problems) }
        return comparisons
    }
}
