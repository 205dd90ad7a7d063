import AdvisorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `async-advisor ask`: the questionnaire. Asks only what the path through the tree needs, accepts a
/// choice by name or number, `?` for help, `back` to go back, Enter for the default; then prints the
/// recommendation and the `recommend` command that reproduces it.
enum AskCommand {
    static func run(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        let specs = [RecommendCommand.explainOption] + RecommendCommand.common
        let parsed = try ArgumentParser.parse(arguments, options: specs, command: "ask", maxPositionals: 0)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(command: "ask", overview: "Answer a few questions about the workload and get the recommended pattern, why, what to watch out for, and the command that reproduces it. Answers can be piped, one per line.", usage: "async-advisor ask [--explain] [--rules <dir>]", options: specs,
                extra: "At each question: Enter takes the default, a choice is accepted by name or number, '?' shows help, 'back' goes back. Ctrl-D or Ctrl-C ends it without writing anything.\n"))
            return .success
        }
        let rules = try context.rules(arguments)
        let console = context.console
        let style = context.style
        let interactive = console.inputIsTerminal
        if interactive { installInterruptHandler() }
        let questionnaire = Questionnaire(rules: rules)
        var given: Questionnaire.Given = [:]
        var history: [String] = []

        console.write(style.bold("async-advisor") + " — a few questions about the work, then the pattern that fits.\n")
        console.write(style.dim("Enter takes the [default] · a choice by name or number · ? for help · back to go back") + "\n")

        while let input = questionnaire.next(given) {
            let number = history.count + 1
            let (prompt, help) = wording(input, given: given, rules: rules)
            console.write("\n" + style.bold(style.cyan("\(number). ") + prompt) + "\n")
            let choices = offeredChoices(input, given: given, rules: rules)
            for (index, choice) in choices.enumerated() {
                console.write(style.wrap("\(choice.value) — \(choice.meaning)", first: "   \(index + 1)) ", rest: "       ") + "\n")
            }
            let defaultText = defaultShown(input, given: given, rules: rules)
            let hint = defaultText.map { " [\($0)]" } ?? ""
            var answered = false
            while !answered {
                console.write(style.bold("> ") + style.dim(hint.isEmpty ? "" : hint.trimmed + " "))
                guard let line = console.readLine() else {
                    if interactive {
                        console.write("\n")
                        console.writeError("Ended (end of input); nothing written.\n")
                        return .success
                    }
                    throw InputFailure(message: "input ended before question \(number) was answered: \"\(prompt)\" (--\(input.flag))")
                }
                if !interactive { console.write(line + "\n") }
                let text = line.trimmed
                switch text.lowercased() {
                case "?", "help":
                    console.write(style.wrap(help, first: "   ") + "\n")
                    console.write(style.dim(style.wrap("source: \(input.source) · flag: --\(input.flag)", first: "   ")) + "\n")
                    continue
                case "back", "b":
                    guard let previous = history.popLast() else {
                        console.write(style.yellow("   This is the first question; there is nothing to go back to.") + "\n")
                        continue
                    }
                    given[previous] = nil
                    // Answers after the one revisited may no longer apply: drop them too.
                    answered = true
                    continue
                case "":
                    guard defaultText != nil else {
                        console.write(style.yellow("   An answer is needed here") + " — " + accepted(input, choices) + "\n")
                        continue
                    }
                    given[input.id] = .some(nil)
                default:
                    let value = choices.isEmpty ? text : (Int(text).flatMap { choices.indices.contains($0 - 1) ? choices[$0 - 1].value : nil } ?? text)
                    do {
                        if !choices.isEmpty && !choices.contains(where: { $0.value == value.lowercased() }) {
                            let meant = Suggest.nearest(value.lowercased(), among: choices.map(\.value)).map { "; did you mean '\($0)'?" } ?? ""
                            throw InputValue.ParseError(message: "'\(text)' is not one of the choices here\(meant) — " + accepted(input, choices))
                        }
                        _ = try InputValue.parse(value, for: input)
                        var trial = given
                        trial[input.id] = .some(value)
                        if let problem = inconsistency(questionnaire.raw(trial), given: trial, rules: rules) {
                            throw InputValue.ParseError(message: problem)
                        }
                        given[input.id] = .some(value)
                    } catch let error as InputValue.ParseError {
                        // The message names what is accepted once; a value the core refuses says so itself.
                        let message = error.message.replacing("--\(input.flag): ", with: "")
                        console.write(style.yellow(style.wrap(message, first: "   ")) + "\n")
                        if !message.contains("accepted") && !message.contains("needs a period") {
                            console.write("   " + accepted(input, choices) + "\n")
                        }
                        continue
                    }
                }
                history.append(input.id)
                answered = true
            }
        }

        let answers: Answers
        do { answers = try Answers.resolve(questionnaire.raw(given), rules: rules) }
        catch { throw InputFailure(message: error.description) }
        let recommendation = try RecommendCommand.recommend(answers, rules: rules)
        console.write("\n" + String(repeating: "─", count: min(style.width, 80)) + "\n\n")
        let cost = try CostCommand.estimate(recommendation.pattern.id, answers: answers, rules: rules)
        let starter = try RecommendCommand.starterCode(for: recommendation.pattern.id, parsed: ParsedArguments(), rules: rules)
        if parsed.has("explain") {
            console.write(RecommendationText.render(recommendation, rules: rules, style: style,
                                                    sections: [CostText.section(cost, rules: rules, answers: answers, style: style)],
                                                    closing: starter.text(style)))
        } else {
            let next = RecommendationScreen.Next(starter: starter, written: nil,
                                                 explain: RecommendationReport.command(answers, rules: rules) + " --explain")
            console.write(RecommendationScreen.render(recommendation, rules: rules, style: style, cost: cost, next: next))
        }
        if interactive { try offerScaffold(recommendation.pattern.id, rules: rules, context: context) }
        return .success
    }

    /// The last step on a terminal: write the pattern's starter project now, in the language and folder chosen.
    /// Enter (or Ctrl-D) declines; the folder is asked again until one can take the project.
    static func offerScaffold(_ pattern: String, rules: RuleSet, context: Context) throws {
        let console = context.console, style = context.style
        console.write("\n" + style.bold("Write a starter project for \(pattern) now?") + " (python, typescript or no)\n")
        var language: String?
        while language == nil {
            console.write(style.bold("> ") + style.dim("[no] "))
            guard let line = console.readLine()?.trimmed.lowercased() else { console.write("\n"); return }
            switch line {
            case "", "no", "n": 
                console.write("Nothing written. Later: async-advisor scaffold \(pattern) --lang python\n")
                return
            case "1", "python", "py": language = "python"
            case "2", "typescript", "ts": language = "typescript"
            default: console.write(style.yellow("   '\(line)' is not offered here") + " — accepted: python, typescript, no\n")
            }
        }
        let defaultFolder = "./" + pattern
        while true {
            console.write(style.bold("Folder") + " " + style.dim("[\(defaultFolder)] "))
            guard let line = console.readLine() else { console.write("\nNothing written.\n"); return }
            let out = line.trimmed.isEmpty ? defaultFolder : line.trimmed
            if let reason = ProjectWriter.refusal(for: out, force: false) {
                console.write(style.yellow("   \(reason.replacing(", or add --force to overwrite the scaffold's files there (other files are kept)", with: ""))") + "\n")
                continue
            }
            var parsed = ParsedArguments()
            parsed.values = ["lang": language!, "out": out]
            let request = try ScaffoldCommand.request(pattern: pattern, parsed: parsed, rules: rules, command: "ask")
            let files = try ScaffoldCommand.render(request, rules: rules)
            do { try ProjectWriter.write(files, to: out, force: false) } catch {
                console.write(style.yellow("   \(error.message)") + "\n")
                continue
            }
            console.write("Wrote \(files.count) files to \(style.bold(out)). The same again: \(request.command)\n")
            return
        }
    }

    static func offeredChoices(_ input: InputRule, given: Questionnaire.Given, rules: RuleSet) -> [InputRule.Choice] {
        rules.offeredChoices(input, in: Questionnaire(rules: rules).partialScopeForDisplay(given))
    }

    /// The question and its help as asked here: the first `promptWhen` that holds, else the input's own.
    static func wording(_ input: InputRule, given: Questionnaire.Given, rules: RuleSet) -> (prompt: String, help: String) {
        guard let alternatives = input.promptWhen, !alternatives.isEmpty else { return (input.prompt, input.help) }
        let scope = Questionnaire(rules: rules).partialScopeForDisplay(given)
        for wording in alternatives where rules.holds(wording.when, in: scope) {
            return (wording.prompt, wording.help ?? input.help)
        }
        return (input.prompt, input.help)
    }

    static func defaultShown(_ input: InputRule, given: Questionnaire.Given, rules: RuleSet) -> String? {
        let scope = Questionnaire(rules: rules).partialScopeForDisplay(given)
        if let conditional = input.defaultWhen?.first(where: { rules.holds($0.when, in: scope) }) {
            if let value = conditional.value { return value }
            if let expression = conditional.expression.flatMap({ rules.expressions[$0] }), let value = try? expression.evaluate(scope) {
                return InputValue.format(value, for: input) + (conditional.label.map { " = \($0)" } ?? "")
            }
            return conditional.label
        }
        if input.required == true { return nil }
        if let requiredWhen = input.requiredWhen, let expression = rules.expressions[requiredWhen], (try? expression.evaluateBool(scope)) == true { return nil }
        if let text = input.default { return text }
        if let expression = input.defaultExpression.flatMap({ rules.expressions[$0] }), let value = try? expression.evaluate(scope) {
            return InputValue.format(value, for: input) + (input.defaultLabel.map { " = \($0)" } ?? "")
        }
        return input.defaultLabel
    }

    static func accepted(_ input: InputRule, _ choices: [InputRule.Choice]) -> String {
        switch input.kind {
        case .choice: return "accepted: " + choices.enumerated().map { "\($0.offset + 1) or \($0.element.value)" }.joined(separator: ", ")
        case .duration: return "accepted: \(Duration.acceptedForms)"
        case .size: return "accepted: \(Size.accepted)"
        case .rate: return "accepted: \(Rate.acceptedRates)"
        case .volume: return "accepted: \(Rate.acceptedVolumes)"
        case .flag: return "accepted: yes or no"
        case .number:
            if let min = input.minimum, let max = input.maximum { return "accepted: a number from \(Value.formatNumber(min)) to \(Value.formatNumber(max))" }
            return "accepted: a number"
        case .integer:
            if let min = input.minimum, let max = input.maximum { return "accepted: a whole number from \(Int(min)) to \(Int(max))" }
            return "accepted: a whole number"
        }
    }

    /// A constraint the answers so far already break (e.g. a webhook that wants status), if any.
    static func inconsistency(_ raw: [String: String], given: Questionnaire.Given, rules: RuleSet) -> String? {
        let scope = Questionnaire(rules: rules).partialScopeForDisplay(given)
        for constraint in rules.constraints {
            let names = constraint.when.names
            guard names.allSatisfy({ scope[$0] != nil }) else { continue }
            if (try? constraint.when.evaluateBool(scope)) == true {
                return (try? MessageTemplate(constraint.rule.message).render(scope)) ?? constraint.rule.message
            }
        }
        return nil
    }

    /// Ctrl-C at a question: say so on its own line, write nothing, exit 130.
    static func installInterruptHandler() {
        // A parent may hand us SIGINT blocked (posix_spawn'd children inherit the mask): unblock it, or
        // Ctrl-C would do nothing at a question.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigprocmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT) { _ in
            let message = "\nInterrupted; nothing written.\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            _exit(130)
        }
    }
}
