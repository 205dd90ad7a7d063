import Testing
@testable import AdvisorCore

/// Answers for a cost test: flags as a user types them.
func costAnswers(_ flags: [String: String], rules: RuleSet = shippedRules) throws -> Answers {
    var raw: [String: String] = [:]
    for (flag, value) in flags {
        let input = try #require(rules.inputs.first { $0.flag == flag }, "no flag --\(flag)")
        raw[input.id] = value
    }
    return try Answers.resolve(raw, rules: rules)
}

func estimate(_ pattern: String, _ flags: [String: String]) throws -> CostEstimate {
    try CostEstimator(rules: shippedRules).estimate(pattern, answers: try costAnswers(flags))
}

func line(_ e: CostEstimate, _ prefix: String) throws -> CostEstimate.Line {
    try #require(e.lines.first { $0.item.hasPrefix(prefix) }, "no line '\(prefix)' in \(e.lines.map(\.item))")
}

func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

/// Published prices (aws-facts.md § 8), written out here so a changed price list fails these tests.
enum Published {
    static let lambdaRequest = 0.20 / 1_000_000
    static let x86 = [0.0000166667, 0.000015, 0.0000133334]        // 0–6B, 6B–15B, over 15B GB-s
    static let arm = [0.0000133334, 0.0000120001, 0.0000106667]    // 0–7.5B, 7.5B–18.75B, over 18.75B GB-s
    static let standardTransition = 0.025 / 1000
    static let expressRequest = 1.00 / 1_000_000
    static let expressGBHour = 0.06  // the first 1,000 GB-hours a month
}

@Suite struct CostLineTests {
    // 1M tasks × 120 s × 1 GB of x86 Lambda: 120,000,000 GB-s × $0.0000166667 = $2,000.004 → "$2,000.00";
    // 1M requests × $0.20 per 1M = $0.20.
    @Test func lambdaComputeAndRequestsByHand() throws {
        let e = try estimate("eventbridge-schedule", ["duration": "2m", "trigger": "schedule", "volume": "1M/month", "memory": "1024"])
        let compute = try line(e, "Lambda compute")
        #expect(compute.quantity == 120_000_000)
        #expect(close(compute.monthly, 120_000_000 * Published.x86[0]))
        #expect(Money.format(compute.monthly) == "$2,000.00")
        let requests = try line(e, "Lambda requests")
        #expect(requests.quantity == 1_000_000 && close(requests.monthly, 0.20))
        #expect(Money.format(requests.monthly) == "$0.20")
        #expect(close(requests.unitPrice * requests.quantity, requests.monthly), "unitPrice × quantity = monthly")
        // Scheduler: 1M invocations × $1.00 per 1M, no allowance without --free-tier.
        #expect(close(try line(e, "Scheduler").monthly, 1.00))
        // Logs: 1M invocations × 2 KB (the default --log-size) = 2,048,000,000 B = 1.9073486328125 GB × $0.50 = $0.95367431640625.
        let logs = try line(e, "CloudWatch Logs")
        #expect(close(logs.quantity, 1.9073486328125) && close(logs.monthly, 0.95367431640625))
        #expect(close(e.monthly, 2000.004 + 0.20 + 1.00 + 0.95367431640625, 1e-12))
    }

    // Step Functions Standard: 1M executions × 5 steps = 5,000,000 transitions × $0.025 per 1,000 = $125.00.
    @Test func standardTransitionsByHand() throws {
        let e = try estimate("step-functions-standard", ["duration": "10m", "response": "ack", "volume": "1M/month"])
        let transitions = try line(e, "Standard state transitions")
        #expect(transitions.quantity == 5_000_000)
        #expect(close(transitions.monthly, 125.00) && Money.format(transitions.monthly) == "$125.00")
        #expect(close(transitions.unitPrice, Published.standardTransition))
        // The 4,000 free transitions only with --free-tier: (5,000,000 − 4,000) × $0.000025 = $124.90.
        let free = try estimate("step-functions-standard", ["duration": "10m", "response": "ack", "volume": "1M/month", "free-tier": "true"])
        #expect(close(try line(free, "Standard state transitions").monthly, 124.90))
    }

