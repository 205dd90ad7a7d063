/// One published price (`rules/prices.json`): what it is, its unit, the USD per `per` units — flat or in
/// tiers of monthly usage — the free allowance, and when and where it was read.
public struct Price: Sendable {
    public struct Tier: Sendable {
        /// The cumulative monthly quantity this tier ends at; the last tier has none.
        public var upTo: Double?
        public var usd: Double
    }

    public struct Allowance: Sendable {
        public var quantity: Double
        public var note: String
    }

    public var id: String
    public var service: String
    public var description: String
    /// Set where the price differs by processor architecture (Lambda duration, Fargate).
    public var arch: String?
    public var unit: String
    /// How many units `usd` buys: 1, 1000, 1000000.
    public var per: Double
    public var usd: Double?
    public var tiers: [Tier]?
    /// Free each month, counted only with `--free-tier` (the allowance is the account's, not the workload's).
    public var free: Allowance?
    /// aws-facts.md's confidence grade: A read on an AWS page, B checked against several copies, C one source.
    public var grade: String?
    public var asOf: String?
    public var source: String?

    /// USD per single unit in each band of monthly quantity.
    public var bands: [(from: Double, to: Double, perUnit: Double)] {
        guard let tiers, !tiers.isEmpty else { return [(0, .infinity, (usd ?? 0) / per)] }
        var result: [(from: Double, to: Double, perUnit: Double)] = []
        var from = 0.0
        for tier in tiers {
            let to = tier.upTo ?? .infinity
            result.append((from, to, tier.usd / per))
            from = to
        }
        return result
    }

    /// The monthly charge for `quantity` units when the first `freeUnits` of the month cost nothing.
    /// Tier boundaries count the whole month's usage, free units included, as AWS bills them.
    public func cost(_ quantity: Double, freeUnits: Double = 0) -> Double {
        guard quantity > 0 else { return 0 }
        let start = min(max(0, freeUnits), quantity)
        var total = 0.0
        for band in bands {
            let low = max(band.from, start), high = min(band.to, quantity)
            if high > low { total += (high - low) * band.perUnit }
        }
        return total
    }

    /// "$0.20 per 1M", "$0.0000166667 per GB-s (tiered)": the published rate, as the price list states it.
    public var rateText: String {
        let first = tiers?.first?.usd ?? usd ?? 0
        if first == 0 && (tiers?.count ?? 0) <= 1 { return "free" }
        let amount = "$" + Money.fixed(first, 10)
        let perText = per == 1 ? unit : Rate.compact(per) + " " + unit
        return amount + " per " + perText + ((tiers?.count ?? 0) > 1 ? " (tiered)" : "")
    }
}

/// The price list a rule set ships: one region, one currency, one purchase option.
public struct PriceList: Sendable {
    public var region: String
    public var currency: String
    public var pricing: String
    public var prices: [Price]

    /// The price of `id` for an architecture: the entry for that arch, or the one that does not vary by arch.
    public func price(_ id: String, arch: String) -> Price? {
        prices.first { $0.id == id && $0.arch == arch } ?? prices.first { $0.id == id && $0.arch == nil }
    }

    /// The oldest date any price was read: the date every figure is at least as fresh as.
    public var oldestAsOf: String { prices.compactMap(\.asOf).min() ?? "unknown" }
}

struct PricesFile: Sendable {
    var version: Int
    var region: String
    var currency: String
    var pricing: String
    var note: String?
    var prices: [Located<Price>]
}
