import AdvisorCore

/// The recommendation as people read it: the pattern, why, alternatives, warnings, what lost and why,
/// the inputs and the command that reproduces it.
enum RecommendationText {
    /// `sections` go before what lost; `closing` (the starter code) ends the answer.
    static func render(_ r: Recommendation, rules: RuleSet, style: Style, sections: [String] = [], closing: String? = nil) -> String {
        var out = ""
        out += style.bold("Recommended: ") + style.green(style.bold(r.pattern.name)) + " (\(r.pattern.id))\n"
        if let summary = rules.pattern(r.pattern.id)?.summary { out += style.wrap(summary, first: "  ") + "\n" }

        out += "\n" + style.bold("Why") + " (the path through the decision tree):\n"
        for (index, step) in r.path.enumerated() {
            let number = "  \(index + 1). "
            out += style.wrap(step.because, first: number) + "\n"
            out += style.dim(style.wrap("rule \(step.rule) · \(rules.sourceReference(step.source))", first: String(repeating: " ", count: number.count))) + "\n"
        }

        if !r.companions.isEmpty {
            out += "\n" + style.bold("Together with") + ":\n"
            for c in r.companions { out += style.wrap("\(c.name) (\(c.id)): \(c.why)", first: "  + ", rest: "    ") + "\n" }
        }
        if !r.alternatives.isEmpty {
            out += "\n" + style.bold("Alternatives") + ":\n"
            for a in r.alternatives { out += style.wrap("\(a.id): \(a.why)", first: "  - ", rest: "    ") + "\n" }
        }
        if !r.warnings.isEmpty {
            out += "\n" + style.bold("Watch out") + ":\n"
            for w in r.warnings { out += style.yellow(style.wrap("\(w.id): \(w.message)", first: "  ! ", rest: "    ")) + "\n" }
        }
        if let pattern = rules.pattern(r.pattern.id), !pattern.limits.notes.isEmpty {
            out += "\n" + style.bold("Limits") + ":\n"
            for note in pattern.limits.notes { out += style.wrap(note, first: "  · ", rest: "    ") + "\n" }
        }
        if let door = r.frontDoor(rules) {
            out += "\n" + style.bold("Front door") + ": \(door.name) (window \(door.window))\n"
            for note in door.notes { out += style.wrap(note, first: "  · ", rest: "    ") + "\n" }
        }
        for section in sections { out += "\n" + section }
        if !r.notChosen.isEmpty {
            out += "\n" + style.bold("Not chosen") + ":\n"
            for n in r.notChosen { out += style.dim(style.wrap("\(n.id): \(n.why)", first: "  × ", rest: "    ")) + "\n" }
        }
        out += "\n" + style.bold("Inputs") + ":\n"
        for input in rules.inputs {
            guard let entry = r.answers.entries[input.id] else { continue }
            let value = InputValue.format(entry.value, for: input)
            out += "  " + "--\(input.flag)".padding(to: 20) + value + (entry.defaulted ? style.dim(" (default)") : "") + "\n"
        }
        out += "\n" + style.bold("Reproduce") + ":\n"
        out += "  " + RecommendationReport.command(r.answers, rules: rules) + "\n"
        if let closing { out += "\n" + closing }
        return out
    }
}
