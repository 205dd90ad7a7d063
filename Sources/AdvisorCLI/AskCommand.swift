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
                extra: "At each question: Enter takes the default, a choice is accepted by name or number, '?' shows help, 'back' goes back (and offers the answer given before). On a terminal, once the required answers are in, it offers the usual defaults for the rest; at the end, to write the starter project and to save the workload to \(designFile) (added to it if it is a design file, never overwritten). Ctrl-D (exit 1) or Ctrl-C (exit 130) ends it with nothing written.\n"))
            return .success
        }
        let rules = try context.rules(arguments)
        let console = context.console
        let style = context.style
        let interactive = console.inputIsTerminal
        if interactive { installInterruptHandler() }
        let questionnaire = Questionnaire(rules: rules)
        var given: Questionnaire.Given = [:]
        /// The questions answered, in order; `usualDefaults` marks the shortcut's place among them.
        var history: [String] = []
        /// What was typed at a question before `back` left it: shown as its default when it is asked again.
        var remembered: [String: String] = [:]
        // On a terminal, once the required answers are in: take the usual defaults for the rest? (Piped
        // answers are scripts: the questions they answer stay the same.)
        var shortcut: Shortcut = interactive ? .notYet : .never

        console.write(style.bold("async-advisor") + " — a few questions about the work, then the pattern that fits.\n")
        console.write(style.dim("Enter takes the [default] · a choice by name or number · ? for help · back to go back") + "\n")

        func ended() -> ExitCode {
            console.write("\n")
            console.writeError("Ended (end of input); nothing written.\n")
            return .ended
        }

        while let input = questionnaire.next(given) {
            let defaultText = remembered[input.id] ?? defaultShown(input, given: given, rules: rules)
            if shortcut == .notYet, defaultText != nil, requiredAnswered(given, rules: rules) {
                console.write("\n" + style.bold(style.cyan("\(history.count + 1). ") + "Use the usual defaults for the rest?") + "\n")
                console.write(style.dim("   yes: every other answer takes its default, shown in the summary · no: answer each question") + "\n")
                switch try askYesNo(console: console, style: style, interactive: interactive) {
                case nil: return ended()
                case .back?:
                    guard let previous = history.popLast() else { continue }
                    if let typed = given[previous] ?? nil { remembered[previous] = typed }
                    given[previous] = nil
                    continue
                case .yes?: shortcut = .taken
                case .no?: shortcut = .declined
                }
                history.append(Self.usualDefaults)
                continue
            }
            if shortcut == .taken, let defaultText {
                // The default, or the answer given before going back.
                given[input.id] = remembered[input.id].map { .some($0) } ?? .some(nil)
                console.write(style.dim("   --\(input.flag) \(defaultText)") + "\n")
                history.append(input.id)
                continue
            }
            let number = history.count + 1
            let (prompt, help) = wording(input, given: given, rules: rules)
            console.write("\n" + style.bold(style.cyan("\(number). ") + prompt) + "\n")
            let choices = offeredChoices(input, given: given, rules: rules)
            for (index, choice) in choices.enumerated() {
                console.write(style.wrap("\(choice.value) — \(choice.meaning)", first: "   \(index + 1)) ", rest: "       ") + "\n")
            }
            let hint = defaultText.map { " [\($0)]" } ?? ""
            var answered = false
            while !answered {
                console.write(style.bold("> ") + style.dim(hint.isEmpty ? "" : hint.trimmed + " "))
                guard let line = console.readLine() else {
                    if interactive { return ended() }
                    throw InputFailure(message: "input ended before question \(number) was answered: \"\(prompt)\" (--\(input.flag))")
                }
                if !interactive { console.write(line + "\n") }
                var text = line.trimmed
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
                    if previous == Self.usualDefaults {
                        shortcut = .notYet
                    } else {
                        // Asked again, the question offers the answer given before as its default.
                        if let typed = given[previous] ?? nil { remembered[previous] = typed }
                        given[previous] = nil
                        if shortcut == .taken {
                            // Undo the defaults taken after the shortcut, back to it.
                            while let last = history.last, last != Self.usualDefaults { given[last] = nil; history.removeLast() }
                            if history.last == Self.usualDefaults { history.removeLast() }
                            shortcut = .notYet
                        }
                    }
                    answered = true
                    continue
                case "":
                    if let typed = remembered[input.id] { text = typed; break }
                    guard defaultText != nil else {
                        console.write(style.yellow("   An answer is needed here") + " — " + accepted(input, choices) + "\n")
                        continue
                    }
                    given[input.id] = .some(nil)
                    remembered[input.id] = nil
                    history.append(input.id)
                    answered = true
                    continue
                default:
                    break
                }
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
                    remembered[input.id] = nil
                } catch let error as InputValue.ParseError {
                    // The message names what is accepted once; a value the core refuses says so itself.
                    let message = error.message.replacing("--\(input.flag): ", with: "")
                    console.write(style.yellow(style.wrap(message, first: "   ")) + "\n")
                    if !message.contains("accepted") && !message.contains("needs a period") {
                        console.write("   " + accepted(input, choices) + "\n")
                    }
                    continue
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
        let raw = questionnaire.raw(given)
        let flags = rules.inputs.compactMap { input in raw[input.id].map { (flag: input.flag, value: input.kind == .flag ? nil : Optional($0)) } }
        let starter = try RecommendCommand.starterCode(for: recommendation.pattern.id, parsed: ParsedArguments(), rules: rules, workload: (raw, flags))
        if parsed.has("explain") {
            console.write(RecommendationText.render(recommendation, rules: rules, style: style,
                                                    sections: [CostText.section(cost, rules: rules, answers: answers, style: style)],
                                                    closing: starter.text(style)))
        } else {
            let next = RecommendationScreen.Next(starter: starter, written: nil,
                                                 explain: RecommendationReport.command(answers, rules: rules) + " --explain")
            console.write(RecommendationScreen.render(recommendation, rules: rules, style: style, cost: cost, next: next))
        }
        if interactive {
            // Ctrl-D at an offer ends the questionnaire as it does at a question: exit 1, that offer not taken.
            guard try offerScaffold(recommendation.pattern.id, workload: starter.request, rules: rules, context: context) else { return ended() }
            guard try offerSave(recommendation.pattern.id, answers: answers, rules: rules, context: context) else {
                console.write("\n")
                console.writeError("Ended (end of input); no design file written.\n")
                return .ended
            }
        }
        return .success
    }

    /// The design file the questionnaire offers to save the workload to.
    static let designFile = "async-advisor.json"

    /// The last offer on a terminal: save the workload to a design file for `async-advisor check`, appended
    /// to the file if it is one, a new file if there is none; a file that is not a design file is refused and
    /// left as it is. False when the input ends.
    static func offerSave(_ pattern: String, answers: Answers, rules: RuleSet, context: Context) throws -> Bool {
        let console = context.console, style = context.style
        console.write("\n" + style.bold("Save this workload to a design file, for async-advisor check in CI?") + " (yes or no)\n")
        switch try askYesNo(console: console, style: style, interactive: true) {
        case nil: return false
        case .no?, .back?:
            console.write("Not saved.\n")
            return true
        case .yes?: break
        }
        while true {
            console.write(style.bold("File") + " " + style.dim("[\(designFile)] "))
            guard let line = console.readLine() else { return false }
            let path = line.trimmed.isEmpty ? designFile : line.trimmed
            if FileSystem.isDirectory(path) {
                console.write(style.yellow("   \(path) is a folder; give a file") + "\n")
                continue
            }
            let existing: String?
            if FileSystem.exists(path) {
                do { existing = try FileSystem.read(path) } catch {
                    console.write(style.yellow("   \(error.message); give another file") + "\n")
                    continue
                }
            } else {
                existing = nil
            }
            var name = pattern
            console.write(style.bold("Workload name") + " " + style.dim("[\(name)] "))
            guard let typed = console.readLine() else { return false }
            if !typed.trimmed.isEmpty { name = typed.trimmed }
            let entry = DesignFileWriter.entry(name: name, pattern: pattern, answers: answers, rules: rules)
            let text: String
            do { text = try DesignFileWriter.adding(entry, named: name, to: existing, path: path, rules: rules) } catch {
                let first = error.problems.first.map(\.description) ?? "\(error)"
                let more = error.problems.count > 1 ? " (and \(error.problems.count - 1) more problems)" : ""
                console.write(style.yellow(style.wrap("   \(first)\(more); nothing written", first: "   ", rest: "   ").trimmed) + "\n")
                console.write("   Give another file, or another name.\n")
                continue
            }
            // Written beside the file and renamed over it: the file is whole, old or new, at every moment.
            let temporary = path + ".async-advisor-\(getpid()).tmp"
            do {
                try FileSystem.write(text, to: temporary)
                try FileSystem.move(temporary, to: path)
            } catch {
                try? FileSystem.remove(temporary)
                console.write(style.yellow("   \(error.message); nothing written") + "\n")
                continue
            }
            console.write((existing == nil ? "Wrote" : "Added workload '\(name)' to") + " \(style.bold(path))"
                + (existing == nil ? " with workload '\(name)'" : "") + ". Check it: async-advisor check \(RecommendationReport.shellQuoted(path))\n")
            return true
        }
    }

    /// Where the questionnaire stands with "use the usual defaults for the rest?".
    enum Shortcut { case never, notYet, taken, declined }

    /// The shortcut's place in the history of answers (no input has this id).
    static let usualDefaults = "(usual defaults)"

    enum YesNo { case yes, no, back }

    /// A yes-or-no question, asked until it is answered; nil at the end of input.
    static func askYesNo(console: Console, style: Style, interactive: Bool, defaultYes: Bool = false) throws -> YesNo? {
        while true {
            console.write(style.bold("> ") + style.dim(defaultYes ? "[yes] " : "[no] "))
            guard let line = console.readLine() else { return nil }
            if !interactive { console.write(line + "\n") }
            switch line.trimmed.lowercased() {
            case "": return defaultYes ? .yes : .no
            case "y", "yes", "1": return .yes
            case "n", "no", "2": return .no
            case "back", "b": return .back
            default:
                let meant = Suggest.nearest(line.trimmed.lowercased(), among: ["yes", "no"]).map { "; did you mean '\($0)'?" } ?? ""
                console.write(style.yellow("   '\(line.trimmed)' is not yes or no\(meant)") + " — accepted: yes, no, back\n")
            }
        }
    }

    /// Whether every input that is required so far (by `required`, or a `requiredWhen` that holds on the
    /// answers given and the defaults of the rest) has an answer.
    static func requiredAnswered(_ given: Questionnaire.Given, rules: RuleSet) -> Bool {
        // The answers given, and the default of every other input (a trigger left to its default makes
        // the response required).
        var withDefaults = given
        for input in rules.inputs where withDefaults[input.id] == nil { withDefaults[input.id] = .some(nil) }
        let scope = Questionnaire(rules: rules).partialScopeForDisplay(withDefaults)
        for input in rules.inputs where given[input.id] == nil && Questionnaire.groups.contains(input.group ?? "workload") {
            if input.required == true { return false }
            if let requiredWhen = input.requiredWhen, let expression = rules.expressions[requiredWhen],
               (try? expression.evaluateBool(scope)) == true { return false }
        }
        return true
    }

    /// The last step on a terminal: write the pattern's starter project now, in the language and folder chosen.
    /// Enter (or Ctrl-D) declines; the folder is asked again until one can take the project.
    /// `workload`: the request the answers gave, whose workload and flags the project is written for.
    /// False when the input ends.
    static func offerScaffold(_ pattern: String, workload: ScaffoldCommand.Request, rules: RuleSet, context: Context) throws -> Bool {
        let console = context.console, style = context.style
        if let refusal = try ScaffoldCommand.refusal(workload, rules: rules, recommended: true) {
            console.write("\n" + style.yellow(style.wrap("No starter project is offered: \(refusal)")) + "\n")
            return true
        }
        console.write("\n" + style.bold("Write a starter project for \(pattern) now?") + " (python, typescript or no)\n")
        var language: String?
        while language == nil {
            console.write(style.bold("> ") + style.dim("[no] "))
            guard let line = console.readLine()?.trimmed.lowercased() else { return false }
            switch line {
            case "", "no", "n":
                var later = workload
                later.language = "python"
                console.write("Nothing written. Later: \(later.command)\n")
                return true
            case "1", "python", "py": language = "python"
            case "2", "typescript", "ts": language = "typescript"
            default: console.write(style.yellow("   '\(line)' is not offered here") + " — accepted: python, typescript, no\n")
            }
        }
        let defaultFolder = "./" + pattern
        while true {
            console.write(style.bold("Folder") + " " + style.dim("[\(defaultFolder)] "))
            guard let line = console.readLine() else { return false }
            let out = line.trimmed.isEmpty ? defaultFolder : line.trimmed
            if let reason = ProjectWriter.refusal(for: out, force: false) {
                console.write(style.yellow("   \(reason.replacing(", or add --force to overwrite the scaffold's files there (other files are kept)", with: ""))") + "\n")
                continue
            }
            var parsed = ParsedArguments()
            parsed.values = ["lang": language!, "out": out]
            var request = try ScaffoldCommand.request(pattern: pattern, parsed: parsed, rules: rules, command: "ask")
            request.workload = workload.workload
            request.flags = workload.flags
            let files = try ScaffoldCommand.render(request, rules: rules)
            do { try ProjectWriter.write(files, to: out, force: false) } catch {
                console.write(style.yellow("   \(error.message)") + "\n")
                continue
            }
            console.write("Wrote \(files.count) files to \(style.bold(out)). The same again: \(request.command)\n")
            interruptNote = strdup("\nInterrupted; the starter project was written, nothing else.\n")
            return true
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
        interruptDescriptor = Console.errorDescriptor  // stderr, or the copy FatalErrors keeps of it
        signal(SIGINT) { _ in
            // Only async-signal-safe calls here: write(2) of a C string made beforehand, and _exit.
            if let note = interruptNote { _ = write(interruptDescriptor, note, strlen(note)) }
            _exit(130)
        }
    }
}

/// What Ctrl-C says: "nothing written" until an offer writes something (set before the handler can need it).
/// Where the note goes: the process's standard error as the tool writes to it (set before the handler runs).
nonisolated(unsafe) private var interruptDescriptor: Int32 = 2

nonisolated(unsafe) private var interruptNote: UnsafeMutablePointer<CChar>? = strdup("\nInterrupted; nothing written.\n")
