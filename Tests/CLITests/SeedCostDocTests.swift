import Foundation
import Testing

/// docs/cost-seed-000.md recomputes seed 000's Pattern 1 vs Pattern 2 comparison by running the binary:
/// its blocks must be what the binary prints now, and every figure its text quotes must be what the
/// JSON output says, so the document cannot drift from the price list.
@Suite(.serialized) struct SeedCostDocTests {
    static let doc = Binary.packageRoot.appendingPathComponent("docs/cost-seed-000.md").path
    static let workload = ["--duration", "45s", "--response", "status", "--entry", "function-url", "--volume", "1M/month"]

    @Test func blocksMatchTheBinary() throws {
        let text = try String(contentsOfFile: Self.doc, encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: "<!-- example: (.*?) -->\\n```[a-z]*\\n(.*?)```\\n<!-- end example -->", options: [.dotMatchesLineSeparators])
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(matches.count == 3)
        for match in matches {
            let command = String(text[Range(match.range(at: 1), in: text)!])
            let shown = String(text[Range(match.range(at: 2), in: text)!])
            let words = command.split(separator: " ").map(String.init)
            let run = try Binary.run(Array(words.dropFirst()), environment: ["NO_COLOR": "1"], directory: Binary.packageRoot.path)
            #expect(run.status == 0 && run.stdout + run.stderr == shown, "'\(command)' is stale: run scripts/update-readme")
        }
    }

    func pattern(_ id: String, _ extra: [String] = []) throws -> (monthly: Double, lines: [String: Double]) {
        let json = try Binary.json(["cost", "--pattern", id] + Self.workload + extra + ["--format", "json"])
        let entry = try #require((json["patterns"] as? [[String: Any]])?.first)
        var lines: [String: Double] = [:]
        // JSON money is rounded to the cent; the quoted sub-cent figures are quantity × unit price, unrounded.
        for line in entry["lines"] as? [[String: Any]] ?? [] {
            guard let quantity = line["quantity"] as? Double, let unitPrice = line["unitPrice"] as? Double else { continue }
            lines[line["item"] as? String ?? ""] = quantity * unitPrice
        }
        let monthly = try #require(entry["monthly"] as? Double)
        let sum = lines.values.reduce(0, +)
        #expect(abs(sum - monthly) <= 0.005 + 1e-9, "the total is the unrounded sum, rounded to the cent")
        return (sum, lines)
    }

    func near(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 1e-9 * max(1, b) } ?? false }

    @Test func quotedFiguresAreTheBinarysFigures() throws {
        let text = try String(contentsOfFile: Self.doc, encoding: .utf8)
        // Pattern 1 as the seed counts it: one write, one read, stream, two Lambda requests.
        let p1 = try pattern("dynamodb-stream-job", ["--status-updates", "0"])
        #expect(near(p1.lines["Job writes (create + status updates)"], 0.625))          // 1M × $0.625 / 1M
        #expect(near(p1.lines["Job reads (the client reads the result)"], 0.125))       // 1M × $0.125 / 1M
        #expect(p1.lines["Stream records read by the processor"] == 0)                   // free via Lambda
        #expect(near(p1.lines["Lambda requests (submit + processor)"], 0.40))           // 2M × $0.20 / 1M
        let requestOnly = ["Job writes (create + status updates)", "Job reads (the client reads the result)",
                           "Stream records read by the processor", "Lambda requests (submit + processor)"].compactMap { p1.lines[$0] }.reduce(0, +)
        #expect(near(requestOnly, 1.15))
        #expect(near(p1.lines["Processor compute"], 45_000_000 * 0.0000166667))           // $750.0015
        #expect(near(p1.lines["Submit handler compute"], 100_000 * 0.0000166667))         // $1.66667
        let p2 = try pattern("lambda-self-invoke")
        #expect(near((p2.lines["Webhook requests"] ?? 0) + (p2.lines["Self-invoke requests (Event, 256 KB + 64 KB units)"] ?? 0), 0.40))
        // Logs: 2M invocations × 2 KB = 3.814697265625 GB × $0.50 per GB.
        #expect(near(p2.lines["CloudWatch Logs ingestion (both halves)"], 3.814697265625 * 0.50))
        #expect(near(p1.lines["CloudWatch Logs ingestion (submit + processor)"], 3.814697265625 * 0.50))
        let p1Default = try pattern("dynamodb-stream-job")
        #expect(near(p1Default.lines["Job writes (create + status updates)"], 1.875))     // 3 writes

        func money(_ x: Double) -> String {
            let cents = Int((x * 100).rounded())
            return "$\(cents / 100).\(String(format: "%02d", cents % 100))"
        }
        #expect(money(p1.monthly) == "$754.73" && money(p2.monthly) == "$753.98" && money(p1Default.monthly) == "$755.98")
        #expect(money(p1.monthly - p2.monthly) == "$0.75" && money(p1Default.monthly - p2.monthly) == "$2.00")
        #expect(String(format: "%.1f", requestOnly / 0.40) == "2.9")
        for quoted in ["**$0.625**", "**$0.125**", "**$0.40**", "**$1.15**", "**$750.00**", "**$1.67**",
                       "**$1.91**", "**$754.73**", "**$753.98**", "**$755.98**", "$0.75", "$2.00", "**2.9×**", "$1.875"] {
            #expect(text.contains(quoted), "the document no longer quotes \(quoted)")
        }
    }
}