    // Express: 1M executions of 1.15 s billed as 1.2 s (100 ms units) in one 64 MB chunk:
    // 1,000,000 × 1.2 × 64 / 1024 = 75,000 GB-s = 20.83 GB-hours × $0.06 = $1.25; requests $1.00.
    @Test func expressRoundsTo100msAnd64MB() throws {
        let e = try estimate("step-functions-express", ["duration": "1150ms", "response": "ack", "volume": "1M/month"])
        let duration = try line(e, "Express duration")
        #expect(close(duration.quantity, 75_000 / 3600) && duration.unit == "GB-hours")
        #expect(close(duration.monthly, 75_000 / 3600 * Published.expressGBHour))
        #expect(close(try line(e, "Express executions").monthly, 1.00))
        // 1.1 s is already a whole number of 100 ms units: it must not round up to 1.2 s.
        let exact = try estimate("step-functions-express", ["duration": "1100ms", "response": "ack", "volume": "1M/month"])
        #expect(close(try line(exact, "Express duration").quantity, 1_000_000 * 1.1 * 64 / 1024 / 3600))
        // 101 ms → 200 ms.
        let up = try estimate("step-functions-express", ["duration": "101ms", "response": "ack", "volume": "1M/month"])
        #expect(close(try line(up, "Express duration").quantity, 1_000_000 * 0.2 * 64 / 1024 / 3600))
    }

    @Test func arm64IsPricedFromItsOwnRows() throws {
        let flags = ["duration": "2m", "trigger": "schedule", "volume": "1M/month", "memory": "1024"]
        let x86 = try estimate("eventbridge-schedule", flags)
        let arm = try estimate("eventbridge-schedule", flags.merging(["arch": "arm64"]) { $1 })
        // 120,000,000 GB-s × $0.0000133334 = $1,600.008.
        #expect(close(try line(arm, "Lambda compute").monthly, 1600.008))
        #expect(close(try line(x86, "Lambda requests").monthly, try line(arm, "Lambda requests").monthly), "requests cost the same")
        #expect(arm.arch == "arm64" && x86.arch == "x86")
        // Fargate: 100k tasks × (1 h + the 6 s pull of the default 300 MB image at 50 MB/s) × 1 vCPU
        // = 100,166.67 vCPU-hours × $0.04048 (x86) / $0.03238 (arm64).
        let fargate = ["duration": "1h", "trigger": "event", "volume": "100k/month"]
        let hours = 100_000 * 3606 / 3600.0
        #expect(close(try line(try estimate("ecs-fargate", fargate), "Fargate vCPU").monthly, hours * 0.04048))
        #expect(close(try line(try estimate("ecs-fargate", fargate.merging(["arch": "arm64"]) { $1 }), "Fargate vCPU").monthly, hours * 0.03238))
        // 2048 MB = 2 GB × 100,166.67 h = 200,333.33 GB-hours × $0.004445 = $890.48.
        #expect(close(try line(try estimate("ecs-fargate", fargate), "Fargate memory").monthly, hours * 2 * 0.004445))
    }

    // Fargate bills at least a minute: a 10 s task costs 60 s.
    @Test func fargateMinimumMinute() throws {
        let e = try estimate("ecs-fargate", ["duration": "10s", "trigger": "event", "volume": "3600/month"])
        #expect(close(try line(e, "Fargate vCPU").quantity, 3600 * 60 / 3600.0))
    }

    @Test func freeTierOnlyWhenAsked() throws {
        let flags = ["duration": "1s", "trigger": "schedule", "volume": "1M/month", "memory": "128"]
        let off = try estimate("eventbridge-schedule", flags)
        let on = try estimate("eventbridge-schedule", flags.merging(["free-tier": "true"]) { $1 })
        #expect(!off.freeTier && on.freeTier)
        #expect(close(try line(off, "Lambda requests").monthly, 0.20))
        #expect(try line(on, "Lambda requests").monthly == 0, "1M requests are exactly the free allowance")
        // 1M × 1 s × 0.125 GB = 125,000 GB-s, all inside the 400,000 free GB-s.
        #expect(try line(on, "Lambda compute").monthly == 0)
        #expect(try line(on, "Scheduler").monthly == 0, "14M free Scheduler invocations")
        // 1M × 2 KB of logs = 1.9 GB, inside CloudWatch's 5 free GB.
        #expect(try line(on, "CloudWatch Logs").monthly == 0)
        #expect(on.allowances.count == 4 && off.allowances.isEmpty)
        // 2M requests: 1M billed = $0.20.
        let twice = try estimate("eventbridge-schedule", flags.merging(["free-tier": "true", "volume": "2M/month"]) { $1 })
        #expect(close(try line(twice, "Lambda requests").monthly, 0.20))
    }

    // Two lines on one price share its tiers and allowance: async-invoke's submit and worker requests
    // (1M each) make 2M, of which 1M is free → $0.20 split evenly.
    @Test func linesOfOnePriceShareTheAllowance() throws {
        let e = try estimate("async-invoke", ["duration": "2s", "response": "ack", "volume": "1M/month", "free-tier": "true"])
        let submit = try line(e, "Submit handler requests"), worker = try line(e, "Worker requests")
        #expect(close(submit.monthly + worker.monthly, 0.20))
        #expect(close(submit.monthly, 0.10) && close(worker.monthly, 0.10))
    }

