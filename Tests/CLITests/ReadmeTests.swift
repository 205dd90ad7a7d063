import Foundation
import Testing

/// The README's examples are real output of the current binary (regenerate with scripts/update-readme).
@Suite(.serialized) struct ReadmeTests {
    static let readme = Binary.packageRoot.appendingPathComponent("README.md").path

    @Test func examplesMatchTheBinary() throws {
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: "<!-- example: (.*?) -->\\n(`{3,})[a-z]*\\n(.*?)\\2\\n<!-- end example -->", options: [.dotMatchesLineSeparators])
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(matches.count >= 6)
        for match in matches {
            let command = String(text[Range(match.range(at: 1), in: text)!])
            let shown = String(text[Range(match.range(at: 3), in: text)!])
            let words = command.split(separator: " ").map(String.init)
            #expect(words.first == "async-advisor")
            let run = try Binary.run(Array(words.dropFirst()), environment: ["NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1795392000"], directory: Binary.packageRoot.path)
            #expect(run.stdout + run.stderr == shown, "README example '\(command)' is stale: run scripts/update-readme")
        }
    }

    /// Like a linter's rule pages: every template finding of the rule file is named in the README, which
    /// links the generated pages, and has its page in docs/findings/ (TemplateFindingRuleTests keeps them current).
    @Test func everyTemplateFindingIsDocumented() throws {
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        #expect(text.contains("[`docs/findings/`](docs/findings/README.md)"))
        let rules = try String(contentsOfFile: Binary.packageRoot.appendingPathComponent("rules/template-findings.json").path, encoding: .utf8)
        let ids = try NSRegularExpression(pattern: #"\{\s*"id": "([a-z-]+)""#).matches(in: rules, range: NSRange(rules.startIndex..., in: rules))
            .map { String(rules[Range($0.range(at: 1), in: rules)!]) }
        #expect(ids.count == 13, "\(ids)")
        for id in ids {
            #expect(text.contains("`\(id)`"), "README does not name \(id)")
            #expect(FileManager.default.fileExists(atPath: Binary.packageRoot.appendingPathComponent("docs/findings/\(id).md").path), "no page for \(id)")
        }
    }

    @Test func lintExampleIsReal() throws {
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("my-rules-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Binary.packageRoot.appendingPathComponent("rules").path, toPath: folder)
        let tree = folder + "/tree.json"
        try (try String(contentsOfFile: tree, encoding: .utf8)).replacingOccurrences(of: "\"(5m, inf)\"", with: "\"(6m, inf)\"").write(toFile: tree, atomically: true, encoding: .utf8)
        let run = try Binary.run(["rules", "lint", "--rules", folder])
        #expect(run.status == 2)
        for line in run.stderr.split(separator: "\n") {
            let shown = line.replacingOccurrences(of: folder, with: "my-rules")
            #expect(text.contains(shown), "README lacks lint output line: \(shown)")
        }
    }
}
