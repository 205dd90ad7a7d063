import AdvisorCore

/// Costs as people read them: a short line-item table per pattern, and the side-by-side view.
/// Figures are rounded to cents (below a cent, to the first significant digits) only here.
enum CostText {
    /// The heading facts every cost view states: arch, purchase option, region, date, free tier.
    static func basis(_ estimate: CostEstimate, rules: RuleSet) -> String {
        let prices = rules.costs.prices
        return "\(estimate.arch), \(prices.pricing), \(prices.region), prices as of \(estimate.pricesAsOf), "
            + (estimate.freeTier ? "free tier counted" : "free tier not counted")
    }

    /// The cost section of `recommend` and `cost --pattern`.
    static func section(_ estimate: CostEstimate, rules: RuleSet, answers: Answers, style: Style, title: String = "Cost") -> String {
        var out = style.bold(title) + ": " + style.bold(Money.format(estimate.monthly)) + " a month (" + basis(estimate, rules: rules) + ")\n"
        out += table(estimate.lines, style: style)
        if let concurrency = estimate.concurrency {
            out += style.wrap(concurrencyText(concurrency, answers: answers, rules: rules), first: "  Concurrency: ", rest: "    ") + "\n"
        }
        let rates = unique(estimate.lines.map { "\($0.price.id) \($0.price.rateText)" })
        out += style.dim(style.wrap(rates.joined(separator: " · "), first: "  Prices: ", rest: "    ")) + "\n"
        if !estimate.allowances.isEmpty {
            out += style.wrap(estimate.allowances.joined(separator: "; "), first: "  Free: ", rest: "    ") + "\n"
        }
        out += style.dim(style.wrap(assumptions(estimate, answers: answers, rules: rules), first: "  Assumes: ", rest: "    ")) + "\n"
        for note in estimate.notes { out += style.wrap(note, first: "  · ", rest: "    ") + "\n" }
        return out
    }

    /// One line of what a figure assumes: the volume, the time and memory billed, the prices' region and
    /// date, the free tier. (Every input read and each rate come with `--explain`.)
    static func assumptionLine(_ estimate: CostEstimate, answers: Answers, rules: RuleSet) -> String {
        var facts: [String] = []
        if let volume = answers.text("volume", rules: rules) { facts.append(volume.replacing("/month", with: " tasks/month")) }
        if let mean = answers.text("avgDuration", rules: rules) { facts.append("\(mean) each") }
        if estimate.assumptions.contains("memory"), let memory = answers.text("memory", rules: rules) { facts.append("\(memory) MB \(estimate.arch)") }
        let prices = rules.costs.prices
        return facts.joined(separator: ", ") + "; \(prices.region) prices of \(estimate.pricesAsOf); "
            + (estimate.freeTier ? "free tier counted" : "no free tier")
    }

    static func table(_ lines: [CostEstimate.Line], style: Style) -> String {
        let quantities = lines.map { Value.formatNumber($0.quantity) }
        let amounts = lines.map { Money.format($0.monthly) }
        let itemWidth = lines.map(\.item.count).max() ?? 0
        let quantityWidth = quantities.map(\.count).max() ?? 0
        let unitWidth = lines.map(\.unit.count).max() ?? 0
        let amountWidth = amounts.map(\.count).max() ?? 0
        var out = ""
        for (index, line) in lines.enumerated() {
            out += "  " + line.item.padding(to: itemWidth + 1) + " " + leftPad(quantities[index], quantityWidth) + " "
                + line.unit.padding(to: unitWidth + 1) + " " + leftPad(amounts[index], amountWidth) + "\n"
        }
        return out
    }

    static func concurrencyText(_ c: CostEstimate.Concurrency, answers: Answers, rules: RuleSet) -> String {
        let needed = Value.formatNumber(c.needed.rounded(.up))
        let limit = Value.formatNumber(c.limit)
        let how = [answers.text("throughput", rules: rules), answers.text("duration", rules: rules)].compactMap { $0 }.joined(separator: " × ")
        return "about \(needed) concurrent executions needed (\(how)); account limit \(limit)"
            + (c.exceeds ? " — above it: requests will be throttled" : "")
    }

    static func assumptions(_ estimate: CostEstimate, answers: Answers, rules: RuleSet) -> String {
        estimate.assumptions.compactMap { id -> String? in
            guard let input = rules.input(id), let entry = answers.entries[id] else { return nil }
            return "--\(input.flag) \(InputValue.format(entry.value, for: input))" + (entry.defaulted ? " (default)" : "")
        }.joined(separator: ", ")
    }

    /// `cost` without `--pattern`: every pattern, cheapest feasible first, then those that cannot run it.
    static func comparison(_ options: [CostEstimator.Option], recommended: Recommendation?, rules: RuleSet, answers: Answers, style: Style) -> String {
        guard let first = options.first else { return "" }
        let volume = (answers.text("volume", rules: rules) ?? "?").replacing("/month", with: "")
        let mean = answers.text("avgDuration", rules: rules) ?? "?"
        let memory = answers.text("memory", rules: rules) ?? "?"
        var out = style.bold("Monthly cost") + " of \(volume) tasks a month, \(mean) each on average, Lambda memory \(memory) MB\n"
        out += style.dim("(" + basis(first.estimate, rules: rules) + ")") + "\n\n"
        let feasible = options.filter(\.feasible)
        let infeasible = options.filter { !$0.feasible }
        let idWidth = options.map(\.id.count).max() ?? 10
        let amounts = feasible.map { Money.format($0.estimate.monthly) }
        let amountWidth = max(7, amounts.map(\.count).max() ?? 0)
        if !feasible.isEmpty {
            out += "  " + "pattern".padding(to: idWidth + 1) + " " + leftPad("monthly", amountWidth) + "  concurrency needed / limit\n"
            for (index, option) in feasible.enumerated() {
                var row = "  " + option.id.padding(to: idWidth + 1) + " " + leftPad(amounts[index], amountWidth)
                if let c = option.estimate.concurrency {
                    row += "  " + Value.formatNumber(c.needed.rounded(.up)) + " / " + Value.formatNumber(c.limit) + (c.exceeds ? " (above the limit)" : "")
                }
                if option.id == recommended?.pattern.id { row += style.green("  ← recommended") }
                out += (index == 0 ? style.bold(row) : row) + "\n"
            }
        } else {
            out += "  No pattern can run this workload as given.\n"
        }
        if !infeasible.isEmpty {
            out += "\n" + style.bold("Cannot run this workload") + ":\n"
            for option in infeasible {
                out += style.dim(style.wrap("\(option.id): \(option.why ?? "")", first: "  × ", rest: "    ")) + "\n"
            }
        }
        out += "\n"
        if let cheapest = feasible.first {
            out += "Cheapest that can run it: " + style.bold(cheapest.id) + " at \(Money.format(cheapest.estimate.monthly)) a month.\n"
        }
        if let recommended {
            let cost = options.first { $0.id == recommended.pattern.id }.map { " at \(Money.format($0.estimate.monthly)) a month" } ?? ""
            out += "Recommended for this workload: " + style.bold(recommended.pattern.id) + cost + " (async-advisor recommend says why).\n"
        }
        out += style.dim("Line items: async-advisor cost --pattern ID with the same flags.") + "\n"
        return out
    }

    private static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
