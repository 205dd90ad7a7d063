/// The verdicts of one `check` run and the forms a pipeline reads them in: text lines, JSON, SARIF.
/// Design-file workloads and templates (SPEC §7) can be checked in one run; a run without templates reads
/// exactly as before they existed.
public struct CheckReport: Sendable {
    public var verdicts: [DesignCheck.Verdict]
    /// One report per template file, in the order the files were given.
    public var templates: [TemplateCheck.Report]
    /// The files that could not be read or parsed, each problem located (SPEC §7): they make the exit
    /// code 2, and every other file is still reported in full.
    public var problems: [DesignProblem]
    public let rules: RuleSet
    /// The template findings' rules, for SARIF's descriptions; set when templates were checked.
    public var templateRules: TemplateRules?

    public init(verdicts: [DesignCheck.Verdict], templates: [TemplateCheck.Report] = [], problems: [DesignProblem] = [], rules: RuleSet) {
        self.verdicts = verdicts; self.templates = templates; self.problems = problems; self.rules = rules
    }

    /// The files the problems are in, counted once each.
    public var unreadableFiles: Int { Set(problems.map(\.file)).count }

    /// Workloads counted by status, so those counts add up to the number of workloads; with templates,
    /// `errors` and `warnings` also count each template finding of that severity, and `ok` each template
    /// without findings.
    public struct Summary: Sendable, Equatable {
        public var workloads = 0
        public var errors = 0
        public var warnings = 0
        public var ok = 0
        public var templates = 0
        public var problems = 0
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
        summary.problems = problems.count
        for template in templates {
            summary.templates += 1
            if template.findings.allSatisfy({ $0.severity == .note }) { summary.ok += 1 }
            for finding in template.findings {
                switch finding.severity {
                case .error: summary.errors += 1
                case .warning: summary.warnings += 1
                case .note: continue
                }
            }
        }
        return summary
    }

    /// Whether the run fails a build: any error, or with `strict` any warning too (SPEC §1, exit 1).
    public func fails(strict: Bool) -> Bool {
        verdicts.contains { $0.status == .error || (strict && $0.status == .warning) }
            || templates.contains { $0.findings.contains { $0.severity == .error || (strict && $0.severity == .warning) } }
    }

    /// One line per finding, `design.json:12: export: error: door-closes-first: message` for a workload and
    /// `template.yaml:40: Worker: warning: door-closes-first: message` for a template's resource, then the
    /// summary.
    /// `paint` colours the severity word (the CLI passes its terminal style; nothing by default).
    public func text(paint: (Finding.Severity, String) -> String = { $1 }) -> String {
        var out = ""
        write(to: { out += $0 }, paint: paint)
        return out
    }

    /// The text, written in pieces of about 64 KB as it is made rather than gathered into one string: the
    /// findings of thousands of templates never sit in memory twice.
    public func write(to sink: (String) -> Void, paint: (Finding.Severity, String) -> String = { $1 }) {
        var out = ""
        func flush(_ force: Bool = false) {
            if force || out.utf8.count >= 65_536 { sink(out); out = "" }
        }
        for verdict in verdicts {
            for finding in verdict.findings {
                out += "\(verdict.workload.origin.label): \(verdict.workload.name): \(paint(finding.severity, finding.severity.rawValue)): \(finding.id): \(finding.message)\n"
                flush()
            }
        }
        for template in templates {
            for finding in template.findings {
                out += "\(template.path):\(finding.location.line): \(finding.resource): \(paint(finding.severity, finding.severity.rawValue)): \(finding.id): \(finding.message)\n"
                flush()
            }
            for note in template.notes {
                out += "\(template.path):\(note.location.line): \(note.resource): note: \(note.message)\n"
                flush()
            }
        }
        out += summaryLine + "\n"
        flush(true)
    }

    /// `3 workloads: 1 error, 1 warning, 1 ok` (and `in 2 files` when there are several);
    /// `2 templates: …` or `3 workloads and 2 templates in 3 files: …` when templates were checked.
    public var summaryLine: String {
        Self.summaryLine(summary, files: Set(verdicts.compactMap(\.workload.origin.path)).count + templates.count, unreadable: unreadableFiles)
    }

