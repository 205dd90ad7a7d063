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
}
