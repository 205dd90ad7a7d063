import AdvisorCore

/// `rules lint [--rules DIR]`: validate a rule set; exit 2 when anything is wrong.
enum RulesCommand {
    static func run(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        guard let sub = arguments.first, !sub.hasPrefix("-") else {
            if arguments.contains("--help") || arguments.contains("-h") {
                context.console.write("OVERVIEW: Work with rule sets.\n\nUSAGE: async-advisor rules lint [--rules <dir>] [--format text|json]\n\nSUBCOMMANDS:\n  lint    Validate a rule set: JSON, references, expressions, tree totality, reachability, templates\n")
                return .success
            }
            throw UsageError(message: "'rules' needs a subcommand: lint", command: "rules")
        }
        guard sub == "lint" else {
            throw UsageError(message: "unknown subcommand 'rules \(sub)'. Did you mean 'rules lint'?", command: "rules")
        }
        let specs = [CatalogueCommands.formatOption] + RecommendCommand.common
        let rest = Array(arguments.dropFirst())
        let parsed = try ArgumentParser.parse(rest, options: specs, command: "rules lint", maxPositionals: 0)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(command: "rules lint", overview: "Validate a rule set before using it: JSON and references valid, every expression's names defined, every input combination at and around each boundary reaching exactly one leaf, no unreachable node, every scaffold placeholder defined.", usage: "async-advisor rules lint [--rules <dir>] [--format text|json]", options: specs))
            return .success
        }
        let files: RuleFiles = parsed["rules"].map { .directory($0) } ?? .embedded
        if case .directory(let path) = files, !FileSystem.isDirectory(path) {
            throw UsageError(message: "--rules: '\(path)' is not a folder", command: "rules lint")
        }
        let report = RuleLint.run(files, extraChecks: LintExtras.all)
        if parsed["format"] == "json" {
            let json = JSONValue.object([
                ("rules", .string(files.label)),
                ("ok", .bool(report.problems.isEmpty)),
                ("combinations", .number(Double(report.combinations))),
                ("sweepMilliseconds", .number((report.sweepMilliseconds * 10).rounded() / 10)),
                ("problems", .array(report.problems.map { p in
                    .object([("file", .string(p.file)), ("path", .string(p.path.rendered)),
                             ("line", p.location.map { .number(Double($0.line)) } ?? .null),
                             ("column", p.location.map { .number(Double($0.column)) } ?? .null),
                             ("message", .string(p.message))])
                })),
            ])
            context.console.write(JSONWriter.write(json) + "\n")
            return report.problems.isEmpty ? .success : .usage
        }
        if report.problems.isEmpty {
            context.console.write(context.style.green("ok") + ": \(files.label) — \(report.combinations) input combinations each reach exactly one leaf, whose pattern can run them; \(report.nodesReached) nodes and \(report.leavesReached) leaves reached\n")
            return .success
        }
        for problem in report.problems { context.console.writeError("\(problem)\n") }
        context.console.writeError("\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") in \(files.label)\n")
        return .usage
    }
}

/// Lint checks that live outside the core rule model (scaffold templates, cost models) register here.
enum LintExtras {
    static var all: [(RuleSet) -> [RuleProblem]] { [] }
}
