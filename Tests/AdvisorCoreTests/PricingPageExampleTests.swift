import Testing
@testable import AdvisorCore

/// Worked examples of AWS's pricing pages that the tool can express, reproduced to the cent (SPEC §8).
/// Each test names the page and the example. The tool's estimate carries lines the examples leave out
/// (CloudWatch Logs): an example is held against the lines it prices, each rounded to the cent as a bill is.
@Suite struct PricingPageExampleTests {
    func cents(_ usd: Double) -> Double { CostReport.cents(usd) }

    /// AWS Lambda pricing page, "Mobile application backend" example: 3 million requests a month of 120 ms on
    /// Arm at 1,536 MB. Compute 3M × 0.12 s × 1.5 GB = 540,000 GB-s × $0.0000133334 = $7.20; requests
    /// 3M × $0.20 per 1M = $0.60; total $7.80 (no free tier).
    @Test func lambdaMobileBackendOnArm() throws {
        let e = try estimate("sync", ["duration": "120ms", "response": "result", "entry": "function-url", "volume": "3M/month",
                                      "memory": "1536", "arch": "arm64"])
        let compute = try line(e, "Lambda compute"), requests = try line(e, "Lambda requests")
        #expect(compute.quantity == 540_000 && cents(compute.monthly) == 7.20)
        #expect(requests.quantity == 3_000_000 && cents(requests.monthly) == 0.60)
        #expect(cents(compute.monthly + requests.monthly) == 7.80)
        #expect(e.lines.map(\.item) == ["Lambda requests", "Lambda compute", "CloudWatch Logs ingestion"], "a function URL adds no line")
    }

    /// AWS Lambda pricing page, the free-tier example of 128 MB executed 30 million times a month at 200 ms:
    /// compute 30M × 0.2 s × 0.125 GB = 750,000 GB-s, less 400,000 free = 350,000 × $0.0000166667 = $5.83;
    /// requests 30M less 1M free = 29M × $0.20 per 1M = $5.80; total $11.63.
    @Test func lambdaFreeTierExample128MB() throws {
        let e = try estimate("sync", ["duration": "200ms", "response": "result", "entry": "function-url", "volume": "30M/month",
                                      "memory": "128", "free-tier": "true"])
        let compute = try line(e, "Lambda compute"), requests = try line(e, "Lambda requests")
        #expect(compute.quantity == 750_000 && cents(compute.monthly) == 5.83)
        #expect(requests.quantity == 30_000_000 && cents(requests.monthly) == 5.80)
        #expect(cents(compute.monthly + requests.monthly) == 11.63)
        #expect(e.allowances.contains("Lambda free tier: 1M requests a month") && e.allowances.contains("Lambda free tier: 400,000 GB-s a month"))
    }

    /// The Lambda duration tiers at their published boundary: 6 billion GB-s at $0.0000166667, then $0.000015.
    /// 7 billion GB-s on x86 = $100,000.20 + $15,000.00 = $115,000.20.
    @Test func lambdaTieredDuration() throws {
        // 7,000,000 runs × 1,000 s × 1 GB = 7e9 GB-s (the estimate prices it; whether Lambda can run it is check's).
        let e = try estimate("eventbridge-schedule", ["duration": "1000s", "trigger": "schedule", "volume": "7M/month", "memory": "1024"])
        #expect(cents(try line(e, "Lambda compute").monthly) == 115_000.20)
    }

    /// AWS Step Functions pricing page, the Express Workflows example: 100 million workflows a month, 10 s each
    /// on average, billed at 64 MB. Requests 100M × $1.00 per 1M = $100.00. Duration 100M × 10 s × 64 MB / 1024 MB
    /// = 62,500,000 GB-s = 17,361.11 GB-hours: 1,000 × $0.06 + 4,000 × $0.03 + 12,361.11 × $0.01642 = $60.00 +
    /// $120.00 + $202.97 = $382.97. Total $482.97. (The page prices duration per GB-hour; per GB-second at the
    /// rounded $0.00001667 it would come out at $382.88, so prices.json keeps the page's GB-hour figures.)
    @Test func stepFunctionsExpressHundredMillionWorkflows() throws {
        let e = try estimate("step-functions-express", ["duration": "10s", "response": "ack", "shape": "steps", "volume": "100M/month"])
        let requests = try line(e, "Express executions"), duration = try line(e, "Express duration")
        #expect(requests.quantity == 100_000_000 && cents(requests.monthly) == 100.00)
        #expect(abs(duration.quantity - 17_361.111) < 0.001 && duration.unit == "GB-hours")
        #expect(cents(duration.monthly) == 382.97)
        #expect(cents(requests.monthly + duration.monthly) == 482.97)
    }

    /// AWS Step Functions pricing page, the Standard Workflows example: a workflow of 4 state transitions run
    /// 100,000 times a month, with the free tier: (4 × 100,000 − 4,000 free) × $0.000025 = 396,000 × $0.000025
    /// = $9.90.
    @Test func stepFunctionsStandardFourTransitions() throws {
        let e = try estimate("step-functions-standard", ["duration": "2s", "response": "ack", "shape": "steps", "volume": "100k/month",
                                                         "workflow-steps": "4", "free-tier": "true"])
        let transitions = try line(e, "Standard state transitions")
        #expect(transitions.quantity == 400_000 && cents(transitions.monthly) == 9.90)
        #expect(e.allowances.contains("Step Functions free tier: 4,000 state transitions a month"))
    }
}
