import Testing
@testable import AdvisorCore

/// lambda-durable's cost lines, computed by hand from aws-facts.md § 10 (grade C prices).
@Suite struct DurableCostTests {
    // 100,000 executions × 10 operations = 1,000,000 operations × $8.00 per 1M = $8.00.
    // State: 1,000,000 × 1 KB = 0.95367431640625 GB written × $0.25 = $0.2384185791015625;
    //        retained 14 days = 0.95367431640625 × 14/30 GB-months × $0.15 = $0.0667572021484375.
    // Lambda: 100,000 requests × $0.20 per 1M = $0.02; 100,000 × 30 s active × 1 GB = 3,000,000 GB-s × $0.0000166667 = $50.0001.
    // No front door (an event starts it): total $58.32527578125.
    @Test func operationsStateAndActiveComputeByHand() throws {
        let e = try estimate("lambda-durable", ["duration": "2h", "avg-duration": "30s", "trigger": "event", "shape": "steps",
                                                "volume": "100k/month", "memory": "1024", "operations": "10"])
        let ops = try line(e, "Durable operations")
        #expect(ops.quantity == 1_000_000 && close(ops.monthly, 8.00) && Money.format(ops.monthly) == "$8.00")
        #expect(close(ops.unitPrice, 8.00 / 1_000_000))
        let written = try line(e, "Durable state written")
        #expect(close(written.quantity, 0.95367431640625) && close(written.monthly, 0.2384185791015625))
        let retained = try line(e, "Durable state retained")
        #expect(close(retained.quantity, 0.95367431640625 * 14 / 30) && close(retained.monthly, 0.0667572021484375))
        let requests = try line(e, "Durable function requests")
        #expect(requests.quantity == 100_000 && close(requests.monthly, 0.02))
        let compute = try line(e, "Durable function compute")
        #expect(compute.quantity == 3_000_000 && close(compute.monthly, 3_000_000 * Published.x86[0]))
        #expect(e.lines.count == 5, "no front-door lines for an event: \(e.lines.map(\.item))")
        #expect(close(e.monthly, 58.32527578125))
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
