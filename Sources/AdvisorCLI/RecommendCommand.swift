import AdvisorCore

/// `async-advisor recommend FLAGS`: the answer for a workload given as flags. Never prompts.
enum RecommendCommand {
    static func inputOptions(_ rules: RuleSet) -> [OptionSpec] {
        rules.inputs.map { input in
            let valueName: String?
            switch input.kind {
            case .duration: valueName = "duration"
            case .rate: valueName = "rate"
            case .size: valueName = "size"
            case .volume: valueName = "volume"
            case .integer: valueName = input.unit ?? "n"
            case .number: valueName = input.unit ?? "number"
            case .flag: valueName = nil
            case .choice: valueName = (input.choices ?? []).map(\.value).joined(separator: "|")
            }
            let defaultText = input.kind == .flag ? (input.default == "true" ? "on" : "off") : input.default ?? input.defaultLabel
            return OptionSpec(name: input.flag, valueName: valueName, help: input.prompt, defaultText: defaultText)
        }
    }

    static let explainOption = OptionSpec(name: "explain", valueName: nil, help: "The full answer in text: every input, every pattern not chosen and why, each price, the limits and the front door's notes")

    static let common: [OptionSpec] = [
        OptionSpec(name: "rules", valueName: "dir", help: "Use the rule set in <dir> instead of the built-in one"),
        OptionSpec(name: "help", valueName: nil, help: "Show this help"),
        OptionSpec(name: "h", valueName: nil, help: "Show this help"),
    ]

    static func options(_ rules: RuleSet) -> [OptionSpec] {
        inputOptions(rules) + [
            OptionSpec(name: "format", valueName: "format", help: "Output format (markdown: an architecture decision record)", values: ["text", "json", "markdown"], defaultText: "text"),
            OptionSpec(name: "lang", valueName: "language", help: "Language of the starter code shown and written", values: Scaffold.languages, defaultText: "python"),
            OptionSpec(name: "scaffold", valueName: "dir", help: "Also write the pattern's starter project into <dir> (new or empty unless --force)"),
            OptionSpec(name: "name", valueName: "name", help: "Project name for the starter code: lowercase letters, digits and dashes", defaultText: "the pattern id"),
            OptionSpec(name: "force", valueName: nil, help: "With --scaffold: write into a non-empty folder, overwriting the scaffold's files"),
            explainOption,
        ] + common
    }

