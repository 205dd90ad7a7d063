/// The machine-readable cost (SPEC §5 `cost`) and the side-by-side view of `cost`.
///
/// Money in JSON is rounded to the cent (SPEC §5, §8): each line's `monthly` is `quantity × unitPrice`
/// rounded, and `monthly` is the unrounded total rounded, so the rounded lines may sum a cent away from it.
/// Quantities and unit prices are as computed (a unit price is a published rate, often below a cent).
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
            ("monthly", .number(cents(estimate.monthly))),
            ("lines", .array(estimate.lines.map(line))),
        ]
        members.append(("concurrency", concurrency(estimate.concurrency)))
        members.append(("freeAllowances", .array(estimate.allowances.map { .string($0) })))
        members.append(("assumptions", .string(estimate.assumptionLine(answers: answers, rules: rules))))
        members.append(("assumedInputs", assumptions(estimate, rules: rules, answers: answers)))
        members.append(("notes", .array(estimate.notes.map { .string($0) })))
        return .object(members)
    }

    static func line(_ line: CostEstimate.Line) -> JSONValue {
        .object([
            ("item", .string(line.item)),
            ("quantity", .number(significant(line.quantity))),
            ("unit", .string(line.unit)),
            ("unitPrice", .number(significant(line.unitPrice))),
            ("monthly", .number(cents(line.monthly))),
            ("price", .string(line.price.id)),
            ("rate", .string(line.price.rateText)),
            ("asOf", line.price.asOf.map { .string($0) } ?? .null),
            ("source", line.price.source.map { .string($0) } ?? .null),
        ])
    }

    /// USD rounded to the cent, as a bill shows it.
    public static func cents(_ usd: Double) -> Double {
        guard usd.isFinite, abs(usd) < 1e13 else { return usd }
        return (usd * 100).rounded() / 100
    }

    /// A quantity or a unit price to 12 significant digits: what the arithmetic means, without the last bits of
    /// binary noise (`2.0000000000000002e-07` is `2e-07`, the $0.20 per 1M a reviewer finds on the page).
    public static func significant(_ value: Double, digits: Int = 12) -> Double {
        guard value.isFinite, value != 0 else { return value }
        var magnitude = abs(value), exponent = 0
        while magnitude >= 10 { magnitude /= 10; exponent += 1 }
        while magnitude < 1 { magnitude *= 10; exponent -= 1 }
        let places = digits - 1 - exponent
        if places >= 0 {
            let scale = Money.pow10(min(places, 300))
            return (value * scale).rounded() / scale
        }
        let scale = Money.pow10(-places)
        return (value / scale).rounded() * scale
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

    /// `cost --format json`: every pattern (or the one asked for) grouped as SPEC §8 says — the recommendation
    /// and its alternatives, the other patterns that can run the workload, then those that cannot with why.
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
                    ("standing", .string(option.standing.rawValue)),
                    ("feasible", .bool(option.feasible)),
                    ("why", option.why.map { .string($0) } ?? .null),
                    ("monthly", .number(cents(option.estimate.monthly))),
                    ("lines", .array(option.estimate.lines.map(line))),
                    ("concurrency", concurrency(option.estimate.concurrency)),
                    ("assumptions", .string(option.estimate.assumptionLine(answers: answers, rules: rules))),
                    ("notes", .array(option.estimate.notes.map { .string($0) })),
                ])
            })),
        ]
        if let cheapest = CostEstimator.cheapest(options) {
            members.append(("cheapest", .object([("id", .string(cheapest.id)), ("monthly", .number(cents(cheapest.estimate.monthly)))])))
        }
        if let recommended {
            members.append(("recommended", .object([("id", .string(recommended.pattern.id)), ("name", .string(recommended.pattern.name))])))
        }
        members.append(("inputs", RecommendationReport.inputs(answers, rules: rules)))
        members.append(("command", .string(RecommendationReport.command(answers, rules: rules, verb: "cost"))))
        return .object(members)
    }
}
