/// The template findings as rule data (`rules/template-findings.json`, SPEC §7): what each finding is
/// called, how bad it is, what to do, its message with named holes, the thresholds it judges by and the
/// examples that prove it. The resource graph (doors, sources, failure paths) is Swift; what is decided
/// about it is read from here, so a team can read, change and document it as it does the decision rules.
public struct TemplateRules: Sendable {
    /// A value a finding judges by: a number (900 s, 6 ×), a list of words (principals, pattern ids), or a
    /// table of lists (each workload entry's door kinds).
    public enum Threshold: Sendable, Equatable {
        case number(Double)
        case words([String])
        case table([String: [String]])
    }

    public struct Rule: Sendable {
        public var id: String
        public var severity: Finding.Severity
        /// Where the finding is reported: `function`, `queue`, …
        public var at: String
        public var title: String
        /// What to do about it, for `docs/findings/ID.md` and SARIF's `help`.
        public var help: String
        /// The message with `{hole}`s the check fills in.
        public var message: String
        /// Other messages for other places (`globals`, `mapping`), by name.
        public var variants: [String: String]
        /// Sentences added to the message when the check says they apply, in this order.
        public var extras: [(name: String, text: String)]
        public var thresholds: [String: Threshold]
        public var source: String
        public var examples: Examples
        public var path: [JSONPathComponent]
        public var location: SourceLocation
        var compiledMessage = Message("")
        var compiledVariants: [String: Message] = [:]
        var compiledExtras: [String: Message] = [:]
    }

    /// A message cut once, at load, into its text and its holes: filled for every finding (tens of
    /// thousands in a large repository), so never scanned again.
    struct Message: Sendable {
        enum Part: Sendable { case text(String), hole(String) }
        var parts: [Part]

        init(_ text: String) {
            var parts: [Part] = []
            let bytes = Array(text.utf8)
            var start = 0
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "{"), let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) {
                    if index > start { parts.append(.text(String(decoding: bytes[start..<index], as: UTF8.self))) }
                    parts.append(.hole(String(decoding: bytes[(index + 1)..<close], as: UTF8.self)))
                    index = close + 1
                    start = index
                } else {
                    index += 1
                }
            }
            if start < bytes.count { parts.append(.text(String(decoding: bytes[start...], as: UTF8.self))) }
            self.parts = parts
        }

        /// `{name}` → its value; a hole with no value is left as written, for `rules lint` to find.
        func fill(_ holes: [String: String], into out: inout String) {
            for part in parts {
                switch part {
                case .text(let text): out += text
                case .hole(let name): out += holes[name] ?? "{\(name)}"
                }
            }
        }
    }

    /// A failing and a passing snippet; for `workload-*` findings, the design file workload held against them.
    public struct Examples: Sendable {
        public var failing: String
        public var passing: String
        public var workload: LocatedJSON?
    }

    public var version: Int
    /// Lambda's default timeout, SQS's default visibility timeout, Lambda's default memory.
    public var defaults: [String: Double]
    public var rules: [Rule]
    private var index: [String: Int] = [:]

    public static let file = "template-findings.json"

    init(version: Int, defaults: [String: Double], rules: [Rule]) {
        self.version = version; self.defaults = defaults; self.rules = rules
        index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The rule of an id; `nil` for an id the file does not define.
    public func rule(_ id: String) -> Rule? { index[id].map { rules[$0] } }

    /// A number threshold of a finding, or `fallback` when a copied rule set leaves it out.
    func number(_ id: String, _ key: String, _ fallback: Double) -> Double {
        if case .number(let value)? = rule(id)?.thresholds[key] { return value }
        return fallback
    }

    func words(_ id: String, _ key: String) -> [String] {
        if case .words(let value)? = rule(id)?.thresholds[key] { return value }
        return []
    }

    func table(_ id: String, _ key: String) -> [String: [String]] {
        if case .table(let value)? = rule(id)?.thresholds[key] { return value }
        return [:]
    }

    func defaultValue(_ key: String, _ fallback: Double) -> Double { defaults[key] ?? fallback }

    /// The message of a finding with its holes filled, then the extras that apply, in the file's order.
    /// `nil` when the rule set does not define the id (a rule set that drops a finding turns it off).
    func message(_ id: String, variant: String? = nil, _ holes: [String: String], extras: Set<String> = []) -> String? {
        guard let rule = rule(id) else { return nil }
        var out = ""
        out.reserveCapacity(512)
        (variant.flatMap { rule.compiledVariants[$0] } ?? rule.compiledMessage).fill(holes, into: &out)
        if !extras.isEmpty {
            for extra in rule.extras where extras.contains(extra.name) {
                out += " "
                rule.compiledExtras[extra.name]?.fill(holes, into: &out)
            }
        }
        return out
    }

    /// The holes a text names.
    static func holes(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// For SARIF's `rules[]`, `check --help` and the docs pages.
    public var descriptions: [FindingRule] {
        rules.map { FindingRule(id: $0.id, level: $0.severity, title: $0.title, description: $0.help) }
    }
}

extension TemplateRules: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        var defaults: [String: Double] = [:]
        if let node = try json.field("defaults") {
            for (key, value) in try node.members() { defaults[key] = try value.number() }
        }
        var rules: [Rule] = []
        for item in try json.required("findings").items() { rules.append(try Rule(json: item)) }
        self.init(version: try json.int("version"), defaults: defaults, rules: rules)
    }
}

extension TemplateRules.Rule: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        id = try json.string("id")
        severity = try json.required("severity").word(Finding.Severity.self)
        at = try json.string("at")
        title = try json.string("title")
        help = try json.string("help")
        message = try json.string("message")
        variants = try json.field("variants") == nil ? [:] : try json.stringMap("variants")
        var extras: [(String, String)] = []
        for (name, value) in try json.field("extras")?.members() ?? [] { extras.append((name, try value.string())) }
        self.extras = extras
        var thresholds: [String: TemplateRules.Threshold] = [:]
        for (name, value) in try json.field("thresholds")?.members() ?? [] {
            switch value.node.kind {
            case .number(let number): thresholds[name] = .number(number)
            case .array:
                var words: [String] = []
                for item in try value.items() { words.append(try item.string()) }
                thresholds[name] = .words(words)
            case .object:
                var table: [String: [String]] = [:]
                for (key, list) in try value.members() {
                    var words: [String] = []
                    for item in try list.items() { words.append(try item.string()) }
                    table[key] = words
                }
                thresholds[name] = .table(table)
            default:
                throw value.fail("a threshold is a number, a list of strings or an object of such lists, found \(value.typeName)")
            }
        }
        self.thresholds = thresholds
        source = try json.string("source")
        let examples = try json.required("examples")
        self.examples = TemplateRules.Examples(failing: try examples.string("failing"), passing: try examples.string("passing"),
                                               workload: try examples.field("workload")?.node)
        path = json.path
        location = json.location
        compiledMessage = TemplateRules.Message(message)
        compiledVariants = variants.mapValues(TemplateRules.Message.init)
        compiledExtras = Dictionary(extras.map { ($0.0, TemplateRules.Message($0.1)) }, uniquingKeysWith: { first, _ in first })
    }
}

extension RuleSet {
    /// The template findings of this rule set, read when a run checks templates or lints the rules.
    public func templateFindings() throws(RuleSetError) -> TemplateRules {
        try files.decode(TemplateRules.self, from: TemplateRules.file).0
    }
}
