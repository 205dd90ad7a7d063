import Foundation
import Testing

/// SPEC §5–6: output names sources by titles a reader can look up, never a source document's file name,
/// "SPEC" or "seed 00N". Every command's output and every generated README is scanned.
@Suite struct SourceLabelTests {
    static let forbidden = try! NSRegularExpression(pattern: #"00[0-3]_[0-9a-f]{16}|\bSPEC\b|\b[Ss]eed 00[0-3]\b"#)

    static func offending(_ text: String) -> [String] {
        forbidden.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range, in: text).map { range in
                let line = text[..<range.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
                return String(line) + String(text[range])
            }
        }
    }

    static let workloads: [[String]] = [
        ["--duration", "45s", "--response", "result"],
        ["--duration", "20s", "--trigger", "webhook", "--response", "result", "--sender", "slack-command"],
        ["--duration", "2h", "--trigger", "event", "--shape", "batch", "--batch-items", "5000"],
        ["--duration", "7d", "--response", "ack", "--shape", "steps", "--orchestrate", "code"],
        ["--duration", "3m", "--trigger", "schedule"],
    ]

    @Test func everyCommandsOutput() throws {
        var outputs: [(String, String)] = []
        for flags in Self.workloads {
            for format in ["text", "markdown", "json"] {
                let run = try Binary.run(["recommend"] + flags + ["--format", format])
                outputs.append(("recommend \(flags.joined(separator: " ")) --format \(format)", run.stdout + run.stderr))
            }
            let explained = try Binary.run(["recommend"] + flags + ["--explain"])
            outputs.append(("recommend --explain", explained.stdout + explained.stderr))
            let cost = try Binary.run(["cost"] + flags)
            outputs.append(("cost", cost.stdout + cost.stderr))
            let costJSON = try Binary.run(["cost"] + flags + ["--format", "json"])
            outputs.append(("cost --format json", costJSON.stdout + costJSON.stderr))
        }
        for pattern in ["sqs-queue", "distributed-map", "lambda-durable"] {
            let flags = ["--duration", "4m", "--response", "ack", "--pattern", pattern]
            outputs.append(("cost --pattern \(pattern)", try Binary.run(["cost"] + flags).stdout))
            outputs.append(("check --pattern \(pattern)", try Binary.run(["check"] + flags).stdout))
        }
        let files = ["examples/design.json", "examples/template.yaml", "examples/acknowledged.json"]
        for format in ["text", "json", "sarif", "markdown"] {
            let run = try Binary.run(["check"] + files + ["--format", format], directory: Binary.packageRoot.path)
            outputs.append(("check --format \(format)", run.stdout + run.stderr))
        }
        for command in ["", "ask", "recommend", "cost", "check", "patterns", "explain", "compare", "tree", "scaffold", "rules"] {
            let run = try Binary.run((command.isEmpty ? [] : [command]) + ["--help"])
            outputs.append(("\(command) --help", run.stdout + run.stderr))
        }
        outputs.append(("scaffold --dry-run", try Binary.run(["scaffold", "task-manager", "--dry-run"]).stdout))
        outputs.append(("ask to the end", try Binary.run(["ask"], stdin: "4m\nrequest\nack\n\nguaranteed\n\n\n\n\n\n").stdout))
        for bad in [["recommend", "--duration", "40 minutes"], ["recommend", "--duration", "4m", "--trigger", "webhok"], ["--verison"]] {
            let run = try Binary.run(bad)
            outputs.append(("\(bad)", run.stdout + run.stderr))
        }
        let list = try Binary.run(["patterns"])
        outputs.append(("patterns", list.stdout))
        for id in ["sync", "sync-stream", "async-invoke", "lambda-self-invoke", "dynamodb-stream-job", "task-manager", "distributed-map",
                   "kinesis-stream", "fan-out", "step-functions-standard", "lambda-durable", "ecs-fargate"] {
            let explain = try Binary.run(["explain", id])
            outputs.append(("explain \(id)", explain.stdout + explain.stderr))
        }
        let compare = try Binary.run(["compare", "sync", "sqs-queue", "lambda-self-invoke", "dynamodb-stream-job"])
        outputs.append(("compare", compare.stdout))
        for format in ["text", "mermaid", "dot"] { outputs.append(("tree \(format)", try Binary.run(["tree", "--format", format]).stdout)) }
        outputs.append(("ask help", try Binary.run(["ask"], stdin: "?\n?\n").stdout))
        for (label, text) in outputs {
            #expect(Self.offending(text).isEmpty, "\(label): \(Self.offending(text).prefix(3))")
        }
    }

    @Test func everyGeneratedReadme() throws {
        let json = try JSONSerialization.jsonObject(with: Data(try Binary.run(["patterns", "--format", "json"]).stdout.utf8)) as? [[String: Any]] ?? []
        let list = json.compactMap { $0["id"] as? String }
        #expect(list.count >= 17)
        for id in list {
            for lang in ["python", "typescript"] {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(id)-\(lang)-\(UUID().uuidString)").path
                let run = try Binary.run(["scaffold", id, "--lang", lang, "--out", folder])
                #expect(run.status == 0, "\(id) \(lang): \(run.stderr)")
                let readme = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
                #expect(Self.offending(readme).isEmpty, "\(id) \(lang) README: \(Self.offending(readme).prefix(3))")
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
    }
}
