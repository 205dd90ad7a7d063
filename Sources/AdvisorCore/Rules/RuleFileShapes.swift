/// The keys of every rule file, read by hand (see `JSONReadable` for why not `Decodable`).
/// An optional key may be absent or null; anything else a model does not name is ignored.

extension QuestionsFile: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        version = try json.int("version")
        inputs = try json.locatedList("inputs")
        constraints = try json.locatedList("constraints")
        derived = try json.locatedList("derived")
    }
}

extension InputRule: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        key = Name(id)
        flag = try json.string("flag")
        kind = try json.required("kind").word(Kind.self)
        prompt = try json.string("prompt")
        help = try json.string("help")
        promptWhen = try json.list(ifPresent: "promptWhen")
        source = try json.string("source")
        group = try json.string(ifPresent: "group")
        choices = try json.list(ifPresent: "choices")
        `default` = try json.string(ifPresent: "default")
        defaultExpression = try json.string(ifPresent: "defaultExpression")
        defaultLabel = try json.string(ifPresent: "defaultLabel")
        defaultWhen = try json.list(ifPresent: "defaultWhen")
        required = try json.bool(ifPresent: "required")
        optional = try json.bool(ifPresent: "optional")
        requiredWhen = try json.string(ifPresent: "requiredWhen")
        askWhen = try json.string(ifPresent: "askWhen")
        minimum = try json.number(ifPresent: "minimum")
        maximum = try json.number(ifPresent: "maximum")
        unit = try json.string(ifPresent: "unit")
    }
}

extension InputRule.Choice: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        value = try json.string("value")
        meaning = try json.string("meaning")
        when = try json.string(ifPresent: "when")
    }
}

extension InputRule.ConditionalPrompt: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        when = try json.string("when")
        prompt = try json.string("prompt")
        help = try json.string(ifPresent: "help")
    }
}

extension InputRule.ConditionalDefault: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        when = try json.string("when")
        value = try json.string(ifPresent: "value")
        expression = try json.string(ifPresent: "expression")
        label = try json.string(ifPresent: "label")
    }
}

extension InputConstraint: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        when = try json.string("when")
        message = try json.string("message")
        inputs = try json.strings("inputs")
        source = try json.string("source")
    }
}

extension DerivedValue: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        name = try json.string("name")
        key = Name(name)
        expression = try json.string("expression")
        meaning = try json.string("meaning")
    }
}

extension TreeFile: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        version = try json.int("version")
        root = try json.string("root")
        nodes = try json.locatedList("nodes")
        leaves = try json.locatedList("leaves")
    }
}

extension DecisionTree.Node: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        input = try json.string("input")
        rule = try json.string("rule")
        title = try json.string("title")
        source = try json.string("source")
        branches = try json.locatedList("branches")
    }
}

extension DecisionTree.Branch: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        when = try json.required("when").node.value
        next = try json.string("next")
        because = try json.string("because")
        source = try json.string(ifPresent: "source")
        warnings = try json.strings(ifPresent: "warnings")
        companions = try json.list(ifPresent: "companions")
    }
}

extension DecisionTree.Companion: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        pattern = try json.string("pattern")
        why = try json.string("why")
    }
}

extension DecisionTree.Alternative: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        pattern = try json.string("pattern")
        why = try json.string("why")
        when = try json.string(ifPresent: "when")
    }
}

extension DecisionTree.Leaf: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        pattern = try json.string("pattern")
        because = try json.string("because")
        source = try json.string("source")
        alternatives = try json.locatedList(ifPresent: "alternatives")
        examples = try json.locatedList(ifPresent: "examples")
    }
}

extension RuleExample: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        given = try json.stringMap("given")
        pattern = try json.string(ifPresent: "pattern")
        warnings = try json.strings("warnings")
    }
}

extension PatternsFile: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        version = try json.int("version")
        patterns = try json.locatedList("patterns")
    }
}

extension Pattern: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        name = try json.string("name")
        summary = try json.string("summary")
        whenToUse = try json.strings("whenToUse")
        limits = try json.read("limits")
        lambdaBased = try json.bool("lambdaBased")
        retry = try json.string("retry")
        statusVisibility = try json.string("statusVisibility")
        auditTrail = try json.string("auditTrail")
        costModel = try json.string("costModel")
        pros = try json.strings("pros")
        cons = try json.strings("cons")
        pitfalls = try json.list("pitfalls")
        constraints = try json.locatedList("constraints")
        notes = try json.list("notes")
        sources = try json.strings("sources")
    }
}

