/// A pattern's estimated monthly cost for one workload: priced line items, their total, and everything a
/// reader needs to check a figure (the price, its date and source, the inputs assumed).
public struct CostEstimate: Sendable {
    public struct Line: Sendable {
        public var item: String
        public var quantity: Double
        public var unit: String
        /// USD per single unit as billed here: the published rate, or the blend of tiers and free units.
        public var unitPrice: Double
        public var monthly: Double
        public var price: Price
    }

    /// The Lambda concurrency the workload needs (throughput × duration) against the account's limit.
    public struct Concurrency: Sendable {
        public var needed: Double
        public var limit: Double
        public var exceeds: Bool { needed > limit }
    }

    public var pattern: String
    public var lines: [Line]
    public var monthly: Double
    public var notes: [String]
    public var arch: String
    public var freeTier: Bool
    /// The free allowances counted (only with `--free-tier`).
    public var allowances: [String]
    /// Inputs the model read, in rule order: the assumptions behind the figure.
    public var assumptions: [String]
    public var concurrency: Concurrency?
    public var pricesAsOf: String

    /// The one line of assumptions a reader checks the figure against (SPEC §8): every input the model read,
    /// as a flag with its value, marked where it was defaulted, then the basis of the prices.
    public func assumptionLine(answers: Answers, rules: RuleSet) -> String {
        let inputs = assumptions.compactMap { id -> String? in
            guard id != "freeTier", let input = rules.input(id), let entry = answers.entries[id] else { return nil }
            return "--\(input.flag) \(InputValue.format(entry.value, for: input))" + (entry.defaulted ? " (default)" : "")
        }
        let prices = rules.costs.prices
        return inputs.joined(separator: ", ") + "; \(prices.pricing) \(prices.region) prices as of \(pricesAsOf), "
            + (freeTier ? "free tier counted" : "free tier not counted")
    }
}

/// Evaluates cost models. Line quantities are summed per price before tiers and free allowances apply,
/// because AWS tiers a month's total usage of a service, not each line separately.
public struct CostEstimator: Sendable {
    public let rules: RuleSet

    public init(rules: RuleSet) { self.rules = rules }

    /// Inputs the estimator itself reads, besides the models' expressions: `arch` picks a price's row,
    /// `freeTier` whether the allowances count.
    public static let readsInputs: Set<String> = ["arch", "freeTier"]

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public func estimate(_ patternID: String, answers: Answers) throws(Failure) -> CostEstimate {
        try estimate(patternID, scope: answers.scope(rules: rules))
    }

