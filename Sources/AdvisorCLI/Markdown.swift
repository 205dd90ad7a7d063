import AdvisorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// GitHub-flavoured Markdown pieces: tables whose rows all have the header's cell count, cells that cannot
/// break the table, fenced code that cannot be closed early.
enum Markdown {
    /// A source a reader can follow: a page as a link with its title, anything else as written.
    static func source(_ source: String, rules: RuleSet) -> String {
        rules.page(source).map { "[\($0.title)](\($0.url))" } ?? source
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var out = "| " + header.map(cell).joined(separator: " | ") + " |\n"
        out += "|" + header.map { _ in " --- |" }.joined() + "\n"
        for row in rows {
            let padded = row + Array(repeating: "", count: max(0, header.count - row.count))
            out += "| " + padded.prefix(header.count).map(cell).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// One table cell: pipes escaped, line breaks folded into spaces.
    static func cell(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("|", with: "\\|").replacing("\r\n", with: " ").replacing("\n", with: " ")
    }

    /// A fenced block whose fence is longer than any run of backticks inside.
    static func fenced(_ code: String, language: String = "") -> String {
        var longest = 0, run = 0
        for character in code { if character == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + language + "\n" + code + (code.hasSuffix("\n") ? "" : "\n") + fence + "\n"
    }

    static func code(_ text: String) -> String {
        text.contains("`") ? "`` \(text) ``" : "`\(text)`"
    }

    /// Today's date (UTC) as YYYY-MM-DD, or the day of `SOURCE_DATE_EPOCH` when it is set, so a document
    /// generated for a README or a test is the same every day.
    static func today() -> String {
        var seconds = Int(time(nil))
        if let fixed = getenv("SOURCE_DATE_EPOCH").flatMap({ Int(String(cString: $0)) }) { seconds = fixed }
        return civilDate(daysSinceEpoch: Int((Double(seconds) / 86_400).rounded(.down)))
    }

    /// Howard Hinnant's days-to-civil algorithm.
    static func civilDate(daysSinceEpoch days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}

/// The recommendation as an architecture decision record (`recommend --format markdown`).
enum RecommendationMarkdown {
    static func render(_ r: Recommendation, rules: RuleSet, starter: ScaffoldCommand.Starter, costSection: String? = nil) -> String {
        let pattern = rules.pattern(r.pattern.id)
        var out = "# Use \(r.pattern.name) (\(Markdown.code(r.pattern.id)))\n\n"
        out += "- **Date:** \(Markdown.today())\n- **Status:** proposed\n"
        out += "- **Decided with:** async-advisor \(CLI.version), \(rules.files.label)\n\n"

        out += "## Context\n\n"
        var rows: [[String]] = []
        for input in rules.inputs {
            guard let entry = r.answers.entries[input.id] else { continue }
            rows.append([Markdown.code("--" + input.flag), input.prompt, InputValue.format(entry.value, for: input), entry.defaulted ? "default" : "given"])
        }
        out += Markdown.table(["input", "question", "value", "source"], rows)
        out += "\nReproduce: \(Markdown.code(RecommendationReport.command(r.answers, rules: rules)))\n\n"

        out += "## Decision\n\n"
        out += "**\(r.pattern.name)** (\(Markdown.code(r.pattern.id)))" + (pattern.map { ": \($0.summary)" } ?? "") + "\n\n"
        out += "The path through the decision tree:\n\n"
        for (index, step) in r.path.enumerated() {
            out += "\(index + 1). \(step.because) — rule \(step.rule), source: \(Markdown.source(step.source, rules: rules))\n"
        }
        if !r.companions.isEmpty {
            out += "\nTogether with:\n\n"
            for c in r.companions { out += "- **\(c.name)** (\(Markdown.code(c.id))): \(c.why)\n" }
        }

        out += "\n## Alternatives considered\n\n"
        var alternatives: [[String]] = r.alternatives.map { [Markdown.code($0.id), "alternative", $0.why] }
        alternatives += r.notChosen.map { [Markdown.code($0.id), $0.infeasible ? "cannot run it" : "not chosen", $0.why] }
        out += Markdown.table(["pattern", "verdict", "why it lost"], alternatives)

        out += "\n## Consequences\n\n"
        if let costSection { out += costSection + "\n" }
        if let pattern {
            out += "### Limits\n\n"
            for line in pattern.limits.lines { out += "- \(line)\n" }
            out += "\n"
        }
        if let door = r.frontDoor(rules) {
            out += "### Front door: \(door.name) (window \(door.window))\n\n"
            for note in door.notes { out += "- \(note)\n" }
            out += "\n"
        }
        out += "### Warnings\n\n"
        if r.warnings.isEmpty { out += "None for these inputs.\n" }
        for w in r.warnings { out += "- **\(w.id)**: \(w.message) (source: \(Markdown.source(w.source, rules: rules)))\n" }
        if let pattern, !pattern.pitfalls.isEmpty {
            out += "\n### Pitfalls\n\n"
            for p in pattern.pitfalls { out += "- \(p.text) (source: \(Markdown.source(p.source, rules: rules)))\n" }
        }

        out += "\n## Next steps\n\n"
        out += "Write the starter project (handlers, AWS SAM template, events, tests, README):\n\n"
        out += Markdown.fenced(starter.request.command, language: "sh")
        out += "\nIts main handler, \(Markdown.code(starter.main)), up to where the business logic goes:\n\n"
        out += Markdown.fenced(starter.preview, language: starter.request.language)
        return out
    }
}

/// Costs in Markdown: the line items of one pattern with each price's rate, date and source, and the
/// side-by-side view of `cost --format markdown`.
enum CostMarkdown {
    static func section(_ estimate: CostEstimate, rules: RuleSet, answers: Answers) -> String {
        var out = "### Cost: \(Money.bill(estimate.monthly)) a month\n\n"
        out += "Basis: " + CostText.basis(estimate, rules: rules) + ".\n\n"
        out += Markdown.table(["item", "quantity", "unit", "price", "monthly"], estimate.lines.map { line in
            [line.item, Value.formatNumber(line.quantity), line.unit, line.price.rateText, Money.bill(line.monthly)]
        } + [["**total**", "", "", "", "**\(Money.bill(estimate.monthly))**"]])
        if let concurrency = estimate.concurrency {
            out += "\nConcurrency: " + CostText.concurrencyText(concurrency, answers: answers, rules: rules) + ".\n"
        }
        out += "\nPrices:\n\n"
        var seen: Set<String> = []
        for line in estimate.lines where seen.insert(line.price.id).inserted {
            out += "- \(Markdown.code(line.price.id)) \(line.price.rateText), read \(line.price.asOf ?? "?"): \(line.price.source ?? "no source")\n"
        }
        let assumed = CostText.assumptions(estimate, answers: answers, rules: rules)
        if !assumed.isEmpty { out += "\nAssumes: \(assumed).\n" }
        for note in estimate.notes { out += "\n- \(note)" }
        if !estimate.notes.isEmpty { out += "\n" }
        return out
    }

    static func comparison(_ options: [CostEstimator.Option], recommended: Recommendation?, rules: RuleSet, answers: Answers) -> String {
        guard let first = options.first else { return "" }
        var out = "# Monthly cost, side by side\n\n"
        out += "Basis: " + CostText.basis(first.estimate, rules: rules) + ".\n\n"
        out += "Workload: \(Markdown.code(RecommendationReport.command(answers, rules: rules, verb: "cost"))).\n\n"
        let feasible = options.filter(\.feasible)
        out += Markdown.table(["pattern", "monthly", "concurrency needed / limit", "note"], feasible.map { option in
            [Markdown.code(option.id), Money.bill(option.estimate.monthly),
             option.estimate.concurrency.map { Value.formatNumber($0.needed.rounded(.up)) + " / " + Value.formatNumber($0.limit) + ($0.exceeds ? " (above)" : "") } ?? "",
             option.standing == .recommended ? "recommended" : option.standing == .alternative ? "alternative" : ""]
        })
        let infeasible = options.filter { !$0.feasible }
        if !infeasible.isEmpty {
            out += "\nCannot run this workload:\n\n"
            for option in infeasible { out += "- \(Markdown.code(option.id)): \(option.why ?? "")\n" }
        }
        if let cheapest = CostEstimator.cheapest(options) {
            out += "\nCheapest that can run it: \(Markdown.code(cheapest.id)) at \(Money.bill(cheapest.estimate.monthly)) a month.\n"
        }
        return out
    }
}

/// `check --format markdown`: the findings as a list per workload and per template, for a pull-request comment.
enum CheckMarkdown {
    static func render(_ report: CheckReport) -> String {
        var out = "# async-advisor check\n\n**\(report.summaryLine)**\n"
        if !report.verdicts.isEmpty {
            out += "\n## Workloads\n\n"
            out += Markdown.table(["workload", "pattern", "recommended", "status", "where"], report.verdicts.map { verdict in
                [verdict.workload.name, Markdown.code(verdict.workload.pattern), Markdown.code(verdict.recommended),
                 verdict.status.rawValue, verdict.workload.origin.label]
            })
            for verdict in report.verdicts where !verdict.findings.isEmpty {
                out += "\n### \(verdict.workload.name) (\(Markdown.code(verdict.workload.pattern)))\n\n"
                for finding in verdict.findings {
                    out += "- **\(finding.severity.rawValue)** \(Markdown.code(finding.id)): \(finding.message)"
                    if let instead = finding.instead { out += " Instead: \(instead)." }
                    out += " (source: \(finding.source))\n"
                }
            }
        }
        if !report.templates.isEmpty {
            // Only the templates with something to say; the clean ones are counted (SPEC §7).
            out += "\n## Templates\n"
            for template in report.templates where !template.findings.isEmpty {
                out += "\n### \(Markdown.code(template.path))\n\n"
                for finding in template.findings {
                    out += "- **\(finding.severity.rawValue)** \(Markdown.code(finding.id)) at \(Markdown.code(finding.resource)) (line \(finding.location.line)): \(finding.message)\n"
                }
            }
            let clean = report.templates.filter(\.findings.isEmpty).count
            if clean > 0 { out += "\n\(clean) template\(clean == 1 ? "" : "s") without findings.\n" }
        }
        if !report.problems.isEmpty {
            out += "\n## Files that could not be checked\n\n"
            for problem in report.problems {
                out += "- \(Markdown.code("\(problem.file):\(problem.location)")): \(problem.detail)\n"
            }
        }
        return out
    }
}
