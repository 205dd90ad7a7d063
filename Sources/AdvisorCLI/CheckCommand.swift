import AdvisorCore

/// `async-advisor check [DESIGN.json | TEMPLATE.yaml …] [FLAGS --pattern ID]`: is each workload's chosen
/// pattern sound, and does each SAM or CloudFormation template chain its limits safely (SPEC §7)?
/// For CI: exit 1 on an error finding (or, under `--strict`, on any warning), exit 2 when a file cannot be
/// read or parsed — reported in every format, with every other file's findings in full (SPEC §7).
enum CheckCommand {
    static let formats = ["text", "json", "sarif", "markdown"]

    static func options(_ rules: RuleSet) -> [OptionSpec] {
        RecommendCommand.inputOptions(rules) + [
            OptionSpec(name: "pattern", valueName: "id", help: "The pattern the workload given as flags uses (with flags, instead of a design file)"),
            OptionSpec(name: "files-from", valueName: "file", help: "Also check the paths listed in this file, one a line ('-' reads them from stdin), for repositories too large for a command line"),
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
                command: "check", overview: "CI design check: is each workload's chosen pattern sound? Errors when the pattern cannot run the workload, warnings when it can but the advisor would pick another, and for every advisory warning. AWS SAM and CloudFormation templates, and folders of them, are checked too: timeouts against the front doors in front of them, queues against their consumers, failure paths of asynchronous and stream sources, and each design workload against the function it names.",
                usage: "async-advisor check <design.json | template.yaml | folder>… [--files-from <file>] [--format text|json|sarif|markdown] [--strict]\n       async-advisor check --pattern <id> --duration <duration> [options]",
                options: specs, extra: extra(rules)))
            return .success
        }
        let format = parsed["format"] ?? "text"
        if format != "markdown" && !(parsed.positionals.isEmpty && parsed["files-from"] == nil) {
            return try stream(parsed, format: format, rules: rules, context: &context)
        }
        return try buffered(parsed, rules: rules, context: &context)
    }

    /// Files checked as they are read, in text, JSON or SARIF (`CheckStream`): memory stays flat whatever
    /// the number of files and workloads, and the output is byte for byte what `buffered` writes.
    static func stream(_ parsed: ParsedArguments, format: String, rules: RuleSet, context: inout Context) throws -> ExitCode {
        let (paths, inputs) = try inputs(parsed, rules: rules, console: context.console)
        let findings: TemplateRules
        do { findings = try rules.templateFindings() } catch { throw InputFailure(message: "\(rules.files.label): \(error)") }
        let style = context.style
        let tool = SARIFReport.Tool(version: CLI.version, informationURI: CLI.homepage)
        let kind: CheckStream.Format = format == "json" ? .json : format == "sarif" ? .sarif : .text
        let stream: CheckStream
        let finished: CheckStream.Finished
        do {
            stream = try CheckStream(rules: rules, findings: findings, format: kind, tool: tool) { severity, word in
                severity == .error ? style.red(word) : severity == .warning ? style.yellow(word) : word
            }
            try stream.read(inputs)
        } catch { throw InputFailure(message: "check: \(error.message)") }
        do { finished = try stream.finish() } catch { throw InputFailure(message: "the rule set could not decide: \(error.message)") }
        defer { Context.keepUntilExit(stream) }
        if stream.templates == 0 && stream.designFiles == 0 && finished.problems.isEmpty {
            throw nothingToCheck(paths)
        }
        if !finished.problems.isEmpty {
            context.console.writeError(finished.problemLines)
            let files = finished.unreadableFiles
            let checked = stream.templates + stream.designFiles
            let noun = stream.onlyDesignFiles ? "design file" : "file"
            let problems = "\(finished.problems.count) problem\(finished.problems.count == 1 ? "" : "s") in \(files == 1 ? "the" : "\(files)") \(noun)\(files == 1 ? "" : "s")"
            if checked == 0 && finished.summary.workloads == 0 {
                context.console.writeError("\(problems); nothing was checked\n")
                if format == "text" { return .usage }
            } else {
                context.console.writeError("\(problems), which \(files == 1 ? "was" : "were") not checked; the other \(checked) file\(checked == 1 ? " was" : "s were") checked in full\n")
            }
        }
        do { try stream.write(finished, to: context.console.write) } catch { throw InputFailure(message: "check: \(error.message)") }
        if !finished.problems.isEmpty { return .usage }
        return finished.fails(strict: parsed.has("strict")) ? .checkFailed : .success
    }

    /// The whole run in memory, then written: markdown (its summary and tables come first) and a workload
    /// given as flags; also what the streamed output is compared with.
    static func buffered(_ parsed: ParsedArguments, rules: RuleSet, context: inout Context) throws -> ExitCode {
        let documents = try parsed.positionals.isEmpty && parsed["files-from"] == nil
            ? Documents(workloads: try commandLineWorkload(parsed, rules: rules))
            : readDocuments(parsed, rules: rules, console: context.console)
        var report: CheckReport
        do { report = try DesignCheck(rules: rules).check(documents.workloads) }
        catch { throw InputFailure(message: "the rule set could not decide: \(error.message)") }
        report.templates = documents.templates
        if let findings = documents.templateRules {
            TemplateCheck.hold(documents.workloads, against: &report.templates, rules: rules, findings: findings)
        }
        report.problems = documents.problems
        report.templateRules = documents.templateRules
        defer { Context.keepUntilExit((report, documents)) }
        if !report.problems.isEmpty {
            context.console.writeError(report.problemLines)
            let files = report.unreadableFiles
            let checked = report.templates.count + documents.designFiles
            let noun = documents.onlyDesignFiles ? "design file" : "file"
            let problems = "\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") in \(files == 1 ? "the" : "\(files)") \(noun)\(files == 1 ? "" : "s")"
            if checked == 0 && documents.workloads.isEmpty {
                context.console.writeError("\(problems); nothing was checked\n")
                if (parsed["format"] ?? "text") == "text" { return .usage }
            } else {
                context.console.writeError("\(problems), which \(files == 1 ? "was" : "were") not checked; the other \(checked) file\(checked == 1 ? " was" : "s were") checked in full\n")
            }
        }

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
            report.write(to: context.console.write) { severity, word in severity == .error ? style.red(word) : severity == .warning ? style.yellow(word) : word }
        }
        if !report.problems.isEmpty { return .usage }
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
        var templates: [TemplateCheck.Report] = []
        var problems: [DesignProblem] = []
        var designFiles = 0
        /// Every file that could not be checked is a design file: the problems are then called a design file's.
        var onlyDesignFiles = true
        var templateRules: TemplateRules?
    }

    /// Files checked at once: enough to keep every core busy, few enough that the texts and trees of
    /// thousands of templates are never held together (memory stays flat as the count grows).
    static let batch = 256

    /// Every workload of every design file, and every template checked, file by file: a file that cannot be
    /// read or parsed adds its problems and takes nothing from the others.
    static func readDocuments(_ parsed: ParsedArguments, rules: RuleSet, console: Console) throws -> Documents {
        let (paths, inputs) = try inputs(parsed, rules: rules, console: console)
        var documents = Documents(workloads: [])
        let findings: TemplateRules
        do { findings = try rules.templateFindings() } catch { throw InputFailure(message: "\(rules.files.label): \(error)") }
        documents.templateRules = findings
        // JSON files given by name are read first: the design files among them say which functions the
        // templates' summaries must be kept for. Templates keep the order they were given or found in.
        let early = inputs.indices.filter { !inputs[$0].walked && inputs[$0].path.lowercased().hasSuffix(".json") }
        let earlySet = Set(early)
        var outcomes: [Int: CheckDocument.Outcome] = [:]
        for (index, outcome) in zip(early, CheckDocument.check(early.map { inputs[$0] }, rules: rules, findings: findings)) {
            outcomes[index] = outcome
        }
        var named: Set<String> = []
        for case .design(let file) in outcomes.values { named.formUnion(file.workloads.compactMap(\.function)) }
        func take(_ outcome: CheckDocument.Outcome) {
            switch outcome {
            case .design(let file):
                documents.workloads += file.workloads
                documents.designFiles += 1
            case .template(let report):
                documents.templates.append(report)
            case .problems(let problems, let design):
                documents.problems += problems
                if !design { documents.onlyDesignFiles = false }
            case .passedOver:
                break
            }
        }
        var start = 0
        while start < inputs.count {
            let end = min(inputs.count, start + batch)
            let rest = (start..<end).filter { !earlySet.contains($0) }
            var batchOutcomes = outcomes
            for (index, outcome) in zip(rest, CheckDocument.check(rest.map { inputs[$0] }, rules: rules, findings: findings, keeping: named)) {
                batchOutcomes[index] = outcome
            }
            for index in start..<end { if let outcome = batchOutcomes[index] { take(outcome) } }
            start = end
        }
        if documents.templates.isEmpty && documents.designFiles == 0 && documents.problems.isEmpty {
            throw nothingToCheck(paths)
        }
        return documents
    }

    /// As ESLint does for a pattern that matches nothing: a CI job pointed at the wrong folder must not pass.
    static func nothingToCheck(_ paths: [String]) -> UsageError {
        let given = paths.isEmpty ? "the --files-from list (it names no path)" : paths.map { "'\($0)'" }.joined(separator: ", ")
        return UsageError(message: "nothing to check in \(given): a folder yields template.{yaml,yml,json}, *.template.{json,yaml,yml} and YAML or JSON files whose top level has AWSTemplateFormatVersion or the AWS::Serverless-2016-10-31 transform (design files are named explicitly)", command: "check")
    }

    /// The files a run reads: the paths given, those of `--files-from`, and what the folders among them yield.
    static func inputs(_ parsed: ParsedArguments, rules: RuleSet, console: Console) throws -> (paths: [String], inputs: [CheckFiles.Input]) {
        if let flag = rules.inputs.first(where: { parsed[$0.flag] != nil })?.flag ?? (parsed["pattern"] != nil ? "pattern" : nil) {
            throw UsageError(message: "--\(flag) describes one workload on the command line; with design files, put it in the file as \"\(flag == "pattern" ? "pattern" : rules.inputs.first { $0.flag == flag }!.designKey)\"", command: "check")
        }
        var paths = parsed.positionals
        if let list = parsed["files-from"] {
            let text: String
            if list == "-" {
                var lines: [String] = []
                while let line = console.readLine() { lines.append(line) }
                text = lines.joined(separator: "\n")
            } else {
                do { text = try FileSystem.read(list) } catch {
                    throw UsageError(message: "--files-from: \(error); expected a file listing one path a line, or '-' for stdin", command: "check")
                }
            }
            paths += CheckFiles.list(text)
        }
        return (paths, CheckFiles.expand(paths))
    }

    static func extra(_ rules: RuleSet) -> String {
        let templateRules = (try? rules.templateFindings())?.rules ?? []
        func ids(_ severity: Finding.Severity) -> String { templateRules.filter { $0.severity == severity }.map(\.id).joined(separator: ", ") }
        let warnings = rules.warnings.map(\.rule.id)
        let errors = Array(Set(rules.patternConstraints.values.flatMap { $0.map(\.id) })).sorted()
        let paragraphs = [
            "A design file: \(DesignFile.shape)",
            "A template: \(TemplateFile.shape). Its functions, doors, queues and streams are checked; a resource's Metadata: {async-advisor: {ignore: [ID, …]}} suppresses findings for it. Template findings (rules/template-findings.json, each with a page in docs/findings/): errors \(ids(.error)); warnings \(ids(.warning)); notes \(ids(.note)).",
            "Keys: \(DesignFile.keys(rules).joined(separator: ", ")) — the flags without dashes; values as the flags take them (\"4m\", \"5/s\"), numbers and booleans where natural (\"memory\": 1024, \"splittable\": true). \"acknowledge\": [{\"id\": WARNING, \"reason\": TEXT}] turns a handled warning into a note (shown, not counted, not failing --strict); the reason is required. Several files at once are all checked.",
            "Findings: errors \(errors.joined(separator: ", ")) (the pattern cannot run the workload); warnings \(Finding.notRecommended) (sound, but neither the recommendation nor an alternative) and the advisory warnings \(warnings.joined(separator: ", ")).",
            "Folders are walked (sorted, not following links, skipping .git, node_modules, .aws-sam and hidden folders) for template.{yaml,yml,json}, *.template.{json,yaml,yml} and any other YAML or JSON whose top level has AWSTemplateFormatVersion or the AWS::Serverless-2016-10-31 transform; --files-from reads more paths, one a line.",
            "Exit codes: 0 no errors (no warnings either under --strict), 1 a finding fails the check, 2 usage error or a file that cannot be read or parsed, or is neither kind — that file is reported (stderr; JSON problems; SARIF toolExecutionNotifications) and every other file is still checked in full.",
        ]
        return paragraphs.map { Style.wrap($0, width: 100, first: "", rest: "") }.joined(separator: "\n\n") + "\n"
    }
}
