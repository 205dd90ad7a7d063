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
        var out = style.bold(title) + ": " + style.bold(Money.bill(estimate.monthly)) + " a month (" + basis(estimate, rules: rules) + ")\n"
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
        let amounts = lines.map { Money.bill($0.monthly) }
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
        // The time each execution is held: --duration, or the active time of a workflow or durable function.
        var held: String?
        if case .number(let rate)? = answers["throughput"], rate > 0 { held = Duration.format(c.needed / rate) }
        let how = [answers.text("throughput", rules: rules), held].compactMap { $0 }.joined(separator: " × ")
        return "about \(needed) concurrent executions needed (\(how)); account limit \(limit)"
            + (c.exceeds ? " — above it: requests will be throttled" : "")
    }

    static func assumptions(_ estimate: CostEstimate, answers: Answers, rules: RuleSet) -> String {
        estimate.assumptionLine(answers: answers, rules: rules)
    }

    /// `cost` without `--pattern`: the recommendation and its alternatives, the other patterns that can run
    /// the workload (cheapest first), then those that cannot, each with why (SPEC §8).
    static func comparison(_ options: [CostEstimator.Option], recommended: Recommendation?, rules: RuleSet, answers: Answers, style: Style) -> String {
        guard let first = options.first else { return "" }
        let volume = (answers.text("volume", rules: rules) ?? "?").replacing("/month", with: "")
        let mean = answers.text("avgDuration", rules: rules) ?? "?"
        let memory = answers.text("memory", rules: rules) ?? "?"
        var out = style.bold("Monthly cost") + " of \(volume) tasks a month, \(mean) each on average, Lambda memory \(memory) MB\n"
        out += style.dim("(" + basis(first.estimate, rules: rules) + ")") + "\n"
        let feasible = options.filter(\.feasible)
        let infeasible = options.filter { !$0.feasible }
        let idWidth = options.map(\.id.count).max() ?? 10
        let amountWidth = max(7, options.map { Money.bill($0.estimate.monthly).count }.max() ?? 0)
        func row(_ option: CostEstimator.Option) -> String {
            var row = "  " + option.id.padding(to: idWidth + 1) + " " + leftPad(Money.bill(option.estimate.monthly), amountWidth)
            if let c = option.estimate.concurrency {
                row += "  " + Value.formatNumber(c.needed.rounded(.up)) + " / " + Value.formatNumber(c.limit) + (c.exceeds ? " (above the limit)" : "")
            }
            if option.standing == .recommended { row += style.green("  ← recommended") }
            return row
        }
        let groups: [(title: String, options: [CostEstimator.Option])] = [
            ("The recommendation and its alternatives", feasible.filter { $0.standing != .feasible }),
            ("Other patterns that can run it", feasible.filter { $0.standing == .feasible }),
        ]
        var header = false
        for group in groups where !group.options.isEmpty {
            out += "\n" + style.bold(group.title) + ":\n"
            if !header {
                out += "  " + "pattern".padding(to: idWidth + 1) + " " + leftPad("monthly", amountWidth) + "  concurrency needed / limit\n"
                header = true
            }
            for option in group.options { out += row(option) + "\n" }
        }
        if feasible.isEmpty { out += "\n  No pattern can run this workload as given.\n" }
        if !infeasible.isEmpty {
            out += "\n" + style.bold("Cannot run this workload") + ":\n"
            for option in infeasible {
                out += style.dim(style.wrap("\(option.id): \(option.why ?? "")", first: "  × ", rest: "    ")) + "\n"
            }
        }
        out += "\n"
        if let cheapest = CostEstimator.cheapest(options) {
            out += "Cheapest that can run it: " + style.bold(cheapest.id) + " at \(Money.bill(cheapest.estimate.monthly)) a month.\n"
        }
        if let recommended {
            let option = options.first { $0.id == recommended.pattern.id }
            let cost = option.map { " at \(Money.bill($0.estimate.monthly)) a month" } ?? ""
            out += "Recommended for this workload: " + style.bold(recommended.pattern.id) + cost + " (async-advisor recommend says why).\n"
        }
        let assumed = options.first { $0.standing == .recommended } ?? first
        out += style.dim(style.wrap(assumptions(assumed.estimate, answers: answers, rules: rules), first: "Assumes: ", rest: "  ")) + "\n"
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
