import AdvisorCore

/// `scaffold ID --lang python|typescript [--name N] [--out DIR] [--force] [--dry-run]`: writes a starter project.
enum ScaffoldCommand {
    static let options: [OptionSpec] = [
        OptionSpec(name: "lang", valueName: "language", help: "Language of the handlers and tests", values: Scaffold.languages, defaultText: "python"),
        OptionSpec(name: "name", valueName: "name", help: "Project name: lowercase letters, digits and dashes", defaultText: "the pattern id"),
        OptionSpec(name: "out", valueName: "dir", help: "Folder to write; must not exist or be empty unless --force", defaultText: "./<name>"),
        OptionSpec(name: "force", valueName: nil, help: "Write into a non-empty folder, overwriting the scaffold's files there"),
        OptionSpec(name: "dry-run", valueName: nil, help: "List the files that would be written; write nothing"),
        CatalogueCommands.formatOption,
    ] + RecommendCommand.common

    static let usage = "async-advisor scaffold <pattern-id> [--lang python|typescript] [--name <name>] [--out <dir>] [--force] [--dry-run]"

    /// What one scaffold request resolved to: the same checks serve `scaffold` and `recommend --scaffold`.
    struct Request {
        var pattern: String
        var language: String
        var name: String
        var out: String

        /// The exact command that writes this project.
        var command: String {
            var words = ["async-advisor", "scaffold", pattern, "--lang", language]
            if name != pattern { words += ["--name", name] }
            if out != "./" + name { words += ["--out", RecommendationReport.shellQuoted(out)] }
            return words.joined(separator: " ")
        }
    }

    static func request(pattern: String, parsed: ParsedArguments, rules: RuleSet, command: String) throws -> Request {
        _ = try CatalogueCommands.pattern(pattern, rules, command: command)
        let language = parsed["lang"] ?? "python"
        let name = parsed["name"] ?? pattern
        if let problem = Scaffold.nameProblem(name) {
            throw UsageError(message: "--name '\(name)' \(problem)", command: command)
        }
        let out = parsed["out"] ?? "./" + name
        guard !out.isEmpty else { throw UsageError(message: "--out is empty; give a folder to write", command: command) }
        return Request(pattern: pattern, language: language, name: name, out: out)
    }

    /// The start of the main handler as the scaffold writes it, and the command that writes the whole project.
    struct Starter {
        var request: Request
        /// Every path the project has.
        var paths: [String]
        var main: String
        var preview: String

        func json() -> JSONValue {
            .object([("command", .string(request.command)), ("lang", .string(request.language)), ("main", .string(main)),
                     ("preview", .string(preview)), ("files", .array(paths.map { .string($0) }))])
        }

        func text(_ style: Style) -> String {
            var out = style.bold("Starter code") + " (\(request.language)): \(main), up to where your code goes:\n\n"
            // Code is not wrapped: a line wider than the screen is cut with '…' (the file itself is whole).
            for line in preview.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                out += Self.codeLine(String(line), width: style.width) + "\n"
            }
            out += "\nThe whole project (handlers, AWS SAM template, events, tests, README):\n  \(request.command)\n"
            return out
        }

        /// A line of code indented by two, cut to the width with '…' rather than wrapped.
        static func codeLine(_ line: String, width: Int) -> String {
            "  " + (line.count + 2 > width ? line.prefix(max(10, width - 3)) + "…" : line)
        }
    }

    /// The preview renders only the main handler; the project is rendered in full only to be written.
    static func starter(_ request: Request, rules: RuleSet) throws -> Starter {
        let manifest = try Scaffold.manifest(request.pattern, files: rules.files)
        let main = manifest.main[request.language] ?? ""
        let files = try render(request, rules: rules, manifest: manifest, only: main)
        guard let preview = Scaffold.preview(of: files, main: main) else {
            throw InputFailure(message: "the scaffold of '\(request.pattern)' names \(main) as its \(request.language) main handler, and it writes no such file")
        }
        let paths = Scaffold.templates(request.pattern, language: request.language, manifest: manifest, files: rules.files).map(\.output)
        return Starter(request: request, paths: paths, main: main, preview: preview)
    }

    /// The project in memory (or, with `only`, that one file of it); a template that fails is an input error.
    static func render(_ request: Request, rules: RuleSet, manifest: Scaffold.Manifest? = nil, only: String? = nil) throws -> [Scaffold.File] {
        do {
            return try Scaffold.render(request.pattern, language: request.language, name: request.name, rules: rules, version: CLI.version,
                                       manifest: manifest, only: only)
        } catch {
            throw InputFailure(message: "the scaffold templates of '\(request.pattern)' (\(request.language)) cannot be rendered; nothing was written:\n"
                + error.problems.map { "  \($0)" }.joined(separator: "\n"))
        }
    }

    static func run(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: "scaffold", maxPositionals: 1)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(command: "scaffold", overview: "Write a starter project for a pattern: handlers with the pattern's mechanics, an AWS SAM template, sample events, tests and a README. Every file is rendered before any is written; nothing is overwritten without --force.", usage: usage, options: options))
            return .success
        }
        let rules = try context.rules(arguments)
        guard let id = parsed.positionals.first else {
            throw UsageError(message: "missing pattern id; one of \(rules.patterns.map(\.id).joined(separator: ", "))", command: "scaffold")
        }
        let request = try request(pattern: id, parsed: parsed, rules: rules, command: "scaffold")
        let manifest = try Scaffold.manifest(id, files: rules.files)
        let files = try render(request, rules: rules, manifest: manifest)
        let dryRun = parsed.has("dry-run")
        if !dryRun {
            do { try ProjectWriter.write(files, to: request.out, force: parsed.has("force")) } catch {
                throw UsageError(message: error.message + "; nothing was written", command: "scaffold")
            }
        }
        let main = manifest.main[request.language] ?? ""
        if parsed["format"] == "json" {
            context.console.write(JSONWriter.write(.object([
                ("pattern", .string(request.pattern)), ("lang", .string(request.language)), ("name", .string(request.name)),
                ("out", .string(request.out)), ("written", .bool(!dryRun)), ("command", .string(request.command)),
                ("main", .string(main)), ("files", .array(files.map { .string($0.path) })),
            ])) + "\n")
            return .success
        }
        let s = context.style
        context.console.write((dryRun ? "Would write" : "Wrote") + " \(files.count) files to \(s.bold(request.out)) (\(request.pattern), \(request.language)):\n")
        for file in files { context.console.write("  \(file.path)\n") }
        if dryRun { return .success }
        context.console.write("\n" + s.bold("Next") + "\n")
        context.console.write("  cd \(RecommendationReport.shellQuoted(request.out))\n")
        if request.language == "python" {
            context.console.write("  python3 -m pip install -r requirements-dev.txt && python3 -m pytest -q\n")
        } else {
            context.console.write("  npm install && npm test\n")
        }
        context.console.write("  sam build && sam deploy --guided\n")
        context.console.write("Your code goes at the '\(Scaffold.businessLogicMarker)' lines, starting in \(main); README.md says more.\n")
        return .success
    }
}
