/// The check as a SARIF 2.1.0 log, the format GitHub code scanning (and most CI dashboards) reads: each
/// finding id described once in `tool.driver.rules`, one result per finding with its rule and level,
/// located at the design file and the workload's line, or at the template and the line of the resource's
/// logical id, so code scanning annotates the line of `template.yaml` to change.
public enum SARIFReport {
    public struct Tool: Sendable {
        public var version: String
        public var informationURI: String
        /// Where the findings' pages are: `helpUri` is this followed by `ID.md`.
        public var findingsURI: String
        public init(version: String, informationURI: String) {
            self.version = version; self.informationURI = informationURI
            findingsURI = informationURI + "/blob/main/docs/findings/"
        }
    }

    public static func log(_ report: CheckReport, tool: Tool) -> JSONValue {
        var ruleIDs: [String] = []
        var ruleIndex: [String: Int] = [:]
        var designIDs: Set<String> = []
        for verdict in report.verdicts {
            for finding in verdict.findings where ruleIndex[finding.id] == nil {
                ruleIndex[finding.id] = ruleIDs.count
                ruleIDs.append(finding.id)
                designIDs.insert(finding.id)
            }
        }
        for template in report.templates {
            for finding in template.findings where ruleIndex[finding.id] == nil {
                ruleIndex[finding.id] = ruleIDs.count
                ruleIDs.append(finding.id)
            }
        }
        let rules = ruleIDs.map { rule($0, designIDs: designIDs, rules: report.rules, templateRules: report.templateRules, tool: tool) }
        var results: [JSONValue] = []
        for verdict in report.verdicts {
            for finding in verdict.findings {
                results.append(result(finding, verdict: verdict, index: ruleIndex[finding.id]!))
            }
        }
        for template in report.templates {
            for finding in template.findings {
                results.append(result(finding, template: template.path, index: ruleIndex[finding.id]!))
            }
        }
        return document(rules: rules, invocation: invocation(report), results: results, tool: tool)
    }

    /// A `tool.driver.rules` entry for an id. An id both checks use (door-closes-first) is described as the
    /// design check's when a workload raised it; each result carries its own level either way.
    static func rule(_ id: String, designIDs: Set<String>, rules: RuleSet, templateRules: TemplateRules?, tool: Tool) -> JSONValue {
        if !designIDs.contains(id), let templateRule = templateRules?.rule(id) {
            return rule(FindingRule(id: id, level: templateRule.severity, title: templateRule.title, description: templateRule.help),
                        help: templateRule.help, helpURI: tool.findingsURI + id + ".md")
        }
        let described = FindingRule.describe(id, rules: rules)
        return rule(described, help: described.description + " Each result's message names the pattern to use instead and why.", helpURI: nil)
    }

