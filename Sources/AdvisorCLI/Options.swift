import AdvisorCore

/// One option of a command, declared once: parsing, `--help` and "did you mean" all read this.
struct OptionSpec: Sendable {
    var name: String
    var valueName: String?
    var help: String
    var values: [String]? = nil
    var defaultText: String? = nil
    var repeatable = false

    var takesValue: Bool { valueName != nil }
}

/// A usage error: names what is wrong and what is accepted; exit 2.
struct UsageError: Error, Sendable {
    var message: String
    var command: String?
}

/// Parsed command-line arguments of one command.
struct ParsedArguments: Sendable {
    var values: [String: String] = [:]
    var lists: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []

    subscript(name: String) -> String? { values[name] }
    func has(_ name: String) -> Bool { flags.contains(name) || values[name] != nil }
}

enum ArgumentParser {
    /// Parses `--name value`, `--name=value`, boolean `--name`, positionals and `--`.
    static func parse(_ arguments: [String], options: [OptionSpec], command: String, maxPositionals: Int) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            let bare = name.hasPrefix("--") ? String(name.dropFirst(2)) : String(name.dropFirst())
            guard let spec = options.first(where: { $0.name == bare }) else {
                var suggestion = Suggest.nearest(bare, among: options.map(\.name).filter { $0.count > 1 }).map { " Did you mean '--\($0)'?" } ?? ""
                if suggestion.isEmpty, CLI.ownOption(name) == "--version" {
                    suggestion = " The version is an option of async-advisor itself: async-advisor --version"
                }
                throw UsageError(message: "unknown option '\(name)'.\(suggestion)", command: command)
            }
            if spec.takesValue {
                let value: String
                if let inlineValue { value = inlineValue }
                else if index < arguments.count { value = arguments[index]; index += 1 }
                else { throw UsageError(message: "option '--\(spec.name)' needs a value (\(spec.valueName!))", command: command) }
                if let allowed = spec.values, !allowed.contains(value) {
                    let meant = Suggest.nearest(value, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
                    throw UsageError(message: "--\(spec.name): '\(value)' is not one of \(allowed.joined(separator: ", "))\(meant)", command: command)
                }
                if spec.repeatable { parsed.lists[spec.name, default: []].append(value) }
                else {
                    if parsed.values[spec.name] != nil { throw UsageError(message: "option '--\(spec.name)' is given twice", command: command) }
                    parsed.values[spec.name] = value
                }
            } else {
                if inlineValue != nil { throw UsageError(message: "option '--\(spec.name)' takes no value", command: command) }
                parsed.flags.insert(spec.name)
            }
        }
        if parsed.positionals.count > maxPositionals {
            let extra = parsed.positionals[maxPositionals]
            throw UsageError(message: maxPositionals == 0 ? "unexpected argument '\(extra)'" : "too many arguments (unexpected '\(extra)')", command: command)
        }
        return parsed
    }

    /// `--rules DIR` is read before anything else: the rule set decides which input flags exist.
    static func rulesDirectory(in arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { return nil }
            if argument == "--rules", index + 1 < arguments.count { return arguments[index + 1] }
            if argument.hasPrefix("--rules=") { return String(argument.dropFirst("--rules=".count)) }
        }
        return nil
    }
}
