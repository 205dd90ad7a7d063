import Foundation
import Testing

/// SPEC §4's durable cases end to end: `recommend --format json` with and without `--orchestrate code`, at 3 min,
/// 2 h and past a year; and `cost` setting lambda-durable beside the Step Functions patterns.
@Suite(.serialized) struct DurableBinaryTests {
    static func ids(_ items: Any?) -> [String] { (items as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }

    @Test(arguments: [
        (["--duration", "3m", "--trigger", "event", "--shape", "steps"], "step-functions-express", "lambda-durable", [String]()),
        (["--duration", "3m", "--trigger", "event", "--shape", "steps", "--orchestrate", "code"], "lambda-durable", "step-functions-express", []),
        (["--duration", "2h", "--response", "ack", "--shape", "steps"], "step-functions-standard", "lambda-durable", []),
        (["--duration", "2h", "--response", "ack", "--shape", "steps", "--orchestrate", "code"], "lambda-durable", "step-functions-standard", ["durable-start"]),
        (["--duration", "2h", "--response", "ack", "--shape", "steps", "--orchestrate", "code", "--active-duration", "1m"], "lambda-durable", "ecs-fargate", ["durable-start"]),
    ])
    func recommendJSON(_ flags: [String], _ pattern: String, _ alternative: String, _ warnings: [String]) throws {
        let json = try Binary.json(["recommend"] + flags + ["--format", "json"])
        #expect((json["pattern"] as? [String: Any])?["id"] as? String == pattern)
        #expect(Self.ids(json["alternatives"]).contains(alternative), "\(Self.ids(json["alternatives"]))")
        #expect(Set(warnings).isSubset(of: Set(Self.ids(json["warnings"]))), "\(Self.ids(json["warnings"]))")
        let inputs = try #require(json["inputs"] as? [String: Any])
        let orchestrate = try #require(inputs["orchestrate"] as? [String: Any])
        #expect(orchestrate["value"] as? String == (flags.contains("code") ? "code" : "services"))
        #expect(orchestrate["defaulted"] as? Bool == !flags.contains("code"))
        if pattern == "lambda-durable" {
            let scaffold = try #require(json["scaffold"] as? [String: Any])
            let files = (scaffold["files"] as? [String]) ?? []
            #expect(files.contains("src/workflow/app.py") && files.contains("template.yaml"), "\(files)")
            let lines = ((json["cost"] as? [String: Any])?["lines"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
            #expect(lines.contains("Durable operations"), "\(lines)")
        }
    }

    @Test func costPutsDurableBesideStepFunctions() throws {
        let json = try Binary.json(["cost", "--duration", "2h", "--avg-duration", "30s", "--trigger", "event", "--shape", "steps", "--format", "json"])
        let text = String(describing: json)
        for id in ["lambda-durable", "step-functions-standard"] { #expect(text.contains(id), "\(id) missing from cost") }
    }

    @Test func compareShowsAWSGuidance() throws {
        let run = try Binary.run(["compare", "lambda-durable", "step-functions-standard"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Durable functions or Step Functions (AWS guidance)"))
        #expect(run.stdout.contains("https://docs.aws.amazon.com/lambda/latest/dg/durable-step-functions.html"))
    }
}
