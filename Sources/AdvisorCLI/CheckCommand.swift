import AdvisorCore

/// `async-advisor check [DESIGN.json | TEMPLATE.yaml …] [FLAGS --pattern ID]`: is each workload's chosen
/// pattern sound, and does each SAM or CloudFormation template chain its limits safely (SPEC §7)?
/// For CI: exit 1 on an error finding (or, under `--strict`, on any warning), exit 2 when a file cannot be
/// read — and then nothing on stdout, so a pipeline never reads half a report.
enum CheckCommand {
    static let formats = ["text", "json", "sarif", "markdown"]

    static func options(_ rules: RuleSet) -> [OptionSpec] {
        RecommendCommand.inputOptions(rules) + [
            OptionSpec(name: "pattern", valueName: "id", help: "The pattern the workload given as flags uses (with flags, instead of a design file)"),
            OptionSpec(name: "format", valueName: "format", help: "Output format", values: formats, defaultText: "text"),
            OptionSpec(name: "strict", valueName: nil, help: "Fail (exit 1) on warnings too, not only on errors"),
        ] + RecommendCommand.common
    }

    static func run(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        let rules = try context.rules(arguments)
        let specs = options(rules)
        let parsed = try ArgumentParser.parse(arguments, options: specs, command: "check", maxPositionals: Int.max)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(
                command: "check", overview: "CI design check: is each workload's chosen pattern sound? Errors when the pattern cannot run the workload, warnings when it can but the advisor would pick another, and for every advisory warning. AWS SAM and CloudFormation templates are checked too: timeouts against the front doors in front of them, queues against their consumers, failure paths of asynchronous and stream sources.",
                usage: "async-advisor check <design.json | template.yaml>… [--format text|json|sarif|markdown] [--strict]\n       async-advisor check --pattern <id> --duration <duration> [options]",
                options: specs, extra: extra(rules)))
            return .success
        }
        let documents = try parsed.positionals.isEmpty
            ? Documents(workloads: try commandLineWorkload(parsed, rules: rules), templates: [])
            : readDocuments(parsed, rules: rules, console: context.console)
        guard let documents else { return .usage }
        var report: CheckReport
        do { report = try DesignCheck(rules: rules).check(documents.workloads) }
        catch { throw InputFailure(message: "the rule set could not decide: \(error.message)") }
        report.templates = TemplateCheck.check(documents.templates)
        defer { Context.keepUntilExit((report, documents)) }

        let style = context.style
        switch parsed["format"] ?? "text" {
        case "json":
            JSONWriter.stream(report.json(), to: context.console.write)
        case "markdown":
            context.console.write(CheckMarkdown.render(report))
        case "sarif":
            let tool = SARIFReport.Tool(version: CLI.version, informationURI: CLI.homepage)
            JSONWriter.stream(SARIFReport.log(report, tool: tool), to: context.console.write)
        default:
            context.console.write(report.text { severity, word in severity == .error ? style.red(word) : style.yellow(word) })
        }
        return report.fails(strict: parsed.has("strict")) ? .checkFailed : .success
    }

    /// One workload from the input flags and `--pattern`, named after its flags.
    static func commandLineWorkload(_ parsed: ParsedArguments, rules: RuleSet) throws -> [Workload] {
        let ids = rules.patterns.map(\.id)
        guard let pattern = parsed["pattern"] else {
            let given = rules.inputs.contains { parsed[$0.flag] != nil }
            throw UsageError(message: given
                ? "--pattern is missing: with workload flags, say which pattern the workload uses (one of \(ids.joined(separator: ", ")))"
                : "check needs a design file (async-advisor check design.json) or one workload as flags with --pattern (async-advisor check --pattern sync --duration 4m --response result)",
                command: "check")
        }
        _ = try CatalogueCommands.pattern(pattern, rules, command: "check")
        let answers = try RecommendCommand.resolveAnswers(parsed, rules: rules, command: "check")
        let prefix = "async-advisor check "
        let command = RecommendationReport.command(answers, rules: rules, verb: "check")
        let name = command.hasPrefix(prefix) ? String(command.dropFirst(prefix.count)) : command
        return [Workload(name: name, pattern: pattern, answers: answers, origin: .commandLine)]
    }

    struct Documents {
        var workloads: [Workload]
        var templates: [TemplateFile]
    }

    /// Every workload of every design file and every template; nil (exit 2) after printing every problem
    /// when any file cannot be read or is invalid.
    static func readDocuments(_ parsed: ParsedArguments, rules: RuleSet, console: Console) throws -> Documents? {
        if let flag = rules.inputs.first(where: { parsed[$0.flag] != nil })?.flag ?? (parsed["pattern"] != nil ? "pattern" : nil) {
            throw UsageError(message: "--\(flag) describes one workload on the command line; with design files, put it in the file as \"\(flag == "pattern" ? "pattern" : rules.inputs.first { $0.flag == flag }!.designKey)\"", command: "check")
        }
        var documents = Documents(workloads: [], templates: [])
        var problems: [String] = []
        var texts: [(path: String, text: String)] = []
        for path in parsed.positionals {
            do { texts.append((path, try FileSystem.read(path))) } catch { problems.append("\(error)") }
        }
        // Design files alone keep their words; once a template or a YAML file is involved, they are files.
        var onlyDesignFiles = texts.allSatisfy { CheckDocument.looksLikeJSON($0.text) }
        for read in CheckDocument.read(texts, rules: rules) {
            switch read {
            case .success(.design(let file)): documents.workloads += file.workloads
            case .success(.template(let template)):
                documents.templates.append(template)
                onlyDesignFiles = false
            case .failure(let error): problems += error.problems.map(\.description)
            }
        }
        guard problems.isEmpty else {
            for problem in problems { console.writeError(problem + "\n") }
            let noun = onlyDesignFiles ? "design file" : "file"
            console.writeError("\(problems.count) problem\(problems.count == 1 ? "" : "s") in the \(noun)\(parsed.positionals.count == 1 ? "" : "s"); nothing was checked\n")
            return nil
        }
        return documents
    }

    static func extra(_ rules: RuleSet) -> String {
        let warnings = rules.warnings.map(\.rule.id)
        let errors = Array(Set(rules.patternConstraints.values.flatMap { $0.map(\.id) })).sorted()
        let paragraphs = [
            "A design file: \(DesignFile.shape)",
            "A template: \(TemplateFile.shape). Its functions, doors, queues and streams are checked; a resource's Metadata: {async-advisor: {ignore: [ID, …]}} suppresses findings for it. Template findings: errors \(TemplateFinding.rules.filter { $0.level == .error }.map(\.id).joined(separator: ", ")); warnings \(TemplateFinding.rules.filter { $0.level == .warning }.map(\.id).joined(separator: ", ")).",
            "Keys: \(DesignFile.keys(rules).joined(separator: ", ")) — the flags without dashes; values as the flags take them (\"4m\", \"5/s\"), numbers and booleans where natural (\"memory\": 1024, \"splittable\": true). Several files at once are all checked.",
            "Findings: errors \(errors.joined(separator: ", ")) (the pattern cannot run the workload); warnings \(Finding.notRecommended) (sound, but neither the recommendation nor an alternative) and the advisory warnings \(warnings.joined(separator: ", ")).",
            "Exit codes: 0 no errors (no warnings either under --strict), 1 a finding fails the check, 2 usage error or a file that cannot be read or parsed, or is neither kind (nothing is printed on stdout then).",
        ]
        return paragraphs.map { Style.wrap($0, width: 100, first: "", rest: "") }.joined(separator: "\n\n") + "\n"
    }
}
