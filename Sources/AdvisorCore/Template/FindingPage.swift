/// The page of a template finding, `docs/findings/ID.md`, made from its rule in
/// `rules/template-findings.json`: what SARIF's `helpUri` points at. A test keeps the pages current.
public enum FindingPage {
    public static func render(_ rule: TemplateRules.Rule) -> String {
        var out = "<!-- Generated from rules/template-findings.json by scripts/update-findings-docs; do not edit. -->\n"
        out += "# `\(rule.id)`: \(rule.title)\n\n"
        out += "**Severity:** \(rule.severity.rawValue) · **Reported at:** \(rule.at) · **Source:** \(rule.source)\n\n"
        out += "## What to do\n\n\(rule.help)\n\n"
        out += "## Message\n\n> \(rule.message)\n"
        for (name, text) in rule.variants.sorted(by: { $0.key < $1.key }) { out += "\nAt \(name == "globals" ? "`Globals.Function.Timeout`" : "the \(name)"):\n\n> \(text)\n" }
        if !rule.extras.isEmpty {
            out += "\nAdded when it applies:\n\n"
            for extra in rule.extras { out += "- *\(extra.name)*: \(extra.text)\n" }
        }
        if !rule.thresholds.isEmpty {
            out += "\n## Thresholds\n\n| name | value |\n| --- | --- |\n"
            for (name, value) in rule.thresholds.sorted(by: { $0.key < $1.key }) {
                let text: String
                switch value {
                case .number(let number): text = Value.formatNumber(number)
                case .words(let words): text = words.map { "`\($0)`" }.joined(separator: ", ")
                case .table(let table): text = table.sorted { $0.key < $1.key }.map { "`\($0.key)` → \($0.value.joined(separator: ", "))" }.joined(separator: "; ")
                }
                out += "| `\(name)` | \(text) |\n"
            }
        }
        out += "\n## Examples\n\n"
        if let workload = rule.examples.workload {
            out += "Held against this workload of a design file in the same run:\n\n```json\n\(JSONWriter.write(workload.value))\n```\n\n"
        }
        out += "Raises `\(rule.id)`:\n\n```yaml\n\(rule.examples.failing)```\n\nDoes not:\n\n```yaml\n\(rule.examples.passing)```\n\n"
        out += "Suppress it for one resource with `Metadata: {async-advisor: {ignore: [\(rule.id)]}}`.\n"
        return out
    }

    /// `docs/findings/README.md`: every finding, by severity as the rule file lists them.
    public static func index(_ rules: TemplateRules) -> String {
        var out = "<!-- Generated from rules/template-findings.json by scripts/update-findings-docs; do not edit. -->\n"
        out += "# Template findings\n\nWhat `async-advisor check` reports on AWS SAM and CloudFormation templates. Each finding is rule data in "
        out += "`rules/template-findings.json` — its severity, message, thresholds and examples — and `async-advisor rules lint` runs every example.\n\n"
        out += "| id | severity | title |\n| --- | --- | --- |\n"
        for rule in rules.rules { out += "| [`\(rule.id)`](\(rule.id).md) | \(rule.severity.rawValue) | \(rule.title) |\n" }
        return out
    }
}
