import Foundation
import Testing

/// End-to-end: run the built binary with real arguments and read stdout, stderr and the exit code.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Binary {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["ASYNC_ADVISOR"] { return explicit }
        return packageRoot.appendingPathComponent(".build/debug/async-advisor").path
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], directory: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let run = try run(arguments)
        #expect(run.status == 0, "\(arguments): \(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }
}

/// A new, empty folder under the temporary directory for one test's files.
func scratchFolder(_ prefix: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

/// A suite that writes design files and templates into a scratch folder of its own and runs `check` there.
protocol CheckFolder {
    var folder: String { get }
}

extension CheckFolder {
    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }

    func check(_ arguments: [String]) throws -> Run {
        try Binary.run(["check"] + arguments, directory: folder)
    }
}

@Suite(.serialized) struct RecommendBinaryTests {
    @Test func builtBinaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: Binary.path), "build first: swift build (\(Binary.path))")
    }

    @Test(arguments: [
        (["--duration", "28s", "--response", "result"], "sync"),
        (["--duration", "29s", "--response", "result"], "dynamodb-stream-job"),
        (["--duration", "29s", "--response", "result", "--splittable", "yes"], "sync-continuation-token"),
        (["--duration", "45s", "--response", "result", "--entry", "function-url"], "sync"),
        (["--duration", "45s", "--response", "result", "--stream", "yes"], "sync-stream"),
        (["--duration", "4m", "--response", "result", "--entry", "alb", "--door-timeout", "300s"], "sync"),
        (["--duration", "20s", "--trigger", "webhook", "--response", "result", "--sender", "slack-command"], "lambda-self-invoke"),
        (["--duration", "2h", "--trigger", "event", "--shape", "batch", "--batch-items", "5000"], "distributed-map"),
        (["--duration", "5s", "--response", "ack", "--shape", "batch", "--batch-items", "2000", "--payload", "256KB", "--result-size", "1MB"], "distributed-map"),
        (["--duration", "40min", "--response", "ack", "--memory", "2GB"], "ecs-fargate"),
        (["--duration", "29s", "--response", "result", "--entry", "http-api"], "sync"),
        (["--duration", "4m", "--response", "status", "--updates", "poll"], "task-manager"),
        (["--duration", "5m1s", "--response", "ack", "--shape", "steps"], "step-functions-standard"),
        (["--duration", "90s", "--trigger", "webhook", "--response", "ack"], "lambda-self-invoke"),
        (["--duration", "45m", "--trigger", "event", "--splittable", "yes"], "queue-chaining"),
        (["--duration", "2s", "--response", "ack"], "async-invoke"),
        (["--duration", "1s", "--response", "ack", "--throughput", "10001/s"], "kinesis-stream"),
        (["--duration", "15m", "--trigger", "schedule"], "eventbridge-schedule"),
    ])
    func recommendsThroughTheBinary(_ arguments: [String], _ pattern: String) throws {
        let json = try Binary.json(["recommend"] + arguments + ["--format", "json"])
        let chosen = try #require(json["pattern"] as? [String: Any])
        #expect(chosen["id"] as? String == pattern)
        for key in ["alternatives", "companions", "path", "warnings", "notChosen", "inputs", "command"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        // The printed command reproduces the same answer.
        let command = try #require(json["command"] as? String)
        let words = command.split(separator: " ").dropFirst().map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        let again = try Binary.json(words + ["--format", "json"])
        #expect((again["pattern"] as? [String: Any])?["id"] as? String == pattern)
    }

    @Test func inputsMarkDefaults() throws {
        let json = try Binary.json(["recommend", "--duration", "4m", "--response", "ack", "--format", "json"])
        let inputs = try #require(json["inputs"] as? [String: [String: Any]])
        #expect(inputs["duration"]?["value"] as? String == "4m" && inputs["duration"]?["defaulted"] as? Bool == false)
        #expect(inputs["trigger"]?["value"] as? String == "request" && inputs["trigger"]?["defaulted"] as? Bool == true)
        #expect(inputs["throughput"]?["defaulted"] as? Bool == true)
    }

    /// `--explain` is the whole answer in text: every section the one-screen answer leaves out.
    @Test func explainedTextHasEverySection() throws {
        let run = try Binary.run(["recommend", "--duration", "4m", "--response", "ack", "--retry", "guaranteed", "--throughput", "50/s", "--explain"])
        #expect(run.status == 0)
        for section in ["Recommended: ", "Why", "Alternatives", "Watch out", "Not chosen", "Inputs", "Reproduce", "12,000"] {
            #expect(run.stdout.contains(section), "missing \(section)")
        }
        #expect(!run.stdout.contains("\u{1B}["), "no colour off a terminal")
        #expect(run.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 }, "lines fit 100 columns off a terminal")
    }

    @Test(arguments: [
        (["recommend", "--duration", "90"], "90s"),
        (["recommend", "--response", "ack"], "--duration"),
        (["recommend", "--duration", "4m"], "--response"),
        (["recommend", "--durtion", "4m"], "Did you mean '--duration'?"),
        (["recommend", "--duration", "4m", "--response", "ack", "--trigger", "cron"], "request, webhook, event, schedule"),
        (["recommend", "--duration", "4m", "--trigger", "webhook", "--response", "status"], "webhook cannot watch progress"),
        (["recommend", "--duration", "4m", "--response", "ack", "--throughput", "5/fortnight"], "/s, /min, /h or /day"),
        (["recommend", "--duration", "4m", "--response", "ack", "--throughput", "20000"], "needs a period: 20000/s, 20000/min, 20000/h or 20000/day"),
        (["recommend", "--duration", "4m", "--response", "ack", "--payload", "256"], "has no unit; write e.g. 256KB"),
        (["recommend", "--duration", "4m", "--response", "ack", "--stream", "maybe"], "yes, no"),
        (["recommend", "--duration", "4m", "--response", "ack", "--sender", "gitlab"], "slack-events, slack-command, github, stripe, generic"),
        (["recommend", "--duration", "4m", "--response", "ack", "--door-timeout", "60s", "--entry", "http-api"], "cannot be raised"),
        (["recommend", "--duration", "4m", "--response", "ack", "--door-timeout", "400s"], "outside what api-gateway accepts: 29s–5m"),
        (["recommend", "--duration", "4m", "--trigger", "event", "--door-timeout", "60s"], "comes through no front door"),
        (["recommend", "--duration", "4m", "--trigger", "webhook", "--response", "status"], "a webhook cannot watch progress"),
        (["recommend", "--duration", "4m", "--response", "ack", "--memory", "64"], "128–10,240"),
        (["recomend"], "Did you mean 'recommend'?"),
        (["explain", "sqs-queu"], "Did you mean 'sqs-queue'?"),
        (["recommend", "--duration", "4m", "--response", "ack", "--rules", "/nonexistent"], "not a folder"),
        (["tree", "--format", "png"], "text, mermaid, dot"),
    ])
    func badInputExitsTwoNamingTheFault(_ arguments: [String], _ fragment: String) throws {
        let run = try Binary.run(arguments)
        #expect(run.status == 2, "\(arguments) → \(run.status)")
        #expect(run.stderr.contains(fragment), "\(arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func helpListsEveryOption() throws {
        let run = try Binary.run(["recommend", "--help"])
        #expect(run.status == 0)
        for flag in ["--duration", "--trigger", "--response", "--retry", "--shape", "--throughput", "--splittable", "--updates",
                     "--entry", "--ack-deadline", "--volume", "--memory", "--avg-duration", "--concurrency-limit", "--format", "--rules"] {
            #expect(run.stdout.contains(flag), "help misses \(flag)")
        }
        #expect(try Binary.run(["--version"]).stdout.hasPrefix("async-advisor "))
        #expect(try Binary.run([]).stdout.contains("USAGE:"), "off a terminal, no arguments prints help")
    }

    @Test func runsFromAnyFolder() throws {
        let run = try Binary.run(["recommend", "--duration", "4m", "--response", "ack"], directory: "/")
        #expect(run.status == 0 && run.stdout.contains("async-invoke"))
    }
}

