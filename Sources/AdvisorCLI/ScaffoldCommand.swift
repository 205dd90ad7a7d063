import AdvisorCore

/// `scaffold ID --lang python|typescript [--name N] [--out DIR] [--force] [--dry-run]`: writes a starter project.
enum ScaffoldCommand {
    static func options(_ rules: RuleSet) -> [OptionSpec] { ownOptions + RecommendCommand.inputOptions(rules) + RecommendCommand.common }

    static let ownOptions: [OptionSpec] = [
        OptionSpec(name: "lang", valueName: "language", help: "Language of the handlers and tests", values: Scaffold.languages, defaultText: "python"),
        OptionSpec(name: "name", valueName: "name", help: "Project name: lowercase letters, digits and dashes", defaultText: "the pattern id"),
        OptionSpec(name: "out", valueName: "dir", help: "Folder to write; must not exist or be empty unless --force", defaultText: "./<name>"),
        OptionSpec(name: "force", valueName: nil, help: "Write into a non-empty folder, overwriting the scaffold's files there"),
        OptionSpec(name: "dry-run", valueName: nil, help: "List the files that would be written; write nothing"),
        CatalogueCommands.formatOption,
    ]

    static let usage = "async-advisor scaffold <pattern-id> [--lang python|typescript] [--name <name>] [--out <dir>] [--force] [--dry-run] [workload flags: --duration <duration> …]"

    /// What one scaffold request resolved to: the same checks serve `scaffold` and `recommend --scaffold`.
    struct Request {
        var pattern: String
        var language: String
        var name: String
        var out: String
        /// The workload the project is sized for; nil: the pattern's sample workload (`scaffold ID` alone).
        var workload: Scaffold.Workload?
        /// The workload flags as given, in rule order, for the command that writes the same project again.
        var flags: [(flag: String, value: String?)] = []

        /// The exact command that writes this project.
        var command: String {
            var words = ["async-advisor", "scaffold", pattern, "--lang", language]
            if name != pattern { words += ["--name", name] }
            if out != "./" + name { words += ["--out", RecommendationReport.shellQuoted(out)] }
            for (flag, value) in flags { words += ["--" + flag] + (value.map { [RecommendationReport.shellQuoted($0)] } ?? []) }
            return words.joined(separator: " ")
        }
    }

    /// The workload flags of a command line (input id → text) and the flags as given.
    static func workloadInputs(_ parsed: ParsedArguments, rules: RuleSet) -> (raw: [String: String], flags: [(flag: String, value: String?)]) {
        var raw: [String: String] = [:]
        var flags: [(flag: String, value: String?)] = []
        for input in rules.inputs {
            if input.kind == .flag {
                if parsed.has(input.flag) { raw[input.id] = "true"; flags.append((input.flag, nil)) }
            } else if let value = parsed[input.flag] {
                raw[input.id] = value
                flags.append((input.flag, value))
            }
        }
        return (raw, flags)
    }

    /// The workload resolved from raw inputs, refused (exit 2, before anything is written) when the
    /// pattern cannot run it: a project sized for it would not hold the task.
    static func workload(_ raw: [String: String], pattern: String, name: String, rules: RuleSet, command: String) throws -> Scaffold.Workload {
        do { return try Scaffold.Workload.resolve(name: name, pattern: pattern, raw: raw, rules: rules) }
        catch { throw UsageError(message: error.description, command: command) }
    }

    /// Why this request's workload makes no project (nil when it makes one): checked before anything is written.
    /// `recommended`: the pattern is the one `recommend` (or the questionnaire) gave for the workload, so the
    /// way out is not another pattern: the answer stands and the starter does not cover the workload yet.
    static func refusal(_ request: Request, rules: RuleSet, recommended: Bool = false) throws -> String? {
        guard let workload = request.workload else { return nil }
        let refusals = Scaffold.refusals(workload, manifest: try Scaffold.manifest(request.pattern, rules: rules), rules: rules)
        guard !refusals.isEmpty else { return nil }
        return "this workload makes no \(request.pattern) project; nothing was written: " + refusals.joined(separator: " ")
            + (recommended
                ? " The recommendation stands: async-advisor has no \(request.pattern) starter for this workload yet, so its front has to be written by hand."
                : " Choose the pattern `recommend` gives for this workload, or change the workload.")
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
        var request = Request(pattern: pattern, language: language, name: name, out: out)
        let inputs = workloadInputs(parsed, rules: rules)
        if !inputs.raw.isEmpty {
            // The flags given change the pattern's sample workload (`scaffold sqs-queue --memory 2048` is the
            // sample at 2 GB), so a project never needs every input spelled out. Where the sample does not fit
            // what was given (a schedule has no response to wait for), the flags alone are the workload, and
            // what they lack is the error.
            var raw: [String: String] = [:]
            for (key, value) in try Scaffold.manifest(pattern, rules: rules).workload {
                if let input = rules.inputs.first(where: { $0.designKey == key }) { raw[input.id] = value }
            }
            raw.merge(inputs.raw) { $1 }
            if let changed = try? workload(raw, pattern: pattern, name: name, rules: rules, command: command) {
                request.workload = changed
            } else {
                request.workload = try workload(inputs.raw, pattern: pattern, name: name, rules: rules, command: command)
            }
            request.flags = inputs.flags
        }
        return request
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
            out += "\nThe whole project (handlers, AWS SAM template, events, tests, README):\n" + Self.shellLines(request.command, width: style.width)
            return out
        }

