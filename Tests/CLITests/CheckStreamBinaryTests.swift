import Foundation
import Testing
@testable import AdvisorCLI
@testable import AdvisorCore

/// `check` streams (issue #20): the built binary, which writes each file's verdicts as they come, gives
/// byte for byte what the unstreamed path (`CheckCommand.buffered`, the whole run in memory, run here in
/// process) gives — stdout, stderr and the exit code — for a generated run of many files: a design file
/// large enough to be split and read in pieces, design files with problems and broken JSON, templates with
/// findings, notes and broken YAML, and a design that names template functions; in text, JSON and SARIF.
/// And running out of memory ends with one line on stderr and exit 2, never a backtrace.
@Suite(.serialized) struct CheckStreamBinaryTests: CheckFolder {
    let folder: String

    init() throws {
        folder = try scratchFolder("check-stream")
        try FileManager.default.createDirectory(atPath: folder + "/infra/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/infra/b", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/infra/c", withIntermediateDirectories: true)
        let big = Self.design(count: 9_000)
        #expect(big.utf8.count > CheckStream.splitSize, "the large design file is split")
        try write("big.json", big)
        // The same file with a bad value, a duplicate name and an unknown pattern deep inside (split, then
        // dropped with its problems), and cut short (the split declines; the whole-file reader's error).
        var lines = big.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[3001] = lines[3001].replacingOccurrences(of: "\"duration\": \"", with: "\"duration\": \"x")
        lines[4002] = lines[4002].replacingOccurrences(of: "\"workload-04000\"", with: "\"workload-00002\"")
        lines[5003] = lines[5003].replacingOccurrences(of: "\"pattern\": \"", with: "\"pattern\": \"no-")
        try write("big-problems.json", lines.joined(separator: "\n"))
        try write("big-cut.json", String(big.dropLast(40)))
        try write("small.json", #"{"workloads": [{"name": "export", "pattern": "sqs-queue", "duration": "20m", "response": "ack", "function": "Worker", "throughput": "50/s", "memory": 4096}]}"# + "\n")
        try write("broken.json", #"{"workloads": [{"name": "a", "pattern": "sync",}]}"# + "\n")
        try write("infra/a/template.yaml", """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Worker:
            Type: AWS::Serverless::Function
            Properties:
              Timeout: 60
              MemorySize: 1024
              Events:
                Get: {Type: Api, Properties: {Path: /report, Method: get}}
          Mod:
            Type: AWS::Rain::Module

        """)
        try write("infra/b/template.yml", "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Timeout: 3\n")
        try write("infra/c/stack.template.json", #"{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 901}}}}"#)
        for index in 0..<40 {
            try FileManager.default.createDirectory(atPath: folder + "/infra/svc-\(index)", withIntermediateDirectories: true)
            try write("infra/svc-\(index)/template.yaml", """
            AWSTemplateFormatVersion: '2010-09-09'
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties: {VisibilityTimeout: \(index % 3 == 0 ? 30 : 900)}
              Fn\(index):
                Type: AWS::Lambda::Function
                Properties: {Timeout: \(index % 2 == 0 ? 120 : 30)}
              Mapping:
                Type: AWS::Lambda::EventSourceMapping
                Properties: {EventSourceArn: !GetAtt Queue.Arn, FunctionName: !Ref Fn\(index)}

            """)
        }
    }

    /// A design file of scripts/bench-check's kind: every trigger, response, shape and retry mode, sound and
    /// unsound patterns, one workload a line.
    static func design(count: Int) -> String {
        let patterns = ["sync", "sync-continuation-token", "async-invoke", "sqs-queue", "step-functions-express", "step-functions-standard",
                        "fan-out", "queue-chaining", "ecs-fargate", "dynamodb-stream-job", "lambda-self-invoke", "task-manager"]
        let durations = ["500ms", "2s", "10s", "29s", "45s", "4m", "15m", "45m", "2h"]
        let triggers = ["request", "request", "webhook", "event", "schedule"]
        var lines: [String] = []
        for index in 0..<count {
            let trigger = triggers[index % triggers.count]
            var members = [#""name": "workload-\#(String(format: "%05d", index))""#, #""pattern": "\#(patterns[(index * 7) % patterns.count])""#,
                           #""duration": "\#(durations[(index * 5) % durations.count])""#, #""trigger": "\#(trigger)""#]
            if trigger == "request" { members.append(#""response": "\#(["result", "ack", "status"][index % 3])""#) }
            if trigger == "webhook" { members.append(#""response": "\#(["result", "ack"][index % 2])""#) }
            if index % 4 == 0 { members.append(#""throughput": "\#(["5/s", "300/min", "2k/s"][index % 3])""#) }
            if index % 6 == 0 { members.append(#""memory": \#([128, 1024, 3008][index % 3])"#) }
            if index % 9 == 0 { members.append(#""splittable": true"#) }
            lines.append("    {" + members.joined(separator: ", ") + "}")
        }
        return "{\n  \"workloads\": [\n" + lines.joined(separator: ",\n") + "\n  ]\n}\n"
    }

    /// The unstreamed path, in process, with the same arguments.
    func buffered(_ arguments: [String]) throws -> Run {
        final class Captured: @unchecked Sendable {
            let lock = NSLock()
            var out = "", err = ""
        }
        let captured = Captured()
        let console = Console(write: { text in captured.lock.withLock { captured.out += text } },
                              writeError: { text in captured.lock.withLock { captured.err += text } },
                              readLine: { nil }, isTerminal: false, inputIsTerminal: false, environment: [:], columns: 100)
        var context = Context(console: console, style: Style(color: false, width: 100))
        let rules = try context.rules(arguments)
        let parsed = try ArgumentParser.parse(arguments, options: CheckCommand.options(rules), command: "check", maxPositionals: Int.max)
        let status = try CheckCommand.buffered(parsed, rules: rules, context: &context)
        return Run(status: status.rawValue, stdout: captured.out, stderr: captured.err)
    }

    @Test(arguments: ["text", "json", "sarif"])
    func theStreamIsTheBufferedRunByteForByte(_ format: String) throws {
        let runs: [[String]] = [
            ["big.json"],
            ["small.json", "infra"],
            ["big.json", "big-problems.json", "infra", "small.json"],
            ["big-cut.json", "broken.json", "infra/a/template.yaml", "big.json", "--strict"],
        ]
        for names in runs {
            let arguments = names.map { $0.hasPrefix("--") ? $0 : folder + "/" + $0 } + ["--format", format]
            let streamed = try Binary.run(["check"] + arguments)
            let whole = try buffered(arguments)
            #expect(streamed.status == whole.status, "\(names) \(format): exit \(streamed.status), buffered \(whole.status)")
            #expect(streamed.stderr == whole.stderr, "\(names) \(format): stderr differs:\n\(streamed.stderr.prefix(600))\n---\n\(whole.stderr.prefix(600))")
            #expect(streamed.stdout.utf8.count == whole.stdout.utf8.count && streamed.stdout == whole.stdout,
                    "\(names) \(format): stdout differs (\(streamed.stdout.utf8.count) bytes streamed, \(whole.stdout.utf8.count) buffered)")
            #expect(!streamed.stdout.isEmpty)
        }
    }

    @Test func theLargeFileIsCheckedInFull() throws {
        let run = try check(["big.json", "big-problems.json"])
        #expect(run.status == 2)
        #expect(run.stdout.split(separator: "\n").last?.hasPrefix("9000 workloads: ") == true, "\(run.stdout.suffix(200))")
        #expect(run.stderr.contains("big-problems.json:3002:"), "\(run.stderr.prefix(800))")
        #expect(run.stderr.contains("duplicate workload name (first at 5:"), "\(run.stderr.prefix(800))")
        #expect(run.stderr.hasSuffix("3 problems in the design file, which was not checked; the other 1 file was checked in full\n"), "\(run.stderr.suffix(300))")
    }

    /// A file far larger than the memory limit (a sparse file: nothing on disk) under `ulimit -v`: the run
    /// ends with exit 2 and one line on stderr, the Swift runtime's message and backtrace caught.
    @Test func outOfMemoryIsOneLineAndExit2() throws {
        let path = folder + "/huge.json"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("{\"workloads\": [".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 3 << 30)
        try handle.close()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 262144 && exec \"$0\" check \"$1\"", Binary.path, path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 2, "\(process.terminationReason) \(process.terminationStatus): \(stderr)")
        #expect(stderr.hasPrefix("async-advisor: out of memory under the memory limit of 256 MB (ulimit -v)"), "\(stderr)")
        #expect(stderr.split(separator: "\n").count == 1 && stderr.hasSuffix("\n"), "one line: \(stderr)")
        #expect(stdout.isEmpty)
    }
}
