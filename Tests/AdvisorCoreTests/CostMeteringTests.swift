import Testing
@testable import AdvisorCore

/// SPEC §8's metering rules, each with figures worked out by hand from the published prices.
@Suite struct CostMeteringTests {
    // SQS bills each 64 KB chunk of a message as one request, for the send, the receive and the delete:
    // 1M messages of 256 KB = 4 chunks × 3 = 12M requests × $0.40 per 1M = $4.80 (a third of it, $1.20, at 4 KB).
    @Test func sqsBillsEach64KBChunk() throws {
        let base = ["duration": "30s", "trigger": "event", "volume": "1M/month"]
        let big = try line(try estimate("sqs-queue", base.merging(["payload": "256KB"]) { $1 }), "SQS requests")
        #expect(big.quantity == 12_000_000 && close(big.monthly, 4.80))
        #expect(close(try line(try estimate("sqs-queue", base), "SQS requests").monthly, 1.20))
        for (payload, chunks) in [("64KB", 1.0), ("65KB", 2), ("1MB", 16), ("1B", 1)] {
            let e = try estimate("sqs-queue", base.merging(["payload": payload]) { $1 })
            #expect(try line(e, "SQS requests").quantity == 3_000_000 * chunks, "\(payload)")
        }
        // Queue chaining sends, receives and deletes every chunk's message the same way.
        let chained = try estimate("queue-chaining", ["duration": "30m", "trigger": "event", "splittable": "yes", "volume": "1M/month", "payload": "128KB"])
        #expect(try line(chained, "SQS requests").quantity == 1_000_000 * 3 * 3 * 2)   // 3 chunks of ≤ 14 min, 2 × 64 KB
    }

    // HTTP APIs meter a request in 512 KB increments: 1M requests of 1 MB = 2M metered × $1.00 per 1M = $2.00.
    @Test func httpAPIMetersIn512KBIncrements() throws {
        let base = ["duration": "2s", "response": "result", "entry": "http-api", "volume": "1M/month"]
        let e = try estimate("sync", base.merging(["payload": "1MB"]) { $1 })
        let door = try line(e, "API Gateway HTTP API")
        #expect(door.quantity == 2_000_000 && close(door.monthly, 2.00))
        for (payload, units) in [("512KB", 1.0), ("513KB", 2), ("4KB", 1)] {
            #expect(try line(try estimate("sync", base.merging(["payload": payload]) { $1 }), "API Gateway HTTP API").quantity == 1_000_000 * units, "\(payload)")
        }
        // Polls carry no payload: a task-manager's create call is metered by --payload, each poll is one unit.
        let polled = try estimate("task-manager", ["duration": "20s", "response": "status", "updates": "poll", "entry": "http-api",
                                                   "volume": "1M/month", "payload": "600KB", "poll-interval": "5s"])
        #expect(try line(polled, "API Gateway HTTP API").quantity == 1_000_000 * (2 + 4))   // create (2 units) + 4 polls
    }