extension Pattern.Limits: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        maxDuration = try json.string(ifPresent: "maxDuration")
        maxThroughput = try json.number(ifPresent: "maxThroughput")
        notes = try json.strings("notes")
    }
}

extension Pattern.Sourced: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        text = try json.string("text")
        source = try json.string("source")
    }
}

extension Pattern.Constraint: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        when = try json.string("when")
        message = try json.string("message")
        source = try json.string("source")
    }
}

extension WarningsFile: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        version = try json.int("version")
        warnings = try json.locatedList("warnings")
    }
}

extension WarningRule: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        title = try json.string("title")
        when = try json.string(ifPresent: "when")
        message = try json.string("message")
        source = try json.string("source")
        examples = try json.locatedList(ifPresent: "examples")
    }
}

extension LimitsFile: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        version = try json.int("version")
        doors = try json.locatedList("doors")
        services = try json.locatedList("services")
    }
}

extension Door: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        name = try json.string("name")
        window = try json.string("window")
        stream = try json.string(ifPresent: "stream")
        timeout = try json.read(ifPresent: "timeout")
        notes = try json.strings("notes")
        sources = try json.strings("sources")
    }
}

extension Door.RaisedTimeout: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        from = try json.string("from")
        to = try json.string("to")
        windowCap = try json.string("windowCap")
    }
}

extension ServiceLimit: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        service = try json.string("service")
        name = try json.string("name")
        value = try json.string("value")
        note = try json.string(ifPresent: "note")
        source = try json.string("source")
    }
}

extension SourcesFile: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        version = try json.int("version")
        documents = try json.list("documents")
        pages = try json.field("pages") == nil ? [] : try json.list("pages")
    }
}

extension SourcePage: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        title = try json.string("title")
        url = try json.string("url")
        read = try json.string("read")
    }
}

extension SourceDocument: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        short = try json.string("short")
        title = try json.string("title")
        contributes = try json.string("contributes")
    }
}

extension Comparisons: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        version = try json.int("version")
        aspects = try json.list("aspects")
        var table: [String: [String: String]] = [:]
        for (id, row) in try json.required("aspectTable").members() {
            var cells: [String: String] = [:]
            for (aspect, text) in try row.members() { cells[aspect] = try text.string() }
            table[id] = cells
        }
        aspectTable = table
        factors = try json.list("factors")
        antiPatterns = try json.list("antiPatterns")
        guides = try json.list("guides")
    }
}

extension Comparisons.Aspect: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        label = try json.string("label")
        source = try json.string("source")
    }
}

extension Comparisons.Factor: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        title = try json.string("title")
        source = try json.string("source")
        columns = try json.strings("columns")
        rows = try json.list("rows")
    }
}

extension Comparisons.Factor.Row: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        cells = try json.strings("cells")
        patterns = try json.strings("patterns")
        source = try json.string(ifPresent: "source")
    }
}

extension Comparisons.AntiPattern: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        title = try json.string("title")
        problem = try json.string("problem")
        fix = try json.string("fix")
        patterns = try json.strings("patterns")
        source = try json.string("source")
    }
}

extension Comparisons.Guide: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        title = try json.string("title")
        patterns = try json.strings("patterns")
        rows = try json.list("rows")
        source = try json.string("source")
    }
}

extension Comparisons.Guide.Row: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        choose = try json.string("choose")
        when = try json.string("when")
    }
}

extension PricesFile: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        version = try json.int("version")
        region = try json.string("region")
        currency = try json.string("currency")
        pricing = try json.string("pricing")
        note = try json.string(ifPresent: "note")
        prices = try json.locatedList("prices")
    }
}

extension Price: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        service = try json.string("service")
        description = try json.string("description")
        arch = try json.string(ifPresent: "arch")
        unit = try json.string("unit")
        per = try json.number("per")
        usd = try json.number(ifPresent: "usd")
        tiers = try json.list(ifPresent: "tiers")
        free = try json.read(ifPresent: "free")
        grade = try json.string(ifPresent: "grade")
        asOf = try json.string(ifPresent: "asOf")
        source = try json.string(ifPresent: "source")
    }
}

