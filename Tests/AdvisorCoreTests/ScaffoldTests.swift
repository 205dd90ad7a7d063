import Foundation
import Testing
@testable import AdvisorCore

/// The template language of the scaffolds (docs/scaffold-format.md) and the scaffold rule files.
@Suite struct TemplateTests {
    let vars: [String: Template.Value] = [
        "name": .string("report-export"), "python": .bool(true), "typescript": .bool(false),
        "limits": .list(["15 min", "1 MB"]), "empty": .list([]),
    ]

    func render(_ text: String) throws -> String { try Template(text).render(vars) }

    @Test func variablesConditionalsAndLoops() throws {
        #expect(try render("# {{name}}\n") == "# report-export\n")
        #expect(try render("{{ name }}") == "report-export")
        #expect(try render("a{{#if python}}py{{else}}ts{{/if}}b") == "apyb")
        #expect(try render("a{{#if typescript}}ts{{else}}py{{/if}}b") == "apyb")
        #expect(try render("{{#unless typescript}}no ts{{/unless}}") == "no ts")
        #expect(try render("{{#each limits}}[{{.}}]{{/each}}") == "[15 min][1 MB]")
        #expect(try render("{{#if empty}}x{{else}}none{{/if}}") == "none")
        #expect(try render("{{#each limits}}{{#if python}}{{name}}:{{.}} {{/if}}{{/each}}") == "report-export:15 min report-export:1 MB ")
    }

    @Test func standaloneBlockLinesDisappear() throws {
        let text = "Limits:\n  {{#each limits}}\n- {{.}}\n  {{/each}}\n{{#if typescript}}\nnpm\n{{else}}\npip\n{{/if}}\nend\n"
        #expect(try render(text) == "Limits:\n- 15 min\n- 1 MB\npip\nend\n")
        // A block tag sharing its line with text keeps the line.
        #expect(try render("x {{#if python}}y{{/if}}\n") == "x y\n")
    }

    @Test func onlyTagLikeBracesOpenATag() throws {
        #expect(try render("d = {{\"a\": 1}}") == "d = {{\"a\": 1}}")
        #expect(try render("{{{name}}}") == "{report-export}")   // '{' after '{{' is text; the next '{{' opens the tag
        #expect(try render("{{ }}") == "{{ }}")
        #expect(try render("Value: \\{{resolve:ssm:/app/secret}}") == "Value: {{resolve:ssm:/app/secret}}")
    }

    @Test func textWithoutBracesRendersAsItIs() {
        var rng = SeededRandom(11)
        let alphabet: [Character] = ["a", " ", "\n", "}", "#", "/", ".", "é", "\t", "$", "\\"]
        for _ in 0..<2_000 {
            let text = randomText(&rng, alphabet: alphabet, maxLength: 60)
            let rendered = try? Template(text).render([:])
            #expect(rendered == text, "\(text.debugDescription)")
        }
    }

    @Test func structuralErrorsNameTheLine() {
        func failure(_ text: String) -> Template.Error? {
            do { _ = try Template(text); return nil } catch { return error }
        }
        #expect(failure("a\n{{#if python}}\nb\n")?.message.contains("never closed") == true)
        #expect(failure("a\n{{#if python}}\nb\n")?.line == 2)
        #expect(failure("{{/if}}")?.message.contains("without an opening tag") == true)
        #expect(failure("{{#if python}}x{{/each}}")?.message.contains("{{/if}} was expected") == true)
        #expect(failure("{{#loop x}}{{/loop}}")?.message.contains("#if, #unless and #each") == true)
        #expect(failure("{{#if}}{{/if}}")?.message.contains("one variable name") == true)
        #expect(failure("{{name\n}}")?.message.contains("not closed") == true)
        #expect(failure("{{na-me}}")?.message.contains("not a variable name") == true)
        #expect(failure("x\ny\n{{else}}")?.line == 3)
    }

    @Test func renderErrorsNameTheVariable() throws {
        func failure(_ text: String) -> String? {
            do { _ = try Template(text).render(vars); return nil } catch { return error.message }
        }
        #expect(failure("{{nmae}}")?.contains("'nmae' is not defined") == true)
        #expect(failure("{{limits}}")?.contains("is a list") == true)
        #expect(failure("{{#each name}}{{/each}}")?.contains("needs a list") == true)
        #expect(failure("{{.}}")?.contains("outside {{#each}}") == true)
        #expect(try Template("{{a}}{{#if b}}{{#each c}}{{.}}{{/each}}{{/if}}").names == ["a", "b", "c"])
    }