    // An asynchronous event is 1 request for its first 256 KB and 1 more per further 64 KB:
    // a 1 MB event = 1 + 12 = 13 requests; 1M of them × $0.20 per 1M = $2.60 (not $0.20).
    @Test func asyncEventsOver256KBBillPer64KB() throws {
        let base = ["duration": "1m", "response": "ack", "volume": "1M/month"]
        let worker = try line(try estimate("async-invoke", base.merging(["payload": "1MB"]) { $1 }), "Worker requests")
        #expect(worker.quantity == 13_000_000 && close(worker.monthly, 2.60))
        for (payload, requests) in [("256KB", 1.0), ("257KB", 2), ("320KB", 2), ("321KB", 3), ("4KB", 1)] {
            #expect(try line(try estimate("async-invoke", base.merging(["payload": payload]) { $1 }), "Worker requests").quantity == 1_000_000 * requests, "\(payload)")
        }
        // The self-invoke and a durable function's Event start are asynchronous events too.
        #expect(try line(try estimate("lambda-self-invoke", ["duration": "1m", "trigger": "webhook", "response": "ack", "volume": "1M/month", "payload": "1MB"]),
                         "Self-invoke requests").quantity == 13_000_000)
        #expect(try line(try estimate("lambda-durable", ["duration": "2h", "trigger": "event", "shape": "steps", "orchestrate": "code", "volume": "1M/month", "payload": "300KB"]),
                         "Durable function requests (Event start)").quantity == 2_000_000)
    }

    // Kinesis provisioned streams bill each 25 KB of a record as one PUT payload unit: 100 KB = 4 units;
    // 100M records × 4 = 400M units × $0.014 per 1M = $5.60.
    @Test func kinesisPutPayloadUnitsOf25KB() throws {
        let base = ["duration": "200ms", "trigger": "event", "volume": "100M/month"]
        let units = try line(try estimate("kinesis-stream", base.merging(["payload": "100KB"]) { $1 }), "PUT payload units")
        #expect(units.quantity == 400_000_000 && close(units.monthly, 5.60))
        for (payload, perRecord) in [("25KB", 1.0), ("26KB", 2), ("50KB", 2), ("4KB", 1)] {
            #expect(try line(try estimate("kinesis-stream", base.merging(["payload": payload]) { $1 }), "PUT payload units").quantity == 100_000_000 * perRecord, "\(payload)")
        }
    }

    // stream-capacity (§4): shards = max(⌈r / 1,000⌉, ⌈r × d / 10⌉). 3M records a month of 4 minutes arrive at
    // 1.157/s, so the consumers need ⌈1.157 × 240 / 10⌉ = 28 shards, not the 1 that ingest needs:
    // 28 × 720 h = 20,160 shard-hours × $0.015 = $302.40. Ingest by bytes counts too: 2,000/s of 1 MB = 2,000 shards.
    @Test func kinesisShardsForTheConsumers() throws {
        let slow = try line(try estimate("kinesis-stream", ["duration": "4m", "trigger": "event", "volume": "3M/month"]), "Shard-hours")
        #expect(slow.quantity == 28 * 720 && close(slow.monthly, 302.40))
        let fast = try line(try estimate("kinesis-stream", ["duration": "1ms", "trigger": "event", "throughput": "20k/s", "payload": "1KB"]), "Shard-hours")
        #expect(fast.quantity == 20 * 720, "ingest: 20,000/s at 1,000 records/s per shard (and 19.5 MB/s at 1 MB/s)")
        let consumers = try line(try estimate("kinesis-stream", ["duration": "100ms", "trigger": "event", "throughput": "20k/s", "payload": "1KB"]), "Shard-hours")
        #expect(consumers.quantity == 200 * 720, "consumers: 20,000/s × 0.1 s / 10 batches per shard")
        let heavy = try line(try estimate("kinesis-stream", ["duration": "100ms", "trigger": "event", "throughput": "2k/s", "payload": "1MB"]), "Shard-hours")
        #expect(heavy.quantity == 2000 * 720, "ingest: 2,000 MB/s at 1 MB/s per shard")
    }

    // REST response streaming bills each 10 MB of response as one more request: a 25 MB stream = 3 requests;
    // 1M × 3 × $3.50 per 1M = $10.50.
    @Test func restStreamingBillsEach10MB() throws {
        let base = ["duration": "2m", "response": "result", "stream": "yes", "volume": "1M/month"]
        let door = try line(try estimate("sync-stream", base.merging(["result-size": "25MB"]) { $1 }), "API Gateway REST")
        #expect(door.quantity == 3_000_000 && close(door.monthly, 10.50))
        #expect(try line(try estimate("sync-stream", base.merging(["result-size": "10MB"]) { $1 }), "API Gateway REST").quantity == 1_000_000)
        #expect(try line(try estimate("sync-stream", base), "API Gateway REST").quantity == 1_000_000)
    }

    // EventBridge bills each 64 KB of an event as one event: a task-manager event carrying a 100 KB record is 2.
    @Test func eventBridgeEventsIn64KBChunks() throws {
        let e = try estimate("task-manager", ["duration": "20s", "response": "status", "updates": "poll", "volume": "1M/month", "payload": "100KB"])
        let events = try line(e, "EventBridge events")
        #expect(events.quantity == 1_000_000 * 3 * 2 && close(events.monthly, 6.00))   // 3 changes (create + 2 updates) × 2 chunks
    }

    // CloudWatch Logs for every invocation at the tiered price of Lambda logs: 20M invocations × 1 MB
    // = 19,531.25 GB: 10,240 GB × $0.50 + 9,291.25 GB × $0.25 = $5,120 + $2,322.8125 = $7,442.8125.
    @Test func logsAreTieredLikeLambdaLogs() throws {
        let e = try estimate("eventbridge-schedule", ["duration": "1s", "trigger": "schedule", "volume": "20M/month", "log-size": "1MB"])
        let logs = try line(e, "CloudWatch Logs")
        #expect(close(logs.quantity, 19_531.25) && close(logs.monthly, 7_442.8125))
        // Every invocation logs: a fan-out of 100 items logs 102 times per task (parent, aggregator, children).
        let fan = try estimate("fan-out", ["duration": "5m", "response": "ack", "shape": "batch", "volume": "10k/month"])
        #expect(close(try line(fan, "CloudWatch Logs").quantity, 10_000 * 102 * 2048 / 1_073_741_824))
        // A 200 ms task: logs are a real share of the bill (2 KB at $0.50/GB against 0.2 GB-s).
        let short = try estimate("eventbridge-schedule", ["duration": "200ms", "trigger": "schedule", "volume": "10M/month", "memory": "128"])
        let share = try line(short, "CloudWatch Logs").monthly / short.monthly
        #expect(share > 0.06 && share < 0.57, "\(share)")
    }

    // Lambda ephemeral storage above the free 512 MB, per GB-second: 10,240 MB = 9.5 GB billed;
    // 1M × 10 s × 9.5 GB = 95,000,000 GB-s × $0.0000000309 = $2.9355. At the default 512 MB: no line.
    @Test func lambdaEphemeralStorageAbove512MB() throws {
        let base = ["duration": "10s", "trigger": "event", "volume": "1M/month"]
        let storage = try line(try estimate("async-invoke", base.merging(["ephemeral-storage": "10GB"]) { $1 }), "Worker ephemeral storage")
        #expect(storage.quantity == 95_000_000 && close(storage.monthly, 2.9355))
        #expect(try estimate("async-invoke", base).lines.allSatisfy { !$0.item.contains("ephemeral") })
        // Above Lambda's 10,240 MB only a Fargate task takes it: the Lambda line stops at 10,240 MB and says so.
        let capped = try estimate("async-invoke", base.merging(["ephemeral-storage": "50GB"]) { $1 })
        #expect(try line(capped, "Worker ephemeral storage").quantity == 95_000_000)
        #expect(capped.notes.contains { $0.contains("10,240 MB") })
    }

    // Fargate: per second with a 1-minute minimum from the start of the image pull (300 MB at 50 MB/s = 6 s);
    // ephemeral storage above 20 GB; NAT processing of every pull, or a public IPv4 address per task-hour.
    @Test func fargateStorageNetworkAndPulls() throws {
        let base = ["duration": "10m", "trigger": "event", "volume": "10k/month"]
        let nat = try estimate("ecs-fargate", base)
        // 10,000 × 606 s = 1,683.33 task-hours × 1 vCPU × $0.04048.
        #expect(close(try line(nat, "Fargate vCPU").quantity, 10_000 * 606 / 3600.0))
        // NAT: 10,000 × (300 MB + 4 KB + 4 KB) = 2,929.76 GB × $0.045.
        let processed = 10_000 * (300 * 1_048_576.0 + 8192) / 1_073_741_824
        let natLine = try line(nat, "NAT gateway data")
        #expect(close(natLine.quantity, processed) && close(natLine.monthly, processed * 0.045))
        #expect(nat.lines.allSatisfy { !$0.item.hasPrefix("Public IPv4") } && nat.notes.contains { $0.contains("NAT gateway") })
        let publicNet = try estimate("ecs-fargate", base.merging(["fargate-network": "public"]) { $1 })
        #expect(close(try line(publicNet, "Public IPv4").monthly, 10_000 * 606 / 3600.0 * 0.005))
        #expect(publicNet.lines.allSatisfy { !$0.item.hasPrefix("NAT") })
        // 50 GB of storage: 30 GB above the 20 GB included × 1,683.33 h × $0.000111.
        let storage = try line(try estimate("ecs-fargate", base.merging(["ephemeral-storage": "50GB"]) { $1 }), "Fargate ephemeral storage")
        #expect(close(storage.quantity, 30 * 10_000 * 606 / 3600.0) && close(storage.monthly, 30 * 10_000 * 606 / 3600.0 * 0.000111))
        // A 3 GB image pulls for a minute: the pull is billed task time.
        let heavy = try estimate("ecs-fargate", base.merging(["image-size": "3GB"]) { $1 })
        #expect(close(try line(heavy, "Fargate vCPU").quantity, 10_000 * (600 + 62) / 3600.0))   // 3,072 MB / 50 MB/s = 61.44 → 62 s
    }

    // Doors: AppSync operations, with real-time updates and connection-minutes for push; an ALB's hours and LCUs.
    @Test func appSyncAndALBDoors() throws {
        let push = try estimate("dynamodb-stream-job", ["duration": "45s", "response": "status", "entry": "appsync", "volume": "1M/month"])
        #expect(close(try line(push, "AppSync operations").monthly, 4.00))                            // 1M × $4.00 per 1M
        #expect(close(try line(push, "AppSync real-time updates").monthly, 3_000_000 * 2.00 / 1e6))  // 3 changes each
        #expect(close(try line(push, "AppSync subscription").quantity, 1_000_000 * 0.75))             // 45 s = 0.75 min each
        let alb = try estimate("sync", ["duration": "20s", "response": "result", "entry": "alb", "volume": "2592000/month"])
        #expect(close(try line(alb, "ALB hours").monthly, 720 * 0.0225))                               // $16.20 a month
        // 1 request/s: max(1/25 = 0.04 LCU for new connections, 3,600 × 8 KB / 1 GiB / 0.4 GB = 0.0687 LCU for
        // processed bytes) = 0.0687 LCU × 720 h = 49.44 LCU-hours × $0.008 = $0.40.
        let lcus = 3600 * 8192 / 1_073_741_824.0 / 0.4
        let capacity = try line(alb, "ALB capacity units")
        #expect(close(capacity.quantity, 720 * lcus) && close(capacity.monthly, 720 * lcus * 0.008))
        #expect(try estimate("sync", ["duration": "20s", "response": "result", "entry": "function-url"]).lines.allSatisfy { !$0.item.contains("API Gateway") && !$0.item.contains("ALB") })
    }

    // Waits are not compute (§8): Step Functions and durable functions bill Lambda GB-s at --active-duration.
    // A 7-day durable approval with 30 s of compute: 100k × 30 s × 1 GB = 3,000,000 GB-s × $0.0000166667 = $50.0001,
    // not 100k × 7 days of GB-s; one resume request per execution; the state kept 7 days and 14 after.
    @Test func waitsAreNotCompute() throws {
        let durable = try estimate("lambda-durable", ["duration": "7d", "avg-duration": "7d", "active-duration": "30s", "trigger": "event",
                                                      "shape": "steps", "orchestrate": "code", "volume": "100k/month", "operations": "4"])
        let compute = try line(durable, "Durable function compute")
        #expect(compute.quantity == 3_000_000 && close(compute.monthly, 50.0001))
        #expect(try line(durable, "Durable function requests (resume").quantity == 100_000)
        let stateGB = 100_000 * 8192 / 1_073_741_824.0
        #expect(close(try line(durable, "Durable state retained").quantity, stateGB * 21 / 30))
        #expect(durable.monthly < 100, "\(durable.monthly)")
        let standard = try estimate("step-functions-standard", ["duration": "48h", "response": "ack", "shape": "steps", "active-duration": "95s",
                                                                "workflow-steps": "4", "volume": "100k/month"])
        #expect(close(try line(standard, "Lambda compute").quantity, 100_000 * 95))
        // Without --active-duration a steps task assumes at most 15 min of compute, never its 48 hours.
        let defaulted = try estimate("step-functions-standard", ["duration": "48h", "response": "ack", "shape": "steps", "volume": "100k/month"])
        #expect(close(try line(defaulted, "Lambda compute").quantity, 100_000 * 900))
    }
}