extension Price.Tier: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        upTo = try json.number(ifPresent: "upTo")
        usd = try json.number("usd")
    }
}

extension Price.Allowance: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        quantity = try json.number("quantity")
        note = try json.string("note")
    }
}

extension CostsFile: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        version = try json.int("version")
        notes = try json.locatedList(ifPresent: "notes")
        lets = try json.locatedList(ifPresent: "let")
        if let shared = try json.field("shared") {
            var groups: [String: Located<SharedGroup>] = [:]
            for (name, group) in try shared.members() { groups[name] = try group.located(SharedGroup.self) }
            self.shared = groups
        } else {
            shared = nil
        }
        models = try json.locatedList("models")
    }
}

extension CostsFile.LetRule: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        name = try json.string("name")
        expression = try json.string("expression")
        meaning = try json.string("meaning")
        source = try json.string("source")
    }
}

extension CostsFile.LineRule: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        item = try json.string("item")
        when = try json.string(ifPresent: "when")
        quantity = try json.string("quantity")
        unit = try json.string("unit")
        price = try json.string("price")
    }
}

extension CostsFile.NoteRule: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        when = try json.string(ifPresent: "when")
        text = try json.string("text")
    }
}

extension CostsFile.SharedGroup: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        lines = try json.locatedList(ifPresent: "lines")
        notes = try json.locatedList(ifPresent: "notes")
    }
}

extension CostsFile.ModelRule: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        pattern = try json.string("pattern")
        include = try json.strings(ifPresent: "include")
        lets = try json.locatedList(ifPresent: "let")
        lines = try json.locatedList("lines")
        notes = try json.locatedList(ifPresent: "notes")
    }
}

extension Scaffold.Manifest: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        version = try json.int("version")
        pattern = try json.string("pattern")
        main = try json.stringMap("main")
        functions = try json.list("functions")
        task = try json.string(ifPresent: "task")
        answers = try json.field("answers") == nil ? [] : try json.strings("answers")
        triggers = try json.strings("triggers")
        entries = try json.strings("entries")
        workload = []
        if let sample = try json.field("workload") {
            for (key, value) in try sample.members() { workload.append((key, try value.string())) }
        }
        if let shared = try json.field("shared") {
            var lists: [String: [String]] = [:]
            for (language, files) in try shared.members() {
                var names: [String] = []
                for file in try files.items() { names.append(try file.string()) }
                lists[language] = names
            }
            self.shared = lists
        } else {
            shared = nil
        }
        if let sharedAs = try json.field("sharedAs") {
            var maps: [String: [String: Scaffold.SharedFile]] = [:]
            for (language, entries) in try sharedAs.members() {
                var map: [String: Scaffold.SharedFile] = [:]
                for (output, entry) in try entries.members() {
                    // "output": "shared path", or "output": {"from": "shared path", "when": "boolean variable"}
                    if case .string(let from) = entry.node.kind {
                        map[output] = Scaffold.SharedFile(from: from, when: nil)
                    } else {
                        map[output] = Scaffold.SharedFile(from: try entry.string("from"), when: try entry.string(ifPresent: "when"))
                    }
                }
                maps[language] = map
            }
            self.sharedAs = maps
        } else {
            sharedAs = nil
        }
        if let conditions = try json.field("when") {
            var maps: [String: [String: [String]]] = [:]
            for (language, entries) in try conditions.members() {
                var map: [String: [String]] = [:]
                for (path, entry) in try entries.members() {
                    // "path": "boolean variable", or "path": ["variable", …] (the file is rendered when one holds)
                    if case .string(let name) = entry.node.kind { map[path] = [name] } else { map[path] = try entries.strings(path) }
                }
                maps[language] = map
            }
            self.when = maps
        } else {
            when = nil
        }
        if let mutations = try json.field("mutations") {
            var lists: [String: [Scaffold.Mutation]] = [:]
            for (language, _) in try mutations.members() { lists[language] = try mutations.list(language) }
            self.mutations = lists
        } else {
            mutations = nil
        }
    }
}

extension Scaffold.Mutation: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        name = try json.string("name")
        file = try json.string("file")
        find = try json.string("find")
        replace = try json.string("replace")
    }
}

extension Scaffold.Manifest.Function: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        logicalId = try json.string("logicalId")
        role = try json.string("role")
    }
}