    static func run(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        let rules = try context.rules(arguments)
        let specs = options(rules)
        let parsed = try ArgumentParser.parse(arguments, options: specs, command: "recommend", maxPositionals: 0)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(command: "recommend", overview: "Recommend an async pattern for a workload given as flags.",
                                              usage: "async-advisor recommend --duration <duration> [options]", options: specs,
                                              extra: Help.inputsNote(rules)))
            return .success
        }
        let answers = try resolveAnswers(parsed, rules: rules, command: "recommend")
        let recommendation = try recommend(answers, rules: rules)
        let cost = try CostCommand.estimate(recommendation.pattern.id, answers: answers, rules: rules)
        let starter = try starterCode(for: recommendation.pattern.id, parsed: parsed, rules: rules, workload: ScaffoldCommand.workloadInputs(parsed, rules: rules))
        // With --scaffold the project is written first: if it cannot be, nothing is printed but the error.
        var written = 0
        if let folder = parsed["scaffold"] {
            if let refusal = try ScaffoldCommand.refusal(starter.request, rules: rules, recommended: true) {
                throw UsageError(message: "--scaffold: " + refusal, command: "recommend")
            }
            let files = try ScaffoldCommand.render(starter.request, rules: rules)
            written = files.count
            do { try ProjectWriter.write(files, to: folder, force: parsed.has("force")) } catch {
                throw UsageError(message: "--scaffold: " + error.message + "; nothing was written", command: "recommend")
            }
        }
        switch parsed["format"] ?? "text" {
        case "json":
            var scaffold = starter.json()
            if let folder = parsed["scaffold"], case .object(var members) = scaffold {
                members.append((key: "written", value: .string(folder)))
                scaffold = .object(members)
            }
            let costJSON = CostReport.json(cost, rules: rules, answers: answers)
            context.console.write(JSONWriter.write(RecommendationReport.json(recommendation, rules: rules, extra: [("cost", costJSON), ("scaffold", scaffold)])) + "\n")
        case "markdown":
            context.console.write(RecommendationMarkdown.render(recommendation, rules: rules, starter: starter,
                                                                costSection: CostMarkdown.section(cost, rules: rules, answers: answers)))
        default:
            if parsed.has("explain") {
                var closing = starter.text(context.style)
                if let folder = parsed["scaffold"] { closing += "Wrote \(written) files to \(context.style.bold(folder)).\n" }
                let section = CostText.section(cost, rules: rules, answers: answers, style: context.style)
                context.console.write(RecommendationText.render(recommendation, rules: rules, style: context.style, sections: [section], closing: closing))
            } else {
                let next = RecommendationScreen.Next(starter: starter, written: parsed["scaffold"].map { ($0, written) }, explain: nil)
                context.console.write(RecommendationScreen.render(recommendation, rules: rules, style: context.style, cost: cost, next: next))
            }
        }
        return .success
    }

    /// The recommended pattern's starter code in the language asked for (`--lang`, `--name`, `--scaffold`).
    /// `workload`: the answers as given, so the project written is sized for this workload (SPEC §9).
    static func starterCode(for pattern: String, parsed: ParsedArguments, rules: RuleSet,
                            workload: (raw: [String: String], flags: [(flag: String, value: String?)])) throws -> ScaffoldCommand.Starter {
        var scaffoldArguments = ParsedArguments()
        scaffoldArguments.values["lang"] = parsed["lang"]
        scaffoldArguments.values["name"] = parsed["name"]
        scaffoldArguments.values["out"] = parsed["scaffold"]
        if parsed.has("force") && parsed["scaffold"] == nil {
            throw UsageError(message: "--force applies only with --scaffold <dir>", command: "recommend")
        }
        var request = try ScaffoldCommand.request(pattern: pattern, parsed: scaffoldArguments, rules: rules, command: "recommend")
        request.workload = try ScaffoldCommand.workload(workload.raw, pattern: pattern, name: request.name, rules: rules, command: "recommend")
        request.flags = workload.flags
        return try ScaffoldCommand.starter(request, rules: rules)
    }

    /// Reads the input flags into answers; a bad or missing value is an exit-2 error naming the flag.
    static func resolveAnswers(_ parsed: ParsedArguments, rules: RuleSet, command: String) throws -> Answers {
        var raw: [String: String] = [:]
        for input in rules.inputs {
            if input.kind == .flag { if parsed.has(input.flag) { raw[input.id] = "true" } }
            else if let value = parsed[input.flag] { raw[input.id] = value }
        }
        do {
            return try Answers.resolve(raw, rules: rules)
        } catch {
            throw UsageError(message: error.description, command: command)
        }
    }

    static func recommend(_ answers: Answers, rules: RuleSet) throws -> Recommendation {
        do { return try Engine(rules: rules).recommend(answers) }
        catch { throw InputFailure(message: "the rule set could not decide: \(error.message)") }
    }
}

/// `--help` text in swift-argument-parser's shape, generated from the option table.
enum Help {
    static func render(command: String, overview: String, usage: String, options: [OptionSpec], extra: String = "") -> String {
        var text = "OVERVIEW: \(overview)\n\nUSAGE: \(usage)\n\nOPTIONS:\n"
        for option in options where option.name != "h" {
            var left = "  --\(option.name)"
            if let valueName = option.valueName { left += " <\(valueName.count > 40 ? "value" : valueName)>" }
            if option.name == "help" { left = "  -h, --help" }
            var help = option.help
            if let values = option.values { help += " (values: \(values.joined(separator: ", "))" + (option.defaultText.map { "; default: \($0))" } ?? ")") }
            else if let valueName = option.valueName, valueName.contains("|") {
                help += " (values: \(valueName.replacing("|", with: ", "))" + (option.defaultText.map { "; default: \($0))" } ?? ")")
            } else if let defaultText = option.defaultText { help += " (default: \(defaultText))" }
            if left.count >= 30 {
                text += left + "\n" + Style.wrap(help, width: 100, first: String(repeating: " ", count: 30), rest: String(repeating: " ", count: 30)) + "\n"
            } else {
                text += Style.wrap(help, width: 100, first: left.padding(to: 30), rest: String(repeating: " ", count: 30)) + "\n"
            }
        }
        if !extra.isEmpty { text += "\n" + extra }
        return text
    }

    static func inputsNote(_ rules: RuleSet) -> String {
        var required = rules.inputs.filter { $0.required == true }.map { "--\($0.flag)" }
        required += rules.inputs.filter { $0.requiredWhen != nil }.map { "--\($0.flag) (when \($0.requiredWhen!))" }
        return """
        Required: \(required.joined(separator: ", ")).
        Durations need a unit (800ms, 45s, 4m, 1h30m, 2d, 40min, 90sec, 2hr, 3days); rates a period (5/s, 300/min,
        40/h, 24/day); volumes /month or /day; sizes B, KB, MB or GB. A near miss is answered with what it means.

        """
    }
}