/// Side by side (SPEC §8): what is cheapest among the patterns that can run a workload.
@Suite struct CostRankingTests {
    func options(_ flags: [String: String]) throws -> [CostEstimator.Option] {
        let answers = try costAnswers(flags)
        return try CostEstimator(rules: shippedRules).compare(answers, recommendation: try Engine(rules: shippedRules).recommend(answers))
    }

    // DT-14 example 2, the order workflow: about 95 s of compute (process 1 min, ship 30 s, confirm 5 s) around
    // a wait of up to 48 hours for payment, four states. Billed as compute it would cost hundreds of thousands
    // of dollars a month; at its real compute it is cheapest on Step Functions or durable functions, not a
    // container that waits two days.
    @Test func fortyEightHourOrderWorkflowIsNotCheapestOnFargate() throws {
        for orchestrate in ["services", "code"] {
            let all = try options(["duration": "48h", "response": "ack", "shape": "steps", "orchestrate": orchestrate, "active-duration": "95s",
                                   "workflow-steps": "4", "operations": "4", "volume": "100k/month"])
            let cheapest = try #require(CostEstimator.cheapest(all))
            #expect(["step-functions-standard", "lambda-durable"].contains(cheapest.id), "\(orchestrate): \(cheapest.id)")
            let fargate = try #require(all.first { $0.id == "ecs-fargate" })
            #expect(fargate.estimate.monthly > 100 * cheapest.estimate.monthly)
            #expect(cheapest.estimate.monthly < 1_000, "\(cheapest.estimate.monthly)")
        }
    }