    /// The summary line from the counts: `files` is the design files with workloads and the templates.
    static func summaryLine(_ s: Summary, files: Int, unreadable: Int) -> String {
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let checked = s.templates == 0 ? count(s.workloads, "workload")
            : s.workloads == 0 ? count(s.templates, "template")
            : count(s.workloads, "workload") + " and " + count(s.templates, "template")
        return checked + (files > 1 && !(s.workloads == 0 && files == s.templates) ? " in \(files) files" : "")
            + ": \(count(s.errors, "error")), \(count(s.warnings, "warning")), \(s.ok) ok"
            + (s.problems == 0 ? "" : "; \(count(unreadable, "file")) could not be read")
    }

    /// `design.json:4:30: error: unknown pattern …`, one line per problem, the form editors jump to.
    public var problemLines: String {
        problems.map { "\($0.file):\($0.location): error: \($0.detail)\n" }.joined()
    }

    /// `{"workloads": [{"name", "pattern", "recommended", "status", "file", "line", "findings"}], "summary"}`,
    /// with `"templates": [{"file", "findings": [{"id", "severity", "resource", "line", "message"}]}]` beside
    /// `workloads` (and a `templates` count in the summary) when templates were checked.
    public func json() -> JSONValue {
        let s = summary
        var members: [(key: String, value: JSONValue)] = [
            ("workloads", .array(verdicts.map(Self.json))),
        ]
        var counts: [(key: String, value: JSONValue)] = [("workloads", .number(Double(s.workloads)))]
        if !templates.isEmpty {
            members.append(("templates", .array(templates.map(Self.json))))
            counts.append(("templates", .number(Double(s.templates))))
        }
        if !problems.isEmpty {
            members.append(("problems", .array(problems.map(Self.json))))
            counts.append(("problems", .number(Double(s.problems))))
        }
        counts += [("errors", .number(Double(s.errors))), ("warnings", .number(Double(s.warnings))), ("ok", .number(Double(s.ok)))]
        members.append(("summary", .object(counts)))
        return .object(members)
    }

    /// One workload's entry of `workloads`.
    static func json(_ verdict: DesignCheck.Verdict) -> JSONValue {
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
                if let reason = finding.acknowledged { members.append(("acknowledged", .string(reason))) }
                members.append(("source", .string(finding.source)))
                return .object(members)
            })),
        ])
    }

    /// One template's entry of `templates`.
    static func json(_ template: TemplateCheck.Report) -> JSONValue {
        .object([
            ("file", .string(template.path)),
            ("findings", .array(template.findings.map { finding in
                .object([
                    ("id", .string(finding.id)),
                    ("severity", .string(finding.severity.rawValue)),
                    ("resource", .string(finding.resource)),
                    ("line", .number(Double(finding.location.line))),
                    ("message", .string(finding.message)),
                ])
            })),
            ("notes", .array(template.notes.map { note in
                .object([
                    ("resource", .string(note.resource)),
                    ("line", .number(Double(note.location.line))),
                    ("message", .string(note.message)),
                ])
            })),
        ])
    }

    /// One entry of `problems`.
    static func json(_ problem: DesignProblem) -> JSONValue {
        .object([
            ("file", .string(problem.file)),
            ("line", .number(Double(problem.location.line))),
            ("column", .number(Double(problem.location.column))),
            ("message", .string(problem.detail)),
        ])
    }

    /// The summary object, from the counts.
    static func json(_ s: Summary, templates: Bool, problems: Bool) -> JSONValue {
        var counts: [(key: String, value: JSONValue)] = [("workloads", .number(Double(s.workloads)))]
        if templates { counts.append(("templates", .number(Double(s.templates)))) }
        if problems { counts.append(("problems", .number(Double(s.problems)))) }
        counts += [("errors", .number(Double(s.errors))), ("warnings", .number(Double(s.warnings))), ("ok", .number(Double(s.ok)))]
        return .object(counts)
    }
}