    /// Random and mutated templates: every outcome is a rendering or a located error, never a crash.
    @Test func randomTemplatesNeverCrash() {
        var rng = SeededRandom(5)
        let pieces = ["{{", "}}", "{{name}}", "{{#if python}}", "{{else}}", "{{/if}}", "{{#each limits}}", "{{.}}",
                      "{{/each}}", "{{#unless x}}", "{{/unless}}", "\\{{", "\n", " ", "a", "{", "}", "#", "é", "{{ }}"]
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            do {
                let template = try Template(text)
                do { _ = try template.render(vars) } catch {
                    #expect(error.line >= 1 && !error.message.isEmpty)
                }
            } catch {
                #expect(error.line >= 1 && error.line <= text.split(separator: "\n", omittingEmptySubsequences: false).count, "\(text.debugDescription): \(error)")
            }
        }
    }
}

@Suite struct ScaffoldTests {
    @Test(arguments: shippedRules.patterns.map(\.id))
    func everyPatternRendersInEveryLanguage(_ id: String) throws {
        for language in Scaffold.languages {
            let files = try Scaffold.render(id, language: language, name: "report-export", rules: shippedRules, version: "9.9.9")
            let paths = Set(files.map(\.path))
            #expect(paths.isSuperset(of: ["template.yaml", "README.md", ".gitignore"]), "\(id) \(language): \(paths.sorted())")
            #expect(paths.contains { $0.hasPrefix("events/") && $0.hasSuffix(".json") })
            #expect(paths.contains { $0.hasPrefix("tests/") })
            let manifest = try Scaffold.manifest(id, files: .embedded)
            let main = try #require(manifest.main[language])
            let preview = try #require(Scaffold.preview(of: files, main: main))
            let file = try #require(files.first { $0.path == main })
            #expect(file.contents.hasPrefix(preview) && preview.contains(Scaffold.businessLogicMarker))
            for file in files {
                #expect(!file.contents.contains("{{#") && !file.contents.contains("{{/"), "\(id)/\(language)/\(file.path) keeps a block tag")
            }
            let readme = try #require(files.first { $0.path == "README.md" }).contents
            #expect(readme.contains("report-export") && readme.contains("sam deploy --guided"))
            // `npm ci` refuses to run without a lock file: a README may say it only where one ships.
            if language == "typescript" && !paths.contains("package-lock.json") {
                let ciLines = readme.split(separator: "\n").filter { $0.hasPrefix("npm ci") }
                #expect(ciLines.isEmpty, "\(id) typescript README runs `npm ci` with no lock file: \(ciLines)")
                #expect(readme.contains("npm install"), "\(id) typescript README never installs its dependencies")
            }
        }
    }

    /// A pattern's own files under `when` are written only for the triggers named: no API handler, tests or
    /// sample requests in a project an event or a schedule starts.
    @Test(arguments: [("event", false), ("schedule", false), ("webhook", true), ("request", true)])
    func filesUnderWhenFollowTheTrigger(_ trigger: String, _ door: Bool) throws {
        var raw = ["duration": "3h", "trigger": trigger]
        if door { raw["response"] = "ack" }
        let workload = try Scaffold.Workload.resolve(name: "w", pattern: "ecs-fargate", raw: raw, rules: shippedRules)
        for language in Scaffold.languages {
            let paths = Set(try Scaffold.render("ecs-fargate", language: language, name: "w", rules: shippedRules, version: "0", workload: workload).map(\.path))
            #expect(paths.contains(language == "python" ? "src/starter/app.py" : "src/starter/core.ts") == door, "\(trigger) \(language): \(paths.sorted())")
            #expect(paths.contains("events/start-job.json") == door)
            #expect(paths.contains("events/object-created.json") == (trigger == "event"))
            #expect(paths.contains("container/" + (language == "python" ? "main.py" : "main.ts")))
            let listed = try Scaffold.paths("ecs-fargate", language: language, name: "w", rules: shippedRules, version: "0",
                                            manifest: try Scaffold.manifest("ecs-fargate", files: .embedded), workload: workload)
            #expect(Set(listed) == paths, "what recommend lists is what is written")
        }
    }

    @Test func namesArePlainIdentifiers() {
        for good in ["a", "report-export", "job2", "x-1-y", String(repeating: "a", count: 64)] {
            #expect(Scaffold.nameProblem(good) == nil, "\(good)")
        }
        for bad in ["", "My Job", "Report", "2fast", "-x", "x-", "a--b", "a_b", "a.b", "../etc", "a/b", "é", String(repeating: "a", count: 65)] {
            #expect(Scaffold.nameProblem(bad)?.contains("lowercase letters, digits and dashes") == true, "\(bad)")
        }
        var rng = SeededRandom(3)
        let alphabet: [Character] = ["a", "z", "0", "-", "_", "A", " ", "/", "."]
        for _ in 0..<5_000 {
            let name = randomText(&rng, alphabet: alphabet, maxLength: 8)
            let plain = name.range(of: "^[a-z]([a-z0-9]|-(?=[a-z0-9]))*$", options: .regularExpression) != nil
            #expect((Scaffold.nameProblem(name) == nil) == plain, "\(name)")
        }
    }
}