    // 3M tasks a month on Fargate behind a NAT gateway: every task pulls its 300 MB image through it, so the
    // pulls are priced (878,929 GB × $0.045 ≈ $39,552) and the pull time is billed task time.
    @Test func threeMillionFargateTasksPriceTheirPulls() throws {
        let all = try options(["duration": "10m", "trigger": "event", "volume": "3M/month", "memory": "2048"])
        let fargate = try #require(all.first { $0.id == "ecs-fargate" })
        let nat = try line(fargate.estimate, "NAT gateway data")
        #expect(close(nat.quantity, 3_000_000 * (300 * 1_048_576.0 + 8192) / 1_073_741_824))
        #expect(nat.monthly > 39_000)
        #expect(close(try line(fargate.estimate, "Fargate vCPU").quantity, 3_000_000 * 606 / 3600.0))
        #expect(CostEstimator.cheapest(all)?.id != "ecs-fargate")
        // In a public subnet the pulls cost no NAT processing: the same tasks are tens of thousands cheaper.
        let publicNet = try options(["duration": "10m", "trigger": "event", "volume": "3M/month", "memory": "2048", "fargate-network": "public"])
        let publicFargate = try #require(publicNet.first { $0.id == "ecs-fargate" })
        #expect(fargate.estimate.monthly - publicFargate.estimate.monthly > 30_000)
    }
}