        /// A command as shell lines within `width`: broken between words with ` \` (a flag stays with its value).
        static func shellLines(_ command: String, width: Int) -> String {
            guard command.count + 2 > width else { return "  " + command + "\n" }
            var words: [String] = []
            for word in command.split(separator: " ").map(String.init) {
                if let last = words.last, last.hasPrefix("--"), !word.hasPrefix("--"), !last.contains(" ") { words[words.count - 1] += " " + word }
                else { words.append(word) }
            }
            var lines: [String] = []
            var line = "  "
            for word in words {
                let indent = lines.isEmpty ? "  " : "    "
                if line.count > indent.count && line.count + 1 + word.count + 2 > width {
                    lines.append(line + " \\")
                    line = "    " + word
                } else {
                    line += (line.count > indent.count ? " " : "") + word
                }
            }
            lines.append(line)
            return lines.joined(separator: "\n") + "\n"
        }

        /// A line of code indented by two, cut to the width with '…' rather than wrapped.
        static func codeLine(_ line: String, width: Int) -> String {
            "  " + (line.count + 2 > width ? line.prefix(max(10, width - 3)) + "…" : line)
        }
    }

    /// The preview renders only the main handler; the project is rendered in full only to be written.
    static func starter(_ request: Request, rules: RuleSet) throws -> Starter {
        let manifest = try Scaffold.manifest(request.pattern, rules: rules)
        let main = manifest.main[request.language] ?? ""
        let files = try render(request, rules: rules, manifest: manifest, only: main)
        guard let preview = Scaffold.preview(of: files, main: main) else {
            throw InputFailure(message: "the scaffold of '\(request.pattern)' names \(main) as its \(request.language) main handler, and it writes no such file")
        }
        let paths: [String]
        do {
            paths = try Scaffold.paths(request.pattern, language: request.language, name: request.name, rules: rules, version: CLI.version,
                                       manifest: manifest, workload: request.workload)
        } catch {
            throw InputFailure(message: "the scaffold of '\(request.pattern)' cannot be listed:\n" + error.problems.map { "  \($0)" }.joined(separator: "\n"))
        }
        return Starter(request: request, paths: paths, main: main, preview: preview)
    }

    /// The project in memory (or, with `only`, that one file of it); a template that fails is an input error.
    static func render(_ request: Request, rules: RuleSet, manifest: Scaffold.Manifest? = nil, only: String? = nil) throws -> [Scaffold.File] {
        do {
            return try Scaffold.render(request.pattern, language: request.language, name: request.name, rules: rules, version: CLI.version,
                                       manifest: manifest, workload: request.workload, only: only)
        } catch {
            throw InputFailure(message: "the scaffold templates of '\(request.pattern)' (\(request.language)) cannot be rendered; nothing was written:\n"
                + error.problems.map { "  \($0)" }.joined(separator: "\n"))
        }
    }

    static func run(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        let rules = try context.rules(arguments)
        let options = options(rules)
        let parsed = try ArgumentParser.parse(arguments, options: options, command: "scaffold", maxPositionals: 1)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(command: "scaffold", overview: "Write a starter project for a pattern: handlers with the pattern's mechanics, an AWS SAM template sized for the workload, sample events, tests, a README and the workload as async-advisor.json. The workload flags are recommend's; without them the project is sized for the pattern's sample workload. Every file is rendered before any is written; nothing is overwritten without --force.", usage: usage, options: options))
            return .success
        }
        guard let id = parsed.positionals.first else {
            throw UsageError(message: "missing pattern id; one of \(rules.patterns.map(\.id).joined(separator: ", "))", command: "scaffold")
        }
        let request = try request(pattern: id, parsed: parsed, rules: rules, command: "scaffold")
        if let refusal = try refusal(request, rules: rules) { throw UsageError(message: refusal, command: "scaffold") }
        let manifest = try Scaffold.manifest(id, rules: rules)
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
