import Foundation
import Testing

/// Contract version 2 end to end: the new inputs and the two new patterns through the built binary, in text,
/// markdown and JSON.
@Suite struct VersionTwoBinaryTests {
    static let streamed = ["recommend", "--duration", "45s", "--response", "result", "--stream", "yes"]
    static let batch = ["recommend", "--duration", "2h", "--trigger", "event", "--shape", "batch", "--batch-items", "5000"]

    @Test(arguments: [(streamed, "sync-stream", "Synchronous streamed response"), (batch, "distributed-map", "Step Functions Distributed Map")])
    func newPatternsInEveryFormat(_ arguments: [String], _ id: String, _ name: String) throws {
        let text = try Binary.run(arguments)
        #expect(text.status == 0 && text.stdout.contains("(\(id))") && text.stdout.contains(name), "\(text.stdout)")
        let markdown = try Binary.run(arguments + ["--format", "markdown"])
        #expect(markdown.status == 0 && markdown.stdout.contains("`\(id)`"), "\(markdown.stdout)")
        let json = try Binary.json(arguments + ["--format", "json"])
        #expect((json["pattern"] as? [String: Any])?["id"] as? String == id)
        let scaffold = try #require(json["scaffold"] as? [String: Any])
        #expect((scaffold["command"] as? String)?.contains("scaffold \(id)") == true)
        // Explain and the catalogue know them too.
        let explain = try Binary.run(["explain", id])
        #expect(explain.status == 0 && explain.stdout.contains(name))
    }

    /// Every new input given as a flag shows in `inputs` as typed and not defaulted, and the printed command
    /// reproduces the answer.
    @Test func newInputsRoundTrip() throws {
        let arguments = ["recommend", "--duration", "4m", "--response", "result", "--entry", "alb", "--door-timeout", "300s",
                         "--stream", "no", "--active-duration", "1m", "--payload", "256KB", "--result-size", "1MB", "--memory", "2GB",
                         "--format", "json"]
        let json = try Binary.json(arguments)
        #expect((json["pattern"] as? [String: Any])?["id"] as? String == "sync")
        let inputs = try #require(json["inputs"] as? [String: [String: Any]])
        for (key, value) in [("door-timeout", "5m"), ("stream", "no"), ("active-duration", "1m"), ("payload", "256KB"), ("result-size", "1MB"), ("memory", "2048")] {
            #expect(inputs[key]?["value"] as? String == value, "\(key): \(inputs[key] ?? [:])")
            #expect(inputs[key]?["defaulted"] as? Bool == false, "\(key)")
        }
        let command = try #require(json["command"] as? String)
        #expect(command.contains("--door-timeout 5m") && command.contains("--payload 256KB"), "\(command)")
        let again = try Binary.json(command.split(separator: " ").dropFirst().map(String.init) + ["--format", "json"])
        #expect((again["pattern"] as? [String: Any])?["id"] as? String == "sync")
        // A webhook's sender sets its deadline: GitHub waits 10 s.
        let github = try Binary.json(["recommend", "--duration", "9s", "--trigger", "webhook", "--response", "ack", "--sender", "github", "--format", "json"])
        let deadline = try #require((github["inputs"] as? [String: [String: Any]])?["ack-deadline"])
        #expect(deadline["value"] as? String == "10s" && deadline["defaulted"] as? Bool == true)
        #expect((github["pattern"] as? [String: Any])?["id"] as? String == "sync")
    }

    /// Not chosen, in JSON: `wouldBeChosenWith` with design keys and typed values, or null.
    @Test func notChosenInJSON() throws {
        let json = try Binary.json(["recommend", "--duration", "45s", "--response", "result", "--format", "json"])
        let notChosen = try #require(json["notChosen"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: notChosen.map { ($0["id"] as! String, $0) })
        #expect(byID["lambda-durable"]?["wouldBeChosenWith"] as? [String: String] == ["shape": "steps", "orchestrate": "code"])
        #expect(byID["sync"]?["wouldBeChosenWith"] is NSNull && byID["sync"]?["infeasible"] as? Bool == true)
        #expect(byID["distributed-map"]?["wouldBeChosenWith"] as? [String: String] == ["shape": "batch", "batch-items": "1001"])
        // The full text says it in words.
        let text = try Binary.run(["recommend", "--duration", "45s", "--response", "result", "--explain"])
        #expect(text.stdout.contains("lambda-durable: would be chosen with `--shape steps --orchestrate code`"), "\(text.stdout)")
    }

    /// Hard limits are errors and quotas warnings in `check`, as in `recommend` (SPEC §4).
    @Test func quotasWarnAndLimitsFail() throws {
        let quota = try Binary.run(["check", "--pattern", "eventbridge-schedule", "--duration", "10m", "--trigger", "schedule", "--throughput", "2k/s"])
        #expect(quota.status == 0 && quota.stdout.contains("warning: above-throughput"), "\(quota.stdout)")
        let limit = try Binary.run(["check", "--pattern", "sync-stream", "--duration", "45s", "--response", "result", "--stream", "yes", "--entry", "http-api"])
        #expect(limit.status == 1 && limit.stdout.contains("error: door-cannot-stream"), "\(limit.stdout)")
        // The recommendation passes its own check with the same inputs, and its warnings are recommend's.
        let flags = ["--duration", "10m", "--trigger", "event", "--throughput", "10001/s", "--volume", "1M/month"]
        let recommended = try Binary.json(["recommend"] + flags + ["--format", "json"])
        let pattern = try #require((recommended["pattern"] as? [String: Any])?["id"] as? String)
        let warnings = Set((recommended["warnings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        let checked = try Binary.run(["check", "--pattern", pattern, "--format", "json"] + flags)
        #expect(checked.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any])
        let findings = ((report["workloads"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(Set(findings) == warnings, "\(findings) vs \(warnings)")
    }
}