    @Test func totalIsTheSumOfTheLines() throws {
        let e = try estimate("task-manager", ["duration": "4m", "response": "status", "updates": "poll"])
        #expect(close(e.monthly, e.lines.reduce(0) { $0 + $1.monthly }, 1e-15))
        // 4m / 5s = 48 polls: 49 front-door calls per task.
        #expect(try line(e, "API Gateway REST requests").quantity == 100_000 * 49)
    }
}

@Suite struct TierTests {
    static func price(_ id: String, _ arch: String = "x86") throws -> Price {
        try #require(shippedRules.costs.prices.price(id, arch: arch))
    }

    /// The charge by hand: each band's share of `q` at its rate, with the first `free` units free.
    static func byHand(_ q: Double, bounds: [Double], rates: [Double], free: Double = 0) -> Double {
        var total = 0.0
        var low = 0.0
        for (index, rate) in rates.enumerated() {
            let high = index < bounds.count ? bounds[index] : .infinity
            let from = max(low, free), to = min(high, q)
            if to > from { total += (to - from) * rate }
            low = high
        }
        return total
    }

    @Test(arguments: [
        ("x86", [6e9, 15e9], Published.x86),
        ("arm64", [7.5e9, 18.75e9], Published.arm),
    ])
    func lambdaDurationAtAndAroundEachBoundary(_ arch: String, _ bounds: [Double], _ rates: [Double]) throws {
        let price = try Self.price("lambda-duration", arch)
        for bound in bounds {
            for q in [bound - 1_000_000, bound - 1, bound, bound + 1, bound + 1_000_000] {
                #expect(close(price.cost(q), Self.byHand(q, bounds: bounds, rates: rates), 1e-12), "\(arch) at \(q)")
            }
        }
        // Exactly at the first boundary everything is first-tier; one GB-s more is second-tier.
        #expect(close(price.cost(bounds[0]), bounds[0] * rates[0], 1e-12))
        #expect(close(price.cost(bounds[0] + 1) - price.cost(bounds[0]), rates[1], 1e-6))
        #expect(close(price.cost(bounds[1] + 1) - price.cost(bounds[1]), rates[2], 1e-6))
    }

    @Test func boundaryFiguresByHand() throws {
        // x86: 6B × $0.0000166667 = $100,000.20; to 15B adds 9B × $0.000015 = $135,000 → $235,000.20.
        let x86 = try Self.price("lambda-duration")
        #expect(close(x86.cost(6e9), 100_000.20, 1e-12))
        #expect(close(x86.cost(15e9), 235_000.20, 1e-12))
        // arm64: 7.5B × $0.0000133334 = $100,000.50; to 18.75B adds 11.25B × $0.0000120001 = $135,001.125.
        let arm = try Self.price("lambda-duration", "arm64")
        #expect(close(arm.cost(7.5e9), 100_000.50, 1e-12))
        #expect(close(arm.cost(18.75e9), 235_001.625, 1e-12))
    }

    @Test func freeUnitsComeOffTheFirstTier() throws {
        let x86 = try Self.price("lambda-duration")
        // Below the allowance: free. Above it: only the excess, at first-tier rates.
        #expect(x86.cost(400_000, freeUnits: 400_000) == 0)
        #expect(close(x86.cost(1_000_000, freeUnits: 400_000), 600_000 * Published.x86[0]))
        // The tier boundary stays at 6B of total usage: free units do not shift it.
        let q = 6e9 + 1_000_000
        #expect(close(x86.cost(q, freeUnits: 400_000), (6e9 - 400_000) * Published.x86[0] + 1_000_000 * Published.x86[1], 1e-12))
    }

    @Test func otherTieredPricesAtTheirBoundaries() throws {
        let rest = try Self.price("apigw-rest-requests")
        let bounds = [333e6, 1e9, 20e9], rates = [3.50, 2.80, 2.38, 1.51].map { $0 / 1e6 }
        for bound in bounds { for q in [bound - 1, bound, bound + 1] {
            #expect(close(rest.cost(q), Self.byHand(q, bounds: bounds, rates: rates), 1e-12))
        } }
        #expect(close(rest.cost(333e6), 1165.50))  // 333 × $3.50
        let http = try Self.price("apigw-http-requests")
        #expect(close(http.cost(300e6 + 1e6), 300 + 0.90))
        let sqs = try Self.price("sqs-requests")
        #expect(close(sqs.cost(100e9), 40_000) && close(sqs.cost(200e9), 70_000))
        let express = try Self.price("sfn-express-duration")
        // Per GB-hour as the page publishes it: the first 1,000 at $0.06, the next 4,000 at $0.03, then $0.01642.
        #expect(close(express.cost(1000), 60) && close(express.cost(5000), 60 + 120) && close(express.cost(6000), 180 + 16.42))
    }
}