    public func estimate(_ patternID: String, scope base: Scope) throws(Failure) -> CostEstimate {
        guard let model = rules.costs.model(patternID), let pattern = rules.pattern(patternID) else {
            throw Failure(message: "no cost model for pattern '\(patternID)'")
        }
        var scope = Engine.scope(base, pattern: pattern)
        func fail(_ what: String, _ error: Expression.Error) -> Failure {
            Failure(message: "cost model of '\(patternID)': \(what): \(error.message)")
        }
        for item in model.lets {
            do { scope[item.key] = try item.expression.evaluate(scope) } catch { throw fail("'\(item.name)'", error) }
        }
        let arch = scope["arch"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "x86"
        let freeTier = scope["freeTier"] == .bool(true)

        // The names the lines and notes that apply read: the inputs behind this figure, not every input a
        // line for another door or network could read.
        var read: Set<String> = []
        var evaluated: [(line: CostModel.Line, quantity: Double, price: Price)] = []
        for line in model.lines {
            if let when = line.when {
                do { guard try when.evaluateBool(scope) else { continue } } catch { throw fail("'\(line.item)' (when)", error) }
            }
            read.formUnion(line.quantity.names)
            if let when = line.when { read.formUnion(when.names) }
            let quantity: Double
            do { quantity = try line.quantity.evaluateNumber(scope) } catch { throw fail("'\(line.item)'", error) }
            guard quantity.isFinite, quantity >= 0 else {
                throw Failure(message: "cost model of '\(patternID)': '\(line.item)' has quantity \(Value.formatNumber(quantity)); it must be a finite number of 0 or more")
            }
            guard let price = rules.costs.prices.price(line.price, arch: arch) else {
                throw Failure(message: "cost model of '\(patternID)': no price '\(line.price)' for \(arch)")
            }
            evaluated.append((line, quantity, price))
        }

        // Tiers and free units apply to the month's total per price; each line carries its share.
        var totals: [String: Double] = [:]
        for entry in evaluated { totals[key(entry.price), default: 0] += entry.quantity }
        var charges: [String: Double] = [:]
        var allowances: [String] = []
        for entry in evaluated where charges[key(entry.price)] == nil {
            let total = totals[key(entry.price)] ?? 0
            let free = freeTier ? (entry.price.free?.quantity ?? 0) : 0
            charges[key(entry.price)] = entry.price.cost(total, freeUnits: free)
            if freeTier, let allowance = entry.price.free, total > 0 { allowances.append(allowance.note) }
        }
        var lines: [CostEstimate.Line] = []
        for entry in evaluated {
            let total = totals[key(entry.price)] ?? 0
            let charge = charges[key(entry.price)] ?? 0
            let monthly = total > 0 ? charge * entry.quantity / total : 0
            let unitPrice = entry.quantity > 0 ? monthly / entry.quantity : entry.price.bands[0].perUnit
            lines.append(CostEstimate.Line(item: entry.line.item, quantity: entry.quantity, unit: entry.line.unit,
                                           unitPrice: unitPrice, monthly: monthly, price: entry.price))
        }

        var notes: [String] = []
        for note in model.notes {
            if let when = note.when {
                do { guard try when.evaluateBool(scope) else { continue } } catch { throw fail("a note's when", error) }
            }
            read.formUnion(note.text.names)
            if let when = note.when { read.formUnion(when.names) }
            do { notes.append(try note.text.render(scope)) } catch { throw fail("a note", error) }
        }

        var concurrency: CostEstimate.Concurrency?
        if pattern.lambdaBased, case .number(let needed)? = scope["concurrency"], case .number(let limit)? = scope["concurrencyLimit"] {
            concurrency = .init(needed: needed, limit: limit)
        }
        for item in model.lets.reversed() where read.contains(item.name) { read.formUnion(item.expression.names) }
        let used = read
        let assumptions = rules.inputs.map(\.id).filter { used.contains($0) || Self.readsInputs.contains($0) }
        let dates = lines.compactMap(\.price.asOf)
        return CostEstimate(
            pattern: patternID, lines: lines, monthly: lines.reduce(0) { $0 + $1.monthly }, notes: notes,
            arch: arch, freeTier: freeTier, allowances: allowances, assumptions: assumptions,
            concurrency: concurrency, pricesAsOf: dates.min() ?? rules.costs.prices.oldestAsOf)
    }

    private func key(_ price: Price) -> String { price.id + "|" + (price.arch ?? "") }

    /// Where a pattern stands in the side-by-side view (SPEC §8), in the order the view shows them.
    public enum Standing: String, Sendable, Comparable {
        case recommended, alternative, feasible, infeasible

        private var rank: Int { [.recommended, .alternative, .feasible, .infeasible].firstIndex(of: self)! }
        public static func < (a: Standing, b: Standing) -> Bool { a.rank < b.rank }
    }

    /// One pattern of the side-by-side view.
    public struct Option: Sendable {
        public var id: String
        public var name: String
        /// Exactly `check --pattern`'s verdict: false when a hard limit of §4 stops the pattern.
        public var feasible: Bool { standing != .infeasible }
        public var standing: Standing
        /// For a pattern that cannot run the workload, the limit it exceeds (the error `check` gives).
        public var why: String?
        public var estimate: CostEstimate
    }

    /// Every pattern's estimate, grouped as SPEC §8 says: the recommendation and its alternatives first, then
    /// the other patterns that can run the workload, cheapest first, then those that cannot, in catalogue order,
    /// each with the limit it exceeds. Whether a pattern can run it is `DesignCheck.cannotRun`, the very test
    /// that makes `check --pattern` an error.
    public func compare(_ answers: Answers, recommendation: Recommendation, only: [String]? = nil) throws(Failure) -> [Option] {
        let scope = answers.scope(rules: rules)
        let check = DesignCheck(rules: rules)
        let alternatives = recommendation.alternatives.map(\.id)
        var options: [Option] = []
        for pattern in rules.patterns where only?.contains(pattern.id) ?? true {
            let violations = check.cannotRun(pattern.id, recommendation)
            let standing: Standing = !violations.isEmpty ? .infeasible
                : pattern.id == recommendation.pattern.id ? .recommended
                : alternatives.contains(pattern.id) ? .alternative : .feasible
            options.append(Option(id: pattern.id, name: pattern.name, standing: standing,
                                  why: violations.isEmpty ? nil : violations.map(\.message).joined(separator: " "),
                                  estimate: try estimate(pattern.id, scope: scope)))
        }
        let order = Dictionary(uniqueKeysWithValues: rules.patterns.enumerated().map { ($1.id, $0) })
        return options.sorted { a, b in
            if a.standing != b.standing { return a.standing < b.standing }
            if a.standing == .alternative { return alternatives.firstIndex(of: a.id)! < alternatives.firstIndex(of: b.id)! }
            if a.standing == .feasible && a.estimate.monthly != b.estimate.monthly { return a.estimate.monthly < b.estimate.monthly }
            return order[a.id]! < order[b.id]!
        }
    }

    /// The cheapest option that can run the workload; "cheapest" is never said of one that cannot.
    public static func cheapest(_ options: [Option]) -> Option? {
        options.filter(\.feasible).min { $0.estimate.monthly < $1.estimate.monthly }
    }
}