/// `cost`'s `feasible` is exactly `check --pattern`'s verdict (SPEC §8): over a sweep of workloads, every
/// pattern `cost` calls able to run one is a pattern `check` does not call an error, and the reverse.
@Suite struct CostFeasibilityTests {
    static let sweep: [[String: String]] = {
        var workloads: [[String: String]] = []
        let durations = ["800ms", "20s", "45s", "4m", "12m", "20m", "2h", "48h", "400d"]
        let callers: [[String: String]] = [
            ["response": "result"], ["response": "result", "stream": "yes"], ["response": "ack"], ["response": "status"],
            ["response": "status", "updates": "poll"], ["trigger": "webhook", "response": "ack"], ["trigger": "webhook", "response": "result"], ["trigger": "event"], ["trigger": "schedule"],
        ]
        let shapes: [[String: String]] = [[:], ["shape": "steps"], ["shape": "steps", "orchestrate": "code"], ["shape": "batch"],
                                          ["splittable": "yes"], ["throughput": "20k/s"], ["entry": "http-api"], ["entry": "function-url"]]
        var index = 0
        for duration in durations {
            for caller in callers {
                // Every caller with every duration; the shapes and doors in turn, so the sweep stays small.
                let shape = shapes[index % shapes.count]
                index += 1
                var flags = ["duration": duration]
                flags.merge(caller) { $1 }
                flags.merge(shape) { $1 }
                if flags["entry"] != nil && ["event", "schedule"].contains(flags["trigger"] ?? "") { flags["entry"] = nil }
                workloads.append(flags)
            }
        }
        return workloads
    }()

