import Foundation
import Testing

/// `recommend`'s cost section and the `cost` command, through the built binary.
@Suite(.serialized) struct CostBinaryTests {
    @Test func recommendJSONHasTheSpecCostFields() throws {
        let json = try Binary.json(["recommend", "--duration", "4m", "--response", "ack", "--format", "json"])
        let cost = try #require(json["cost"] as? [String: Any])
        #expect(cost["currency"] as? String == "USD" && cost["region"] as? String == "us-east-1")
        #expect((cost["pricesAsOf"] as? String)?.count == 10)
        let monthly = try #require(cost["monthly"] as? Double)
        let lines = try #require(cost["lines"] as? [[String: Any]])
        #expect(!lines.isEmpty)
        var sum = 0.0
        for line in lines {
            for key in ["item", "quantity", "unit", "unitPrice", "monthly", "price", "asOf", "source"] { #expect(line[key] != nil, "line misses \(key)") }
            let quantity = try #require(line["quantity"] as? Double), unitPrice = try #require(line["unitPrice"] as? Double)
            let lineMonthly = try #require(line["monthly"] as? Double)
            #expect(abs(quantity * unitPrice - lineMonthly) < 1e-9 * max(1, lineMonthly))
            sum += lineMonthly
        }
        #expect(abs(sum - monthly) < 1e-9 * max(1, monthly), "JSON money is unrounded: the lines add up to the total")
        let concurrency = try #require(cost["concurrency"] as? [String: Any])
        #expect(concurrency["limit"] as? Double == 1000 && concurrency["exceeds"] as? Bool == false)
        #expect(cost["freeTier"] as? Bool == false)
    }

    @Test func recommendTextHasACostTable() throws {
        let run = try Binary.run(["recommend", "--duration", "4m", "--response", "ack", "--throughput", "50/s", "--explain"])
        #expect(run.status == 0)
        for fragment in ["Cost: $", "Worker compute", "on-demand, us-east-1, prices as of", "free tier not counted",
                         "about 12,000 concurrent executions needed", "account limit 1,000", "Assumes: "] {
            #expect(run.stdout.contains(fragment), "missing \(fragment)")
        }
        #expect(run.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test func costJSONShapeAndOrder() throws {
        let json = try Binary.json(["cost", "--duration", "4m", "--response", "ack", "--format", "json"])
        let patterns = try #require(json["patterns"] as? [[String: Any]])
        #expect(patterns.count == 17)
        for pattern in patterns {
            for key in ["id", "name", "feasible", "why", "monthly", "lines"] { #expect(pattern[key] != nil, "\(pattern["id"] ?? "?") misses \(key)") }
        }
        let feasible = patterns.prefix { $0["feasible"] as? Bool == true }
        let monthly = feasible.compactMap { $0["monthly"] as? Double }
        #expect(monthly == monthly.sorted() && monthly.count == feasible.count, "feasible patterns cheapest first")
        for pattern in patterns.dropFirst(feasible.count) {
            #expect(pattern["feasible"] as? Bool == false && (pattern["why"] as? String)?.isEmpty == false)
        }
        #expect(patterns.contains { $0["id"] as? String == "sync" && $0["feasible"] as? Bool == false })
        #expect((json["recommended"] as? [String: Any])?["id"] as? String == "async-invoke")
        #expect((json["command"] as? String)?.hasPrefix("async-advisor cost --duration 4m") == true)
    }

    @Test func costTextTable() throws {
        let run = try Binary.run(["cost", "--duration", "4m", "--response", "ack"])
        #expect(run.status == 0)
        for fragment in ["Monthly cost", "on-demand, us-east-1, prices as of 2026-11-23", "Cannot run this workload", "× sync:",
                         "Cheapest that can run it:", "Recommended for this workload: async-invoke", "← recommended"] {
            #expect(run.stdout.contains(fragment), "missing \(fragment)")
        }
        #expect(run.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test func onePattern() throws {
        let json = try Binary.json(["cost", "--duration", "4m", "--response", "ack", "--pattern", "sqs-queue", "--format", "json"])
        let patterns = try #require(json["patterns"] as? [[String: Any]])
        #expect(patterns.count == 1 && patterns[0]["id"] as? String == "sqs-queue")
        let text = try Binary.run(["cost", "--duration", "4m", "--response", "ack", "--pattern", "sync"])
        #expect(text.status == 0 && text.stdout.contains("Cannot run this workload: The api-gateway front door closes"))
        #expect(text.stdout.contains("Lambda compute") && text.stdout.contains("Prices: "))
    }

    @Test func freeTierAndArchAreStated() throws {
        let base = ["cost", "--duration", "1s", "--trigger", "schedule", "--pattern", "eventbridge-schedule", "--format", "json"]
        let off = try #require((try Binary.json(base))["patterns"] as? [[String: Any]])[0]
        let onJSON = try Binary.json(base + ["--free-tier", "--arch", "arm64"])
        let on = try #require(onJSON["patterns"] as? [[String: Any]])[0]
        #expect(onJSON["freeTier"] as? Bool == true && onJSON["arch"] as? String == "arm64")
        #expect((on["monthly"] as? Double ?? 1) < (off["monthly"] as? Double ?? 0))
        #expect((onJSON["command"] as? String)?.contains("--arch arm64 --free-tier") == true)
        let text = try Binary.run(Array(base.dropLast(2)) + ["--free-tier"])
        #expect(text.stdout.contains("free tier counted") && text.stdout.contains("Lambda free tier: 1M requests a month"))
    }

    @Test func concurrencyAgainstTheLimit() throws {
        let json = try Binary.json(["cost", "--duration", "4m", "--response", "ack", "--throughput", "50/s", "--concurrency-limit", "20000", "--format", "json"])
        let patterns = try #require(json["patterns"] as? [[String: Any]])
        let sqs = try #require(patterns.first { $0["id"] as? String == "sqs-queue" })
        let concurrency = try #require(sqs["concurrency"] as? [String: Any])
        #expect(concurrency["needed"] as? Double == 12_000 && concurrency["limit"] as? Double == 20_000 && concurrency["exceeds"] as? Bool == false)
        let fargate = try #require(patterns.first { $0["id"] as? String == "ecs-fargate" })
        #expect(fargate["concurrency"] is NSNull, "only Lambda-based patterns have a concurrency line")
        let text = try Binary.run(["cost", "--duration", "4m", "--response", "ack", "--throughput", "50/s"])
        #expect(text.stdout.contains("12,000 / 1,000 (above the limit)"))
    }

    @Test(arguments: [
        (["cost", "--duration", "4m", "--response", "ack", "--arch", "sparc"], "x86, arm64"),
        (["cost", "--duration", "4m", "--response", "ack", "--memory", "99999"], "--memory: 99999 is above the maximum (accepted: 128–10,240)"),
        (["cost", "--duration", "4m", "--response", "ack", "--volume", "3M"], "--volume: '3M' needs a period: 3M/month"),
        (["cost", "--duration", "4m", "--response", "ack", "--volume", "lots/month"], "--volume: 'lots' in 'lots/month' is not a count"),
        (["cost", "--duration", "4m", "--response", "ack", "--fargate-cpu", "0.1"], "--fargate-cpu: 0.1 is below the minimum (accepted: 0.25–16)"),
        (["cost", "--duration", "4m", "--response", "ack", "--pattern", "sqs-queu"], "Did you mean 'sqs-queue'?"),
        (["cost", "--duration", "4m", "--response", "ack", "--pattern", "nope"], "Known: sync, sync-stream, sync-continuation-token"),
        (["cost", "--response", "ack"], "--duration"),
        (["cost", "--duration", "4m", "--response", "ack", "--free-tier=yes"], "takes no value"),
        (["cost", "--duration", "4m", "--response", "ack", "--format", "csv"], "text, json"),
    ])
    func badInputExitsTwo(_ arguments: [String], _ fragment: String) throws {
        let run = try Binary.run(arguments)
        #expect(run.status == 2, "\(arguments) → \(run.status)")
        #expect(run.stderr.contains(fragment), "\(arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func helpListsTheCostFlags() throws {
        let run = try Binary.run(["cost", "--help"])
        #expect(run.status == 0)
        for flag in ["--volume", "--memory", "--avg-duration", "--arch", "--free-tier", "--workflow-steps", "--batch-items",
                     "--status-updates", "--poll-interval", "--fargate-cpu", "--fargate-memory", "--concurrency-limit", "--pattern", "--format"] {
            #expect(run.stdout.contains(flag), "help misses \(flag)")
        }
        #expect(try Binary.run(["--help"]).stdout.contains("cost "))
    }
}
