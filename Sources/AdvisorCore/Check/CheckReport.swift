/// The verdicts of one `check` run and the forms a pipeline reads them in: text lines, JSON, SARIF.
public struct CheckReport: Sendable {
    public var verdicts: [DesignCheck.Verdict]
    public let rules: RuleSet

    public init(verdicts: [DesignCheck.Verdict], rules: RuleSet) { self.verdicts = verdicts; self.rules = rules }

    /// Workloads counted by status, so the counts add up to the number of workloads.
    public struct Summary: Sendable, Equatable {
        public var workloads = 0
        public var errors = 0
        public var warnings = 0
        public var ok = 0
    }

    public var summary: Summary {
        var summary = Summary()
        for verdict in verdicts {
            summary.workloads += 1
            switch verdict.status {
            case .error: summary.errors += 1
            case .warning: summary.warnings += 1
            case .ok: summary.ok += 1
            }
        }
        return summary
    }

    /// Whether the run fails a build: any error, or with `strict` any warning too (SPEC §1, exit 1).
    public func fails(strict: Bool) -> Bool {
        verdicts.contains { $0.status == .error || (strict && $0.status == .warning) }
    }

    /// One line per finding, `design.json:12: export: error: door-closes-first: message`, then the summary.
    /// `paint` colours the severity word (the CLI passes its terminal style; nothing by default).
    public func text(paint: (Finding.Severity, String) -> String = { $1 }) -> String {
        var out = ""
        for verdict in verdicts {
            for finding in verdict.findings {
                out += "\(verdict.workload.origin.label): \(verdict.workload.name): \(paint(finding.severity, finding.severity.rawValue)): \(finding.id): \(finding.message)\n"
            }
        }
        return out + summaryLine + "\n"
    }

    /// `3 workloads: 1 error, 1 warning, 1 ok` (and `in 2 files` when there are several).
    public var summaryLine: String {
        let s = summary
        let files = Set(verdicts.compactMap(\.workload.origin.path)).count
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return count(s.workloads, "workload") + (files > 1 ? " in \(files) files" : "")
            + ": \(count(s.errors, "error")), \(count(s.warnings, "warning")), \(s.ok) ok"
    }

    /// `{"workloads": [{"name", "pattern", "recommended", "status", "file", "line", "findings"}], "summary"}`.
    public func json() -> JSONValue {
        let s = summary
        return .object([
            ("workloads", .array(verdicts.map { verdict in
                let origin = verdict.workload.origin
                return .object([
                    ("name", .string(verdict.workload.name)),
                    ("pattern", .string(verdict.workload.pattern)),
                    ("recommended", .string(verdict.recommended)),
                    ("status", .string(verdict.status.rawValue)),
                    ("file", origin.path.map(JSONValue.string) ?? .null),
                    ("line", origin.location.map { .number(Double($0.line)) } ?? .null),
                    ("findings", .array(verdict.findings.map { finding in
                        var members: [(key: String, value: JSONValue)] = [
                            ("id", .string(finding.id)),
                            ("severity", .string(finding.severity.rawValue)),
                            ("message", .string(finding.message)),
                        ]
                        if let instead = finding.instead { members.append(("instead", .string(instead))) }
                        members.append(("source", .string(finding.source)))
                        return .object(members)
                    })),
                ])
            })),
            ("summary", .object([
                ("workloads", .number(Double(s.workloads))),
                ("errors", .number(Double(s.errors))),
                ("warnings", .number(Double(s.warnings))),
                ("ok", .number(Double(s.ok))),
            ])),
        ])
    }
}
