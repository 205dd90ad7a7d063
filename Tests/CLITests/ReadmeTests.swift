import Foundation
import Testing

/// The README's examples are real output of the current binary (regenerate with scripts/update-readme).
@Suite(.serialized) struct ReadmeTests {
    static let readme = Binary.packageRoot.appendingPathComponent("README.md").path

    /// The README and every page of docs/ that holds examples: what scripts/update-readme regenerates.
    static var pages: [String] {
        let docs = Binary.packageRoot.appendingPathComponent("docs").path
        let found = (FileManager.default.enumerator(atPath: docs)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".md") }.map { docs + "/" + $0 }
            .filter { ((try? String(contentsOfFile: $0, encoding: .utf8)) ?? "").contains("<!-- example: ") }
        return [readme] + found.sorted()
    }

    @Test func examplesMatchTheBinary() throws {
        let pattern = try NSRegularExpression(pattern: "<!-- example: (.*?) -->\\n(`{3,})[a-z]*\\n(.*?)\\2\\n<!-- end example -->", options: [.dotMatchesLineSeparators])
        var total = 0
        for page in Self.pages {
            let text = try String(contentsOfFile: page, encoding: .utf8)
            let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
            total += matches.count
            for match in matches {
                let command = String(text[Range(match.range(at: 1), in: text)!])
                let shown = String(text[Range(match.range(at: 3), in: text)!])
                let words = command.split(separator: " ").map(String.init)
                #expect(words.first == "async-advisor")
                let run = try Binary.run(Array(words.dropFirst()), environment: ["NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1795392000"], directory: Binary.packageRoot.path)
                #expect(run.stdout + run.stderr == shown, "\(page): example '\(command)' is stale: run scripts/update-readme")
            }
        }
        #expect(Self.pages.count >= 4 && total >= 20, "\(Self.pages.count) pages, \(total) examples")
    }

    /// scripts/update-readme run now changes nothing: the README and docs are what the binary prints.
    @Test func updateReadmeLeavesEveryPageUnchanged() throws {
        let before = try Self.pages.map { try String(contentsOfFile: $0, encoding: .utf8) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Binary.packageRoot.appendingPathComponent("scripts/update-readme").path, "--check"]
        var environment = ProcessInfo.processInfo.environment
        environment["ASYNC_ADVISOR"] = Binary.path
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "scripts/update-readme would change a page: run it")
        #expect(try Self.pages.map { try String(contentsOfFile: $0, encoding: .utf8) } == before, "--check writes nothing")
    }

    /// A new user gets from clone to `async-advisor` on PATH in two commands, within 600 lines, and every
    /// docs/ page the README links exists.
    @Test func readmeIsShortAndPutsTheBinaryOnPath() throws {
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(lines <= 600, "README has \(lines) lines")
        #expect(text.contains("swift build -c release && install -D -m 755 .build/release/async-advisor ~/.local/bin/async-advisor"))
        #expect(text.contains("```sh\nscripts/test\n```"))
        let links = try NSRegularExpression(pattern: #"\]\((docs/[^)#]+)"#).matches(in: text, range: NSRange(text.startIndex..., in: text))
            .map { String(text[Range($0.range(at: 1), in: text)!]) }
        #expect(links.count >= 6)
        for link in Set(links) {
            #expect(FileManager.default.fileExists(atPath: Binary.packageRoot.appendingPathComponent(link).path), "README links \(link), which does not exist")
        }
        for command in ["recommend", "ask", "cost", "check", "scaffold", "patterns", "explain", "compare", "tree", "rules lint"] {
            #expect(text.contains("async-advisor \(command)"), "README has no example of \(command)")
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
