import Foundation
import Testing
@testable import AdvisorCLI

/// `--format markdown`: a decision record that renders on GitHub — sections, well-formed tables, fenced code.
@Suite struct MarkdownTests {
    /// Cells of a table row: split on pipes that are not escaped.
    static func cells(_ row: Substring) -> Int {
        var count = 0, escaped = false
        for character in row {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true } else if character == "|" { count += 1 }
        }
        return count - 1
    }

    /// Every table (a header, a `| --- |` rule, rows) has the header's number of cells in each row.
    static func checkTables(_ text: String) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var tables = 0, index = 0
        while index < lines.count {
            if index + 1 < lines.count, lines[index].hasPrefix("| "), lines[index + 1].hasPrefix("| ---") {
                tables += 1
                let width = cells(lines[index])
                #expect(cells(lines[index + 1]) == width, "rule row: \(lines[index + 1])")
                index += 2
                while index < lines.count, lines[index].hasPrefix("|") {
                    #expect(cells(lines[index]) == width, "row with a different cell count: \(lines[index])")
                    index += 1
                }
            } else { index += 1 }
        }
        return tables
    }

    @Test(arguments: ["python", "typescript"])
    func recommendationAsADecisionRecord(_ language: String) throws {
        let run = try Binary.run(["recommend", "--duration", "90s", "--trigger", "webhook", "--response", "ack", "--format", "markdown", "--lang", language],
                                 environment: ["SOURCE_DATE_EPOCH": "1795392000"])
        #expect(run.status == 0, "\(run.stderr)")
        let text = run.stdout
        #expect(text.hasPrefix("# Use ") && text.contains("(`lambda-self-invoke`)"))
        #expect(text.contains("- **Date:** 2026-11-23\n- **Status:** proposed\n"))
        var last = text.startIndex
        for section in ["## Context", "## Decision", "## Alternatives considered", "## Consequences", "### Cost: $", "### Limits", "### Warnings", "## Next steps"] {
            let range = try #require(text.range(of: "\n" + section), "missing \(section)")
            #expect(range.lowerBound >= last, "\(section) out of order")
            last = range.lowerBound
        }
        #expect(Self.checkTables(text) >= 2)
        #expect(text.contains("| `--duration` | How long does one task take at worst (p99)? | 1m30s | given |"))
        // A webhook's project is written for its sender (the default, generic, named so the command writes the same project).
        #expect(text.contains("```sh\nasync-advisor scaffold lambda-self-invoke --lang \(language) --sender generic\n```\n"))
        #expect(text.contains("```\(language)\n"))
        #expect(text.components(separatedBy: "```").count % 2 == 1, "fences are balanced")
        #expect(!text.contains("\u{1B}["), "no terminal escapes in markdown")
    }

    @Test func costSideBySideAndOnePattern() throws {
        let all = try Binary.run(["cost", "--duration", "4m", "--response", "ack", "--format", "markdown"])
        #expect(all.status == 0 && all.stdout.hasPrefix("# Monthly cost, side by side\n"))
        #expect(Self.checkTables(all.stdout) == 1)
        #expect(all.stdout.contains("| recommended |") && all.stdout.contains("Cannot run this workload:\n\n- `sync`: "))
        let one = try Binary.run(["cost", "--duration", "4m", "--response", "ack", "--pattern", "sqs-queue", "--format", "markdown"])
        #expect(one.status == 0 && Self.checkTables(one.stdout) == 1)
        #expect(one.stdout.contains("| **total** |") && one.stdout.contains("https://aws.amazon.com/sqs/pricing/"))
    }

    @Test func checkFindingsPerWorkloadAndTemplate() throws {
        let run = try Binary.run(["check", "examples/design.json", "examples/template.yaml", "--format", "markdown"], directory: Binary.packageRoot.path)
        #expect(run.status == 1, "the examples have errors: \(run.stderr)")
        let text = run.stdout
        #expect(text.hasPrefix("# async-advisor check\n\n**8 workloads and 1 template in 2 files: "))
        #expect(Self.checkTables(text) == 1)
        #expect(text.contains("\n### report-export (`sync`)\n\n- **error** `door-closes-first`: "))
        #expect(text.contains("\n## Templates\n\n### `examples/template.yaml`\n\n- **"))
        #expect(text.contains("at `OrderQueue` (line 35)"))
    }

    @Test func cellsCannotBreakATable() {
        let table = Markdown.table(["a", "b"], [["x | y", "line\nbreak"], ["only one"]])
        #expect(Self.checkTables(table) == 1)
        #expect(table.contains("x \\| y") && table.contains("line break") && table.contains("| only one |  |"))
        #expect(Markdown.fenced("```\ncode\n```\n").hasPrefix("````\n"))
    }

    @Test func civilDates() {
        #expect(Markdown.civilDate(daysSinceEpoch: 0) == "1970-01-01")
        #expect(Markdown.civilDate(daysSinceEpoch: 20_780) == "2026-11-23")
        #expect(Markdown.civilDate(daysSinceEpoch: 11_016) == "2000-02-29")
        #expect(Markdown.civilDate(daysSinceEpoch: 11_017) == "2000-03-01")
        #expect(Markdown.civilDate(daysSinceEpoch: -1) == "1969-12-31")
    }
}
