/// The machine-readable cost (SPEC §5 `cost`) and the side-by-side view of `cost`.
///
/// Money in JSON is unrounded USD: `monthly` is exactly the sum of the lines' `monthly`, and each line's
/// `monthly` is `quantity × unitPrice`. Only text output rounds, to cents (`Money.format`).
public enum CostReport {
    public static func json(_ estimate: CostEstimate, rules: RuleSet, answers: Answers) -> JSONValue {
        let prices = rules.costs.prices
        var members: [(key: String, value: JSONValue)] = [
            ("currency", .string(prices.currency)),
            ("region", .string(prices.region)),
            ("pricing", .string(prices.pricing)),
            ("pricesAsOf", .string(estimate.pricesAsOf)),
            ("arch", .string(estimate.arch)),
            ("freeTier", .bool(estimate.freeTier)),
            ("monthly", .number(estimate.monthly)),
            ("lines", .array(estimate.lines.map(line))),
        ]
        members.append(("concurrency", concurrency(estimate.concurrency)))
        members.append(("freeAllowances", .array(estimate.allowances.map { .string($0) })))
        members.append(("assumptions", assumptions(estimate, rules: rules, answers: answers)))
        members.append(("notes", .array(estimate.notes.map { .string($0) })))
        return .object(members)
    }

    static func line(_ line: CostEstimate.Line) -> JSONValue {
        .object([
            ("item", .string(line.item)),
            ("quantity", .number(line.quantity)),
            ("unit", .string(line.unit)),
            ("unitPrice", .number(line.unitPrice)),
            ("monthly", .number(line.monthly)),
            ("price", .string(line.price.id)),
            ("rate", .string(line.price.rateText)),
            ("asOf", line.price.asOf.map { .string($0) } ?? .null),
            ("source", line.price.source.map { .string($0) } ?? .null),
        ])
    }

    static func concurrency(_ value: CostEstimate.Concurrency?) -> JSONValue {
        guard let value else { return .null }
        return .object([("needed", .number(value.needed)), ("limit", .number(value.limit)), ("exceeds", .bool(value.exceeds))])
    }

    /// The inputs the figure rests on, with their values and whether each was defaulted.
    static func assumptions(_ estimate: CostEstimate, rules: RuleSet, answers: Answers) -> JSONValue {
        .array(estimate.assumptions.compactMap { id -> JSONValue? in
            guard let input = rules.input(id), let entry = answers.entries[id] else { return nil }
            return .object([("flag", .string("--" + input.flag)), ("value", .string(InputValue.format(entry.value, for: input))),
                            ("defaulted", .bool(entry.defaulted))])
        })
    }

    /// `cost --format json`: every pattern (or the one asked for), cheapest feasible first.
    public static func comparison(_ options: [CostEstimator.Option], recommended: Recommendation?, rules: RuleSet, answers: Answers) -> JSONValue {
        let prices = rules.costs.prices
        let first = options.first?.estimate
        var members: [(key: String, value: JSONValue)] = [
            ("currency", .string(prices.currency)),
            ("region", .string(prices.region)),
            ("pricing", .string(prices.pricing)),
            ("pricesAsOf", .string(options.map(\.estimate.pricesAsOf).min() ?? prices.oldestAsOf)),
            ("arch", .string(first?.arch ?? "x86")),
            ("freeTier", .bool(first?.freeTier ?? false)),
            ("patterns", .array(options.map { option in
                .object([
                    ("id", .string(option.id)),
                    ("name", .string(option.name)),
                    ("feasible", .bool(option.feasible)),
                    ("why", option.why.map { .string($0) } ?? .null),
                    ("monthly", .number(option.estimate.monthly)),
                    ("lines", .array(option.estimate.lines.map(line))),
                    ("concurrency", concurrency(option.estimate.concurrency)),
                    ("notes", .array(option.estimate.notes.map { .string($0) })),
                ])
            })),
        ]
        if let recommended {
            members.append(("recommended", .object([("id", .string(recommended.pattern.id)), ("name", .string(recommended.pattern.name))])))
        }
        members.append(("inputs", RecommendationReport.inputs(answers, rules: rules)))
        members.append(("command", .string(RecommendationReport.command(answers, rules: rules, verb: "cost"))))
        return .object(members)
    }
}
