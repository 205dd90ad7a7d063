import Foundation
import Testing
@testable import AdvisorCore

/// Reads a template's text in-process, as `check` does, and checks it.
func templateFindings(_ text: String, path: String = "template.yaml") throws -> [TemplateFinding] {
    guard let template = try CheckDocument.read(text, path: path, rules: shippedRules).template else {
        Issue.record("\(path) was not read as a template")
        return []
    }
    return TemplateCheck.check(template, rules: shippedTemplateRules).findings
}

/// `line: resource: severity: id`, the text format's prefix, for comparing with fixtures' expectations.
func summary(_ finding: TemplateFinding) -> String {
    "\(finding.location.line): \(finding.resource): \(finding.severity.rawValue): \(finding.id)"
}

/// Every template under `Tests/Fixtures/templates/` gives exactly the findings its `.expected` file lists,
/// worked out by hand from SPEC §7 (see the fixtures' README).
@Suite struct TemplateFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/templates").path

    static var fixtures: [String] {
        FileSystem.contents(ofDirectory: folder).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
    }

    @Test func thereAreFixturesOfEveryKind() {
        let names = Self.fixtures
        #expect(names.count >= 14, "\(names)")
        #expect(names.contains { $0.hasSuffix(".json") } && names.contains { $0.hasPrefix("sam-") } && names.contains { $0.hasPrefix("cfn-") })
    }

    @Test(arguments: fixtures)
    func fixtureGivesItsExpectedFindings(_ name: String) throws {
        let text = try FileSystem.read(Self.folder + "/" + name)
        let expectedPath = Self.folder + "/" + name.split(separator: ".").dropLast().joined(separator: ".") + ".expected"
        let expected = try FileSystem.read(expectedPath).split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let found = try templateFindings(text, path: name)
        #expect(found.map(summary) == expected, "\(name): \(found.map { summary($0) + " — " + $0.message })")
        // Every finding points at its resource's logical id, and its message names the resource's values.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for finding in found {
            let line = String(lines[finding.location.line - 1])
            #expect(finding.resource == "Globals.Function.Timeout" ? line.contains("Timeout:") : line.contains(finding.resource), "\(name):\(finding.location.line) does not name \(finding.resource): \(line)")
            #expect(finding.message.contains(" s") || finding.message.contains("no "), "\(finding.message)")
        }
    }
}
