import AdvisorCore

/// The command-line front end: parses arguments, runs a command of the core, prints, returns the exit code.
/// Only `main.swift` exits; everything here is testable in-process with a `Console`.
public enum CLI {
    public static let version = "0.1.0"
    /// Where the project lives, for SARIF's `tool.driver.informationUri`.
    public static let homepage = "https://github.com/async-advisor/async-advisor"

    static let commands: [(name: String, summary: String)] = [
        ("ask", "Answer a few questions and get a recommendation (interactive)"),
        ("recommend", "Recommend a pattern for a workload given as flags"),
        ("cost", "Monthly cost of every pattern that can run a workload, side by side"),
        ("check", "CI design check: is each workload's chosen pattern sound? (exit 1 if not)"),
        ("patterns", "List the pattern catalogue"),
        ("explain", "Show one pattern in full"),
        ("compare", "Compare patterns side by side on the comparison tables"),
        ("tree", "Print the decision tree (text, mermaid or dot)"),
        ("scaffold", "Write a starter project (handlers, AWS SAM template, events, tests, README)"),
        ("rules", "Work with rule sets: 'rules lint'"),
    ]

    public static func run(_ arguments: [String], console: Console) -> ExitCode {
        let style = Style(color: console.usesColor, width: console.width)
        var context = Context(console: console, style: style)
        do {
            return try dispatch(arguments, &context)
        } catch let error as UsageError {
            console.writeError(style.red("Error: ") + error.message + "\n")
            if let command = error.command {
                console.writeError("See 'async-advisor \(command) --help'.\n")
            } else {
                console.writeError("See 'async-advisor --help'.\n")
            }
            return .usage
        } catch let error as RuleSetError {
            console.writeError(style.red("Error: ") + "the rule set is invalid:\n")
            for problem in error.problems { console.writeError("  \(problem)\n") }
            return .usage
        } catch let error as InputFailure {
            console.writeError(style.red("Error: ") + error.message + "\n")
            return .usage
        } catch let error as Interrupted {
            console.writeError(error.message)
            return .interrupted
        } catch {
            console.writeError(style.red("Error: ") + "\(error)\n")
            return .usage
        }
    }

    private static func dispatch(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        guard let first = arguments.first else {
            if context.console.inputIsTerminal && context.console.isTerminal {
                return try AskCommand.run([], &context)
            }
            context.console.write(mainHelp())
            return .success
        }
        let rest = Array(arguments.dropFirst())
        switch first {
        case "-h", "--help": context.console.write(mainHelp()); return .success
        case "help":
            guard let topic = rest.first else { context.console.write(mainHelp()); return .success }
            return try dispatch([topic, "--help"], &context)
        case "--version", "-V", "version": context.console.write("async-advisor \(version)\n"); return .success
        case "recommend": return try RecommendCommand.run(rest, &context)
        case "cost": return try CostCommand.run(rest, &context)
        case "ask": return try AskCommand.run(rest, &context)
        case "check": return try CheckCommand.run(rest, &context)
        case "patterns": return try CatalogueCommands.patterns(rest, &context)
        case "explain": return try CatalogueCommands.explain(rest, &context)
        case "compare": return try CatalogueCommands.compare(rest, &context)
        case "tree": return try TreeCommand.run(rest, &context)
        case "scaffold": return try ScaffoldCommand.run(rest, &context)
        case "rules": return try RulesCommand.run(rest, &context)
        default:
            if first.hasPrefix("-") {
                if let meant = ownOption(first) {
                    throw UsageError(message: "unknown option '\(first)'. Did you mean '\(meant)'?", command: nil)
                }
                throw UsageError(message: "unknown option '\(first)'; async-advisor itself takes --help and --version, and a command's options go after it (e.g. async-advisor recommend \(first) …)", command: nil)
            }
            let names = commands.map(\.name)
            let suggestion = Suggest.nearest(first, among: names).map { " Did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "unknown command '\(first)'.\(suggestion) Commands: \(names.joined(separator: ", "))", command: nil)
        }
    }

    /// The option of async-advisor itself that `argument` most likely means: `--verison`, `-v` and `--v`
    /// are `--version`, `--hlep` is `--help`; nil when it is none of them.
    static func ownOption(_ argument: String) -> String? {
        let bare = argument.drop { $0 == "-" }.lowercased()
        if bare == "v" { return "--version" }
        if bare == "h" { return "--help" }
        guard bare.count > 1 else { return nil }
        return Suggest.nearest(String(bare), among: ["version", "help"]).map { "--" + $0 }
    }

    static func mainHelp() -> String {
        var text = """
        OVERVIEW: Pick how to run long work on AWS Lambda without hitting the 29–30 s wall of the HTTP
        front doors or Lambda's 15-minute limit, and get starter code for it.

        USAGE: async-advisor <command> [options]
               async-advisor               (on a terminal: the questionnaire)

        COMMANDS:

        """
        for command in commands {
            text += "  " + command.name.padding(to: 12) + command.summary + "\n"
        }
        text += """

        OPTIONS:
          --rules <dir>       Use the rule set in <dir> instead of the built-in one
          -h, --help          Show help for a command: async-advisor <command> --help
          --version           Show the version

        EXAMPLES:
          async-advisor recommend --duration 4m --response status --updates poll
          async-advisor recommend --duration 90s --trigger webhook --response ack --format json
          async-advisor cost --duration 4m --response ack --volume 3M/month
          async-advisor check design.json --format sarif > results.sarif
          async-advisor rules lint --rules ./my-rules

        Exit codes: 0 success, 1 a check found an error, 2 usage or input error, 130 interrupted.

        """
        return text
    }
}

/// What every command works with: the console, the style and the rule set (loaded once, on demand).
struct Context {
    var console: Console
    var style: Style
    private var loaded: RuleSet?

    init(console: Console, style: Style) { self.console = console; self.style = style }

    mutating func rules(_ arguments: [String]) throws -> RuleSet {
        if let loaded { return loaded }
        let files: RuleFiles = ArgumentParser.rulesDirectory(in: arguments).map { .directory($0) } ?? .embedded
        if case .directory(let path) = files, !FileSystem.isDirectory(path) {
            throw UsageError(message: "--rules: '\(path)' is not a folder", command: nil)
        }
        let rules = try RuleSet.load(files)
        loaded = rules
        Self.keepUntilExit(rules)
        return rules
    }

    /// Keeps what a command is done with until the process exits, rather than free it: freeing a rule set
    /// or ten thousand verdicts object by object is work nobody waits for, since the process's memory goes
    /// back to the system as it exits (compilers skip the same teardown). The CLI runs one command per process.
    static func keepUntilExit(_ value: Any) { keptUntilExit.append(value) }
}

nonisolated(unsafe) private var keptUntilExit: [Any] = []

/// An input that could not be used: a bad value, a missing required input, a bad design file.
struct InputFailure: Error { var message: String }

/// Ctrl-C or a closed input during the questionnaire.
struct Interrupted: Error { var message: String }

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
