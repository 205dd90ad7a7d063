import AdvisorCore

/// `async-advisor cost FLAGS [--pattern ID]`: the monthly cost of every pattern side by side, or of one.
enum CostCommand {
    static func options(_ rules: RuleSet) -> [OptionSpec] {
        RecommendCommand.inputOptions(rules) + [
            OptionSpec(name: "pattern", valueName: "id", help: "Show one pattern's line items"),
            OptionSpec(name: "format", valueName: "format", help: "Output format (markdown: tables for a pull request)", values: ["text", "json", "markdown"], defaultText: "text"),
        ] + RecommendCommand.common
    }

    static func run(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        let rules = try context.rules(arguments)
        let specs = options(rules)
        let parsed = try ArgumentParser.parse(arguments, options: specs, command: "cost", maxPositionals: 0)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(
                command: "cost", overview: "Monthly cost of every pattern side by side: the recommendation and its alternatives, then the other patterns that can run the workload, cheapest first, then those that cannot with the reason; or one pattern's line items with --pattern. Prices are on-demand us-east-1 from rules/prices.json, each with its date and source.",
                usage: "async-advisor cost --duration <duration> [options] [--pattern <id>]", options: specs,
                extra: Help.inputsNote(rules)))
            return .success
        }
        var only: [String]?
        if let id = parsed["pattern"] { only = [try CatalogueCommands.pattern(id, rules, command: "cost").id] }
        let answers = try RecommendCommand.resolveAnswers(parsed, rules: rules, command: "cost")
        let recommendation = try RecommendCommand.recommend(answers, rules: rules)
        let options: [CostEstimator.Option]
        do { options = try CostEstimator(rules: rules).compare(answers, recommendation: recommendation, only: only) }
        catch { throw InputFailure(message: error.message) }

        if parsed["format"] == "json" {
            context.console.write(JSONWriter.write(CostReport.comparison(options, recommended: recommendation, rules: rules, answers: answers)) + "\n")
            return .success
        }
        if parsed["format"] == "markdown" {
            if only != nil, let option = options.first {
                var out = "# \(option.name) (\(Markdown.code(option.id)))\n\n"
                if let why = option.why { out += "**Cannot run this workload:** \(why)\n\n" }
                context.console.write(out + CostMarkdown.section(option.estimate, rules: rules, answers: answers))
            } else {
                context.console.write(CostMarkdown.comparison(options, recommended: recommendation, rules: rules, answers: answers))
            }
            return .success
        }
        let style = context.style
        if only != nil, let option = options.first {
            var out = style.bold(option.name) + " (\(option.id))\n"
            if let why = option.why { out += style.yellow(style.wrap("Cannot run this workload: \(why)", first: "  ! ", rest: "    ")) + "\n" }
            out += "\n" + CostText.section(option.estimate, rules: rules, answers: answers, style: style)
            if option.id != recommendation.pattern.id {
                out += "\n" + style.wrap("Recommended for this workload: \(recommendation.pattern.id) (async-advisor cost without --pattern compares them all).") + "\n"
            }
            context.console.write(out)
            return .success
        }
        context.console.write(CostText.comparison(options, recommended: recommendation, rules: rules, answers: answers, style: style))
        return .success
    }

    /// The cost of one pattern for `recommend` and `ask`; a model that cannot be evaluated is an input error.
    static func estimate(_ patternID: String, answers: Answers, rules: RuleSet) throws -> CostEstimate {
        do { return try CostEstimator(rules: rules).estimate(patternID, answers: answers) }
        catch { throw InputFailure(message: error.message) }
    }
}