    @Test func feasibleIsExactlyChecksVerdict() throws {
        let check = DesignCheck(rules: shippedRules)
        var compared = 0
        for flags in Self.sweep {
            guard let answers = try? costAnswers(flags) else { continue }
            let recommendation = try Engine(rules: shippedRules).recommend(answers)
            let options = try CostEstimator(rules: shippedRules).compare(answers, recommendation: recommendation)
            #expect(options.count == shippedRules.patterns.count)
            for option in options {
                let verdict = try check.check(Workload(name: "sweep", pattern: option.id, answers: answers, origin: .commandLine))
                #expect(option.feasible == (verdict.status != .error), "\(flags) \(option.id): cost says \(option.feasible), check says \(verdict.status)")
                if !option.feasible { #expect(option.why?.isEmpty == false) }
                compared += 1
            }
            if let cheapest = CostEstimator.cheapest(options) { #expect(cheapest.feasible) }
        }
        #expect(compared > 1000, "the sweep compared \(compared) pattern verdicts")
    }
}

/// JSON money is rounded to the cent and quantities and rates carry no binary noise (SPEC §8: no `150.55696700000001`).
@Suite struct CostRoundingTests {
    @Test func centsAndSignificantDigits() {
        #expect(CostReport.cents(150.55696700000001) == 150.56 && CostReport.cents(0.004) == 0 && CostReport.cents(0.005) == 0.01)
        #expect(CostReport.significant(2.0000000000000002e-07) == 2e-07 && CostReport.significant(0.49999999999999994) == 0.5)
        #expect(CostReport.significant(1.6666699999999997e-05) == 1.66667e-05 && CostReport.significant(0) == 0)
        // A property over many magnitudes: at most 1e-11 off, and rounding twice changes nothing.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let mantissa = Double(seed >> 11) / Double(1 << 53)
            let value = (mantissa + 0.1) * Money.pow10(Int(seed % 24)) / 1e12
            let rounded = CostReport.significant(value)
            #expect(abs(rounded - value) <= 1e-11 * value, "\(value) → \(rounded)")
            #expect(CostReport.significant(rounded) == rounded)
            let cents = CostReport.cents(value)
            #expect(abs(cents - value) <= 0.005 + 1e-9 && CostReport.cents(cents) == cents)
            // As JSON writes it and as text writes a quantity: never more decimals than the cents.
            for printed in [JSONWriter.formatNumber(cents), Value.formatNumber(cents)] {
                #expect((printed.split(separator: ".").dropFirst().first?.count ?? 0) <= 2, "\(value) → \(printed)")
            }
        }
    }

    @Test func jsonNumbersAreClean() throws {
        let answers = try costAnswers(["duration": "48h", "response": "ack", "shape": "steps", "active-duration": "95s"])
        let recommendation = try Engine(rules: shippedRules).recommend(answers)
        let options = try CostEstimator(rules: shippedRules).compare(answers, recommendation: recommendation)
        let text = JSONWriter.write(CostReport.comparison(options, recommended: recommendation, rules: shippedRules, answers: answers))
        for line in text.split(separator: "\n") where line.contains("\"monthly\": ") {
            let number = line.split(separator: ": ")[1].trimmingCharacters(in: [","])
            let decimals = number.split(separator: ".").dropFirst().first?.count ?? 0
            #expect(decimals <= 2, "money to the cent: \(line)")
        }
        for line in text.split(separator: "\n") where line.contains("\"quantity\": ") || line.contains("\"unitPrice\": ") {
            let digits = line.split(separator: ": ")[1].split(separator: "e")[0].filter(\.isNumber).drop { $0 == "0" }
            #expect(digits.count <= 12, "no binary noise: \(line)")
        }
    }
}