@Suite struct CostModelTests {
    @Test func everyPatternHasAModel() {
        #expect(Set(shippedRules.costs.models.keys) == Set(shippedRules.patterns.map(\.id)))
        #expect(shippedRules.patterns.count == 17, "the 14 of DT-14 and its extensions, lambda-durable (#10), sync-stream and distributed-map (SPEC v2 §3)")
    }

    @Test func everyPriceIsDatedAndSourced() {
        for price in shippedRules.costs.prices.prices {
            #expect(price.asOf?.count == 10 && price.source?.hasPrefix("https://") == true, "\(price.id)")
        }
    }

    /// Every model gives a finite, non-negative total equal to its lines for a sweep of workloads.
    @Test func everyModelIsFiniteAndNonNegative() throws {
        let estimator = CostEstimator(rules: shippedRules)
        var checked = 0
        for volume in ["1/month", "1k/month", "100k/month", "3M/month", "1000M/month"] {
            for duration in ["1ms", "800ms", "29s", "5m", "15m", "2h", "30d"] {
                for memory in ["128", "1024", "10240"] {
                    for (trigger, response) in [("request", "ack"), ("webhook", "ack"), ("event", "none"), ("schedule", "none")] {
                        for extra in [[:], ["arch": "arm64", "free-tier": "true"], ["entry": "http-api", "status-updates": "0", "poll-interval": "1s"]] {
                            var flags = ["volume": volume, "duration": duration, "memory": memory, "trigger": trigger, "response": response]
                            flags.merge(extra) { $1 }
                            let answers = try costAnswers(flags)
                            for pattern in shippedRules.patterns {
                                let e = try estimator.estimate(pattern.id, answers: answers)
                                #expect(e.monthly.isFinite && e.monthly >= 0, "\(pattern.id) \(flags)")
                                #expect(e.lines.allSatisfy { $0.quantity >= 0 && $0.monthly.isFinite && $0.monthly >= 0 && $0.unitPrice >= 0 })
                                #expect(close(e.monthly, e.lines.reduce(0) { $0 + $1.monthly }, 1e-12))
                                #expect(!Money.format(e.monthly).isEmpty)
                                checked += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(checked == 5 * 7 * 3 * 4 * 3 * 17)
    }

    @Test func concurrencyIsThroughputTimesDuration() throws {
        let e = try estimate("sqs-queue", ["duration": "4m", "response": "ack", "throughput": "50/s"])
        let c = try #require(e.concurrency)
        #expect(c.needed == 12_000 && c.limit == 1000 && c.exceeds)
        #expect(try estimate("ecs-fargate", ["duration": "4m", "response": "ack"]).concurrency == nil, "not Lambda-based")
    }

    /// SPEC §8: the recommendation and its alternatives first, then the other patterns that can run the
    /// workload (cheapest first), then those that cannot, in catalogue order, each with why.
    @Test func sideBySideGroupedRecommendationFirst() throws {
        let answers = try costAnswers(["duration": "4m", "response": "ack"])
        let recommendation = try Engine(rules: shippedRules).recommend(answers)
        let options = try CostEstimator(rules: shippedRules).compare(answers, recommendation: recommendation)
        #expect(options.count == 17)
        #expect(options.first?.id == recommendation.pattern.id && options.first?.standing == .recommended)
        let alternatives = options.dropFirst().prefix { $0.standing == .alternative }
        #expect(alternatives.map(\.id) == recommendation.alternatives.map(\.id).filter { id in options.contains { $0.id == id && $0.feasible } })
        #expect(zip(options, options.dropFirst()).allSatisfy { $0.standing <= $1.standing }, "grouped in order")
        let others = options.filter { $0.standing == .feasible }
        #expect(zip(others, others.dropFirst()).allSatisfy { $0.estimate.monthly <= $1.estimate.monthly })
        #expect(options.filter { !$0.feasible }.allSatisfy { $0.why?.isEmpty == false })
        #expect(options.first { $0.id == "sync" }?.feasible == false, "4m does not fit api-gateway's 29 s")
        let cheapest = try #require(CostEstimator.cheapest(options))
        #expect(cheapest.feasible && options.filter(\.feasible).allSatisfy { $0.estimate.monthly >= cheapest.estimate.monthly })
    }

    @Test func assumptionsNameThePatternSpecificInputs() throws {
        let e = try estimate("task-manager", ["duration": "4m", "response": "status", "updates": "poll"])
        #expect(e.assumptions.contains("pollInterval") && e.assumptions.contains("statusUpdates"))
        #expect(!e.assumptions.contains("fargateCpu"))
    }
}