@Suite(.serialized) struct CatalogueBinaryTests {
    @Test func patternsAsJSON() throws {
        let run = try Binary.run(["patterns", "--format", "json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 17)
        #expect(list.allSatisfy { $0["id"] is String && $0["name"] is String && $0["summary"] is String })
    }

    @Test func explainAndCompare() throws {
        let explain = try Binary.run(["explain", "lambda-self-invoke"])
        #expect(explain.status == 0)
        for section in ["When to use", "Limits", "Retries and failures", "Pitfalls", "Sources"] { #expect(explain.stdout.contains(section)) }
        let compare = try Binary.run(["compare", "dynamodb-stream-job", "lambda-self-invoke", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])
        let aspects = try #require(json["aspects"] as? [[String: Any]])
        #expect(aspects.count >= 8)
        #expect(try Binary.run(["compare", "sync"]).status == 2)
    }

    @Test func treeFormats() throws {
        #expect(try Binary.run(["tree"]).stdout.contains("→ kinesis-stream"))
        #expect(try Binary.run(["tree", "--format", "mermaid"]).stdout.hasPrefix("flowchart TD"))
        #expect(try Binary.run(["tree", "--format", "dot"]).stdout.hasPrefix("digraph"))
    }

    @Test func lintExitCodes() throws {
        let clean = try Binary.run(["rules", "lint"])
        #expect(clean.status == 0 && clean.stdout.hasPrefix("ok"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lint-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Binary.packageRoot.appendingPathComponent("rules").path, toPath: folder)
        let tree = folder + "/tree.json"
        try (try String(contentsOfFile: tree, encoding: .utf8)).replacingOccurrences(of: "\"(5m, inf)\"", with: "\"(6m, inf)\"").write(toFile: tree, atomically: true, encoding: .utf8)
        let broken = try Binary.run(["rules", "lint", "--rules", folder])
        #expect(broken.status == 2 && broken.stderr.contains("tree.json:") && broken.stderr.contains("gap"))
    }
}
