import Testing
@testable import AdvisorCore

/// lambda-durable's cost lines, computed by hand from aws-facts.md § 10 (grade C prices).
@Suite struct DurableCostTests {
    // 100,000 executions × 10 operations = 1,000,000 operations × $8.00 per 1M = $8.00.
    // State: each execution checkpoints its input and result (4 KB + 4 KB by default): 800,000 KB
    //        = 0.762939453125 GB written × $0.25 = $0.19073486328125; retained while it runs (30 s, no wait)
    //        and 14 days after: 0.762939453125 × (30 s + 14 d) / 30 d GB-months × $0.15.
    // Lambda: 100,000 requests × $0.20 per 1M = $0.02; 100,000 × 30 s active × 1 GB = 3,000,000 GB-s × $0.0000166667 = $50.0001.
    // Logs: 100,000 invocations × 2 KB = 0.19073486328125 GB × $0.50. No resume (it never waits), no front door.
    @Test func operationsStateAndActiveComputeByHand() throws {
        let e = try estimate("lambda-durable", ["duration": "2h", "avg-duration": "30s", "trigger": "event", "shape": "steps",
                                                "volume": "100k/month", "memory": "1024", "operations": "10"])
        let ops = try line(e, "Durable operations")
        #expect(ops.quantity == 1_000_000 && close(ops.monthly, 8.00) && Money.format(ops.monthly) == "$8.00")
        #expect(close(ops.unitPrice, 8.00 / 1_000_000))
        let written = try line(e, "Durable state written")
        #expect(close(written.quantity, 0.762939453125) && close(written.monthly, 0.19073486328125))
        let months = (30 + 14 * 86_400) / 2_592_000.0
        let retained = try line(e, "Durable state retained")
        #expect(close(retained.quantity, 0.762939453125 * months) && close(retained.monthly, 0.762939453125 * months * 0.15))
        let requests = try line(e, "Durable function requests")
        #expect(requests.quantity == 100_000 && close(requests.monthly, 0.02))
        let compute = try line(e, "Durable function compute")
        #expect(compute.quantity == 3_000_000 && close(compute.monthly, 3_000_000 * Published.x86[0]))
        let logs = try line(e, "CloudWatch Logs")
        #expect(close(logs.monthly, 0.19073486328125 * 0.50))
        #expect(e.lines.count == 6, "no front-door, resume or storage lines for an event that never waits: \(e.lines.map(\.item))")
        #expect(close(e.monthly, 8.00 + 0.19073486328125 + 0.762939453125 * months * 0.15 + 0.02 + 50.0001 + 0.19073486328125 * 0.50))
    }

    /// Each line names its price's date and source, so `cost` can set it beside Step Functions.
    @Test func pricesCarryDateGradeAndSource() throws {
        for id in ["lambda-durable-operations", "lambda-durable-data-written", "lambda-durable-data-retained"] {
            let price = try #require(shippedRules.costs.prices.prices.first { $0.id == id }, "no price \(id)")
            #expect(price.asOf == "2026-11-23" && (price.source ?? "").hasPrefix("https://aws.amazon.com/lambda/pricing") && price.grade == "C")
        }
    }

    /// A request through API Gateway adds the door and the start handler; more operations cost proportionally more.
    @Test func startHandlerAndOperationsScale() throws {
        let base = ["duration": "2h", "avg-duration": "30s", "response": "ack", "shape": "steps", "volume": "100k/month"]
        let e = try estimate("lambda-durable", base)
        #expect(close(try line(e, "API Gateway REST").monthly, 0.35))
        #expect(try line(e, "Start handler requests").quantity == 100_000)
        let more = try estimate("lambda-durable", base.merging(["operations": "30"]) { $1 })
        #expect(close(try line(more, "Durable operations").monthly, 24.00))
    }
}

/// `check` verdicts for lambda-durable (SPEC §5): an error beyond a year, a warning where durable-start applies.
@Suite struct DurableCheckTests {
    @Test func verdicts() throws {
        let report = try DesignCheck(rules: shippedRules).check(try design(workloadsJSON([
            #"{"name": "quick", "pattern": "lambda-durable", "duration": "3m", "trigger": "event", "shape": "steps", "orchestrate": "code"}"#,
            #"{"name": "approval", "pattern": "lambda-durable", "duration": "2h", "response": "ack", "shape": "steps", "orchestrate": "code"}"#,
            #"{"name": "alt", "pattern": "lambda-durable", "duration": "2h", "response": "ack", "shape": "steps"}"#,
            #"{"name": "forever", "pattern": "lambda-durable", "duration": "400d", "trigger": "event", "shape": "steps", "orchestrate": "code"}"#,
        ])))
        // Version 2: a durable function needs a dead-letter queue (no-failure-destination) wherever it runs.
        #expect(report.verdicts.map(\.status) == [.warning, .warning, .warning, .error])
        #expect(report.verdicts[0].findings.map(\.id) == ["no-failure-destination"])
        #expect(report.verdicts[1].findings.map(\.id) == ["no-failure-destination", "durable-start"])
        // As the alternative of the Standard workflow it is sound; the advisory warnings still apply.
        #expect(report.verdicts[2].findings.map(\.id) == ["no-failure-destination", "durable-start"])
        #expect(report.verdicts[3].findings.contains { $0.id == "exceeds-max-duration" && $0.severity == .error })
    }
}
