import Foundation
import Testing
@testable import AdvisorCore

/// Every template finding carries its own examples (SwiftLint's way): one generic test runs them all, the
/// rule file's pages in `docs/findings/` are what it says, and a broken example is caught by `rules lint`.
@Suite struct TemplateFindingRuleTests {
    static var ids: [String] { shippedTemplateRules.rules.map(\.id) }

    @Test func everySPECFindingHasARule() {
        #expect(Set(Self.ids) == ["timeout-over-limit", "door-closes-first", "async-no-failure-destination", "sqs-visibility-below-timeout",
                                   "sqs-visibility-short", "sqs-no-dead-letter-queue", "stream-no-failure-destination", "dlq-on-polled-source",
                                   "durable-sync-cap", "workload-timeout-short", "workload-concurrency-cap", "workload-door-mismatch",
                                   "workload-memory-differs"])
        #expect(shippedTemplateRules.rule("workload-memory-differs")?.severity == .note)
    }

    @Test(arguments: ids)
    func examplesGiveWhatTheySay(_ id: String) throws {
        let rule = try #require(shippedTemplateRules.rule(id))
        let failing = TemplateExamples.run(rule.examples.failing, of: rule, rules: shippedRules, findings: shippedTemplateRules)
        #expect(failing.problem == nil, "\(failing.problem ?? "")")
        let raised = failing.findings.filter { $0.id == id }
        #expect(raised.count >= 1, "\(id): the failing example raises \(failing.findings.map(\.id))")
        for finding in raised {
            #expect(finding.severity == rule.severity)
            #expect(!finding.message.contains("{"), "a hole left in: \(finding.message)")
            // The finding points at a line of the snippet that names its resource.
            let line = rule.examples.failing.split(separator: "\n", omittingEmptySubsequences: false)[finding.location.line - 1]
            #expect(line.contains(finding.resource) || line.contains("Timeout:"), "\(finding.location.line): \(line)")
        }
        let passing = TemplateExamples.run(rule.examples.passing, of: rule, rules: shippedRules, findings: shippedTemplateRules)
        #expect(passing.problem == nil && !passing.findings.contains { $0.id == id }, "\(id): the passing example raises \(passing.findings.map(\.message))")
    }

    @Test func lintCatchesAnExampleThatLies() throws {
        var files = RuleFiles.builtIn
        let text = try #require(files[TemplateRules.file])
        // The timeout-over-limit failing example made to pass: lint names the finding's examples.failing.
        files[TemplateRules.file] = text.replacingOccurrences(of: "Timeout: 1200", with: "Timeout: 120")
        let problems = TemplateExamples.lint(try RuleSet.compile(.memory(files)))
        #expect(problems.count == 1 && problems[0].description.contains("$.findings[0].examples.failing: the failing example does not raise 'timeout-over-limit'"), "\(problems)")
        // A threshold is data: with 1300 s as Lambda's maximum, the 1200 s example passes too.
        files[TemplateRules.file] = text.replacingOccurrences(of: "\"maximum\": 900\n", with: "\"maximum\": 1300\n")
        let raised = try RuleSet.compile(.memory(files)).templateFindings()
        #expect(TemplateExamples.lint(try RuleSet.compile(.memory(files))).contains { $0.message.contains("does not raise 'timeout-over-limit'") })
        #expect(raised.number("timeout-over-limit", "maximum", 0) == 1300)
    }

    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/findings").path

    /// `RECORD_FINDING_DOCS=1 swift test --filter TemplateFindingRuleTests` (scripts/update-findings-docs) writes them.
    @Test func everyFindingHasItsCurrentPage() throws {
        var pages = Dictionary(uniqueKeysWithValues: shippedTemplateRules.rules.map { ($0.id + ".md", FindingPage.render($0)) })
        pages["README.md"] = FindingPage.index(shippedTemplateRules)
        if ProcessInfo.processInfo.environment["RECORD_FINDING_DOCS"] != nil {
            try FileSystem.createDirectories(Self.docs)
            for (name, text) in pages { try FileSystem.write(text, to: Self.docs + "/" + name) }
        }
        #expect(Set(FileSystem.contents(ofDirectory: Self.docs)) == Set(pages.keys), "run scripts/update-findings-docs")
        for (name, text) in pages {
            let written = try? FileSystem.read(Self.docs + "/" + name)
            #expect(written == text, "docs/findings/\(name) is stale: run scripts/update-findings-docs")
        }
    }
}
