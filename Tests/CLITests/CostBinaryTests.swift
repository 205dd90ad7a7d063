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
            #expect(abs(quantity * unitPrice - lineMonthly) <= 0.005 + 1e-9, "a line's monthly is quantity × unit price to the cent")
            #expect(lineMonthly == (lineMonthly * 100).rounded() / 100, "JSON money is rounded to the cent: \(lineMonthly)")
            sum += quantity * unitPrice
        }
        #expect(monthly == (monthly * 100).rounded() / 100 && abs(sum - monthly) <= 0.005 + 1e-9, "the total is the lines' unrounded sum, to the cent")
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
            for key in ["id", "name", "standing", "feasible", "why", "monthly", "lines", "assumptions"] { #expect(pattern[key] != nil, "\(pattern["id"] ?? "?") misses \(key)") }
        }
        // SPEC §8: the recommendation and its alternatives, then the other feasible patterns cheapest first, then the rest.
        let standings = patterns.compactMap { $0["standing"] as? String }
        let order = ["recommended", "alternative", "feasible", "infeasible"]
        #expect(standings.count == 17 && standings.first == "recommended")
        #expect(zip(standings, standings.dropFirst()).allSatisfy { order.firstIndex(of: $0)! <= order.firstIndex(of: $1)! }, "\(standings)")
        let others = patterns.filter { $0["standing"] as? String == "feasible" }.compactMap { $0["monthly"] as? Double }
        #expect(others == others.sorted(), "other feasible patterns cheapest first")
        let feasible = patterns.prefix { $0["feasible"] as? Bool == true }
        #expect(feasible.allSatisfy { $0["standing"] as? String != "infeasible" })
        let cheapest = try #require(json["cheapest"] as? [String: Any])
        let cheapestMonthly = try #require(cheapest["monthly"] as? Double)
        #expect(feasible.allSatisfy { ($0["monthly"] as? Double ?? 0) >= cheapestMonthly })
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
        // 3M runs a month, so the free allowances are worth more than a cent (JSON money is rounded to the cent).
        let base = ["cost", "--duration", "1s", "--trigger", "schedule", "--volume", "3M/month", "--pattern", "eventbridge-schedule", "--format", "json"]
        let off = try #require((try Binary.json(base))["patterns"] as? [[String: Any]])[0]
        let onJSON = try Binary.json(base + ["--free-tier", "--arch", "arm64"])
        let on = try #require(onJSON["patterns"] as? [[String: Any]])[0]
        #expect(onJSON["freeTier"] as? Bool == true && onJSON["arch"] as? String == "arm64")
        #expect((on["monthly"] as? Double ?? 1) < (off["monthly"] as? Double ?? 0))
        #expect((onJSON["command"] as? String)?.contains("--arch arm64 --free-tier") == true, "\(onJSON["command"] ?? "")")
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
        (["cost", "--duration", "4m", "--response", "ack", "--fargate-network", "vpn"], "--fargate-network: 'vpn' is not one of nat, public"),
        (["cost", "--duration", "4m", "--response", "ack", "--image-size", "300"], "--image-size: '300' has no unit; write e.g. 300KB or 300MB"),
        (["cost", "--duration", "4m", "--response", "ack", "--log-size", "big"], "--log-size: 'big' is not a size"),
        (["cost", "--duration", "4m", "--response", "ack", "--ephemeral-storage", "100"], "--ephemeral-storage: 100 is below the minimum (accepted: 512–204,800)"),
        (["cost", "--duration", "4m", "--response", "ack", "--ephemeral-storage", "300GB"], "--ephemeral-storage: 307200 is above the maximum"),
        (["cost", "--duration", "4m", "--response", "ack", "--payload", "64"], "--payload: '64' has no unit"),
    ])
    func badInputExitsTwo(_ arguments: [String], _ fragment: String) throws {
        let run = try Binary.run(arguments)
        #expect(run.status == 2, "\(arguments) → \(run.status)")
        #expect(run.stderr.contains(fragment), "\(arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    /// SPEC §8 through the binary: `feasible` in `cost --format json` is `check --pattern`'s verdict, pattern by pattern.
    @Test(arguments: [
        ["--duration", "45s", "--trigger", "webhook", "--response", "result"],
        ["--duration", "48h", "--response", "ack", "--shape", "steps", "--active-duration", "95s"],
        ["--duration", "4m", "--trigger", "event", "--throughput", "20k/s"],
        ["--duration", "12m", "--response", "result", "--stream", "yes", "--entry", "function-url"],
    ])
    func feasibleIsChecksVerdict(_ workload: [String]) throws {
        let json = try Binary.json(["cost"] + workload + ["--format", "json"])
        let patterns = try #require(json["patterns"] as? [[String: Any]])
        #expect(patterns.count == 17)
        for pattern in patterns {
            let id = try #require(pattern["id"] as? String)
            let run = try Binary.run(["check"] + workload + ["--pattern", id, "--format", "json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(id): \(run.stderr)")
            let status = try #require((report["workloads"] as? [[String: Any]])?.first?["status"] as? String)
            #expect((pattern["feasible"] as? Bool) == (status != "error"), "\(workload) \(id): cost \(pattern["feasible"] ?? "?"), check \(status)")
            #expect((run.status == 1) == (status == "error"))
        }
    }

    /// The new inputs are design-file keys like the others: check reads them and passes them to the estimate.
    @Test func designFileTakesTheCostInputs() throws {
        let folder = try scratchFolder("cost-inputs")
        try #"{"workloads": [{"name": "job", "pattern": "ecs-fargate", "duration": "2h", "trigger": "event", "fargate-network": "public", "image-size": "1GB", "log-size": "10KB", "ephemeral-storage": "40GB", "payload": "64KB", "result-size": "1MB"}]}"#
            .write(toFile: folder + "/design.json", atomically: true, encoding: .utf8)
        let run = try Binary.run(["check", "design.json"], directory: folder)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        try #"{"workloads": [{"name": "job", "pattern": "ecs-fargate", "duration": "2h", "trigger": "event", "fargate-network": "vpc"}]}"#
            .write(toFile: folder + "/bad.json", atomically: true, encoding: .utf8)
        let bad = try Binary.run(["check", "bad.json"], directory: folder)
        #expect(bad.status == 2 && bad.stderr.contains("fargate-network") && bad.stderr.contains("nat, public"), "\(bad.stderr)")
    }

    /// One line of assumptions per estimate, as data (`cost.assumptions`) and in the text.
    @Test func assumptionsLine() throws {
        let json = try Binary.json(["recommend", "--duration", "4m", "--response", "ack", "--payload", "300KB", "--format", "json"])
        let assumptions = try #require((json["cost"] as? [String: Any])?["assumptions"] as? String)
        #expect(assumptions.contains("--payload 300KB") && assumptions.contains("--log-size 2KB (default)") && assumptions.contains("free tier not counted"))
        #expect(!assumptions.contains("\n"))
        // The full answer carries the model's line; the one-screen answer a short one (SPEC §5).
        let text = try Binary.run(["recommend", "--duration", "4m", "--response", "ack", "--payload", "300KB", "--explain"])
        #expect(text.stdout.contains("Assumes: ") && text.stdout.contains("--payload 300KB"))
        let screen = try Binary.run(["recommend", "--duration", "4m", "--response", "ack", "--payload", "300KB"])
        #expect(screen.stdout.components(separatedBy: "\n  Assumes ").count == 2, "\(screen.stdout)")
        let fargateJSON = try Binary.json(["cost", "--pattern", "ecs-fargate", "--duration", "2h", "--trigger", "event", "--format", "json"])
        let line = try #require((fargateJSON["patterns"] as? [[String: Any]])?.first?["assumptions"] as? String)
        #expect(line.contains("--fargate-network nat (default)") && line.contains("--image-size 300MB (default)"), "\(line)")
        let fargate = try Binary.run(["cost", "--pattern", "ecs-fargate", "--duration", "2h", "--trigger", "event"])
        #expect(fargate.stdout.contains("NAT gateway data (image pulls and traffic)") && fargate.stdout.contains("pull of a 300 MB image"))
    }

    @Test func helpListsTheCostFlags() throws {
        let run = try Binary.run(["cost", "--help"])
        #expect(run.status == 0)
        for flag in ["--volume", "--memory", "--avg-duration", "--arch", "--free-tier", "--workflow-steps", "--batch-items",
                     "--status-updates", "--poll-interval", "--fargate-cpu", "--fargate-memory", "--concurrency-limit", "--pattern", "--format",
                     "--active-duration", "--payload", "--result-size", "--log-size", "--ephemeral-storage", "--fargate-network", "--image-size"] {
            #expect(run.stdout.contains(flag), "help misses \(flag)")
        }
        #expect(try Binary.run(["--help"]).stdout.contains("cost "))
    }
}
