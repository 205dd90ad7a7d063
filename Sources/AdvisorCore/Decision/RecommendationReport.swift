/// The machine-readable form of a recommendation (SPEC §5) and the command line that reproduces it.
public enum RecommendationReport {
    public static func json(_ r: Recommendation, rules: RuleSet, extra: [(String, JSONValue)] = []) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("pattern", .object([("id", .string(r.pattern.id)), ("name", .string(r.pattern.name))])),
            ("alternatives", .array(r.alternatives.map(reasoned))),
            ("companions", .array(r.companions.map(reasoned))),
            ("path", .array(r.path.map { .object([("rule", .string($0.rule)), ("because", .string($0.because))] + sourced($0.source, rules)) })),
            ("warnings", .array(r.warnings.map { .object([("id", .string($0.id)), ("message", .string($0.message))] + sourced($0.source, rules)) })),
            ("notChosen", .array(r.notChosen.map { notChosen($0, rules: rules) })),
        ]
        members += extra.map { (key: $0.0, value: $0.1) }
        members.append(("inputs", inputs(r.answers, rules: rules)))
        members.append(("command", .string(command(r.answers, rules: rules))))
        return .object(members)
    }

    /// `wouldBeChosenWith` keys are the design-file keys (flag names without the dashes), values as typed,
    /// null where the input is left out.
    static func notChosen(_ n: Recommendation.NotChosen, rules: RuleSet) -> JSONValue {
        let changes: JSONValue = n.wouldBeChosenWith.map { changes in
            .object(changes.map { change in (key: rules.input(change.id)?.designKey ?? change.id, value: change.text.map { JSONValue.string($0) } ?? .null) })
        } ?? .null
        return .object([("id", .string(n.id)), ("why", .string(n.why)), ("infeasible", .bool(n.infeasible)), ("wouldBeChosenWith", changes)])
    }

    /// `source` as the rules give it, and for a page the title a reader looks it up by (SPEC §5).
    static func sourced(_ source: String, _ rules: RuleSet) -> [(key: String, value: JSONValue)] {
        [("source", .string(source))] + (rules.page(source).map { [("sourceTitle", JSONValue.string($0.title))] } ?? [])
    }

    static func reasoned(_ item: Recommendation.Reasoned) -> JSONValue {
        .object([("id", .string(item.id)), ("name", .string(item.name)), ("why", .string(item.why))])
    }

    /// Every input with its value as typed, whether it was defaulted, and its raw number where it has one.
    public static func inputs(_ answers: Answers, rules: RuleSet) -> JSONValue {
        .object(rules.inputs.compactMap { input in
            guard let entry = answers.entries[input.id] else { return nil }
            var fields: [(key: String, value: JSONValue)] = [
                ("value", .string(InputValue.format(entry.value, for: input))),
                ("defaulted", .bool(entry.defaulted)),
            ]
            if case .number(let n) = entry.value {
                let unit: String
                switch input.kind {
                case .duration: unit = "seconds"
                case .rate: unit = "perSecond"
                case .volume: unit = "perMonth"
                default: unit = input.unit ?? "count"
                }
                fields.append(("number", .number(n)))
                fields.append(("unit", .string(unit)))
            }
            return (key: input.flag, value: .object(fields))
        })
    }

    /// `async-advisor recommend --duration 4m …` with every input that was not defaulted, in rule order.
    public static func command(_ answers: Answers, rules: RuleSet, verb: String = "recommend") -> String {
        var parts = ["async-advisor", verb]
        for input in rules.inputs {
            guard let entry = answers.entries[input.id], !entry.defaulted else { continue }
            if input.kind == .flag {
                if entry.value == .bool(true) { parts.append("--\(input.flag)") }
                continue
            }
            parts.append("--\(input.flag)")
            parts.append(shellQuoted(InputValue.format(entry.value, for: input)))
        }
        return parts.joined(separator: " ")
    }

    /// A word of a printed command, quoted for a POSIX shell when it needs it.
    public static func shellQuoted(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:=,".contains($0)) }
        return safe && !text.isEmpty ? text : "'" + text.replacing("'", with: "'\\''") + "'"
    }
}