    /// The log around its parts.
    static func document(rules: [JSONValue], invocation: JSONValue, results: [JSONValue], tool: Tool) -> JSONValue {
        let driver: JSONValue = .object([
            ("name", .string("async-advisor")),
            ("version", .string(tool.version)),
            ("semanticVersion", .string(tool.version)),
            ("informationUri", .string(tool.informationURI)),
            ("rules", .array(rules)),
        ])
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", driver)])),
                ("invocations", .array([invocation])),
                ("columnKind", .string("unicodeCodePoints")),
                ("results", .array(results)),
            ])])),
        ])
    }

    /// The run itself: whether every file could be read, and a `toolExecutionNotifications` entry, located,
    /// for each problem of a file that could not (SPEC §7), so code scanning shows why a file went unchecked.
    static func invocation(_ report: CheckReport) -> JSONValue {
        invocation(successful: report.problems.isEmpty, notifications: report.problems.map(notification) + report.templates.flatMap(notifications))
    }

    static func invocation(successful: Bool, notifications: [JSONValue]) -> JSONValue {
        .object([
            ("executionSuccessful", .bool(successful)),
            ("toolExecutionNotifications", .array(notifications)),
        ])
    }

    /// A problem of a file that could not be checked, located.
    static func notification(_ problem: DesignProblem) -> JSONValue {
        notification("error", problem.detail, file: problem.file, at: problem.location)
    }

    /// What a template check passed over (a Rain module, an unknown collection, a file not included).
    static func notifications(_ template: TemplateCheck.Report) -> [JSONValue] {
        template.notes.map { note in notification("note", "Resource '\(note.resource)': \(note.message)", file: template.path, at: note.location) }
    }

    /// A `tool.driver.rules` entry; a template finding's `helpUri` is its page, `docs/findings/ID.md`.
    static func notification(_ level: String, _ text: String, file: String, at location: SourceLocation) -> JSONValue {
        .object([
            ("level", .string(level)),
            ("message", .object([("text", .string(text))])),
            ("locations", .array([.object([("physicalLocation", .object([
                ("artifactLocation", .object([("uri", .string(uri(file)))])),
                ("region", .object([("startLine", .number(Double(location.line))), ("startColumn", .number(Double(location.column)))])),
            ]))])])),
        ])
    }

    static func rule(_ rule: FindingRule, help: String, helpURI: String?) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(rule.id)),
            ("name", .string(camelCase(rule.id))),
            ("shortDescription", .object([("text", .string(rule.title))])),
            ("fullDescription", .object([("text", .string(rule.description))])),
            ("help", .object([("text", .string(help))])),
        ]
        if let helpURI { members.append(("helpUri", .string(helpURI))) }
        members.append(("defaultConfiguration", .object([("level", .string(rule.level.rawValue))])))
        return .object(members)
    }

    static func result(_ finding: Finding, verdict: DesignCheck.Verdict, index: Int) -> JSONValue {
        let workload = verdict.workload
        let location: JSONValue
        if case .file(let path, let at) = workload.origin {
            location = .object([("physicalLocation", .object([
                ("artifactLocation", .object([("uri", .string(uri(path)))])),
                ("region", .object([("startLine", .number(Double(at.line))), ("startColumn", .number(Double(at.column)))])),
            ]))])
        } else {
            // A workload given as flags has no file: name it, so a viewer can still tell results apart.
            location = .object([("logicalLocations", .array([.object([("name", .string(workload.name)), ("kind", .string("workload"))])]))])
        }
        var members: [(key: String, value: JSONValue)] = [
            ("ruleId", .string(finding.id)),
            ("ruleIndex", .number(Double(index))),
            ("level", .string(finding.severity.rawValue)),
            ("message", .object([("text", .string("Workload '\(workload.name)' (\(workload.pattern)): \(finding.message)"))])),
            ("locations", .array([location])),
        ]
        // An acknowledged warning stays visible as a note; its reason travels in the result's property bag.
        if let reason = finding.acknowledged { members.append(("properties", .object([("acknowledged", .string(reason))]))) }
        return .object(members)
    }

    static func result(_ finding: TemplateFinding, template path: String, index: Int) -> JSONValue {
        .object([
            ("ruleId", .string(finding.id)),
            ("ruleIndex", .number(Double(index))),
            ("level", .string(finding.severity.rawValue)),
            ("message", .object([("text", .string("Resource '\(finding.resource)': \(finding.message)"))])),
            ("locations", .array([.object([
                ("physicalLocation", .object([
                    ("artifactLocation", .object([("uri", .string(uri(path)))])),
                    ("region", .object([("startLine", .number(Double(finding.location.line))),
                                        ("startColumn", .number(Double(finding.location.column)))])),
                ])),
                ("logicalLocations", .array([.object([("name", .string(finding.resource)), ("kind", .string("resource"))])])),
            ])])),
        ])
    }

    /// The design file path as given, as a URI reference: relative paths stay relative (code scanning
    /// resolves them against the repository root the job runs in), absolute ones become `file://` URIs.
    static func uri(_ path: String) -> String {
        func unreserved(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
                || byte == UInt8(ascii: "/")
        }
        // The usual path needs no escape: it is asked for once per finding, thousands of times.
        if !path.hasPrefix("./"), path.utf8.allSatisfy(unreserved) { return path.hasPrefix("/") ? "file://" + path : path }
        var trimmed = Substring(path)
        while trimmed.hasPrefix("./") { trimmed = trimmed.dropFirst(2) }
        var encoded = ""
        for byte in trimmed.utf8 {
            if unreserved(byte) { encoded.unicodeScalars.append(Unicode.Scalar(byte)) }
            else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    /// `door-closes-first` → `DoorClosesFirst`, the form SARIF viewers show as a rule name.
    static func camelCase(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
