import Foundation
import Testing

/// SPEC §5: the default `recommend` text and the questionnaire's last screen fit one screen — at most 45
/// lines at 100 columns, plus a handler preview of at most 12 lines — with its sections in order, every
/// warning, the alternatives and companions, and the count of the patterns ruled out.
@Suite struct OneScreenTests {
    /// The default answer split at the preview: the lines above the code (its heading included), and the code.
    static func screen(_ text: String) throws -> (body: [Substring], code: [Substring]) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let heading = try #require(lines.firstIndex { $0.hasPrefix("Starter code (") }, "no preview heading in:\n\(text)")
        return (Array(lines[...heading]), Array(lines[(heading + 1)...]))
    }

    /// A spread of workloads: every trigger, response, shape and door, durations either side of each bound,
    /// rates either side of the stream bound, chosen by a fixed seed so a failure can be run again.
    static let workloads: [[String]] = {
        var generator = SplitMix(seed: 19)
        let durations = ["800ms", "2s", "20s", "28s", "29s", "45s", "4m", "5m", "5m1s", "10m", "14m", "15m1s", "40m", "2h", "3d"]
        let choices: [(String, [String])] = [
            ("stream", ["yes", "no"]), ("retry", ["none", "automatic", "guaranteed"]), ("shape", ["single", "steps", "batch"]),
            ("orchestrate", ["services", "code"]), ("splittable", ["yes", "no"]), ("updates", ["push", "poll"]),
            ("entry", ["api-gateway", "http-api", "appsync", "function-url", "alb", "direct"]),
            ("sender", ["slack-events", "slack-command", "github", "stripe", "generic"]),
            ("throughput", ["5/min", "1/s", "50/s", "2k/s", "10001/s", "20k/s"]),
        ]
        var list: [[String]] = []
        for index in 0..<72 {
            let trigger = ["request", "webhook", "event", "schedule"][index % 4]
            var flags = ["--duration", durations[Int(generator.next() % UInt64(durations.count))], "--trigger", trigger]
            if trigger == "request" { flags += ["--response", ["result", "ack", "status"][Int(generator.next() % 3)]] }
            if trigger == "webhook" { flags += ["--response", ["result", "ack"][Int(generator.next() % 2)]] }
            for (flag, values) in choices where generator.next() % 3 == 0 {
                flags += ["--" + flag, values[Int(generator.next() % UInt64(values.count))]]
            }
            list.append(flags)
        }
        return list
    }()

    @Test func everyAnswerFitsOneScreen() throws {
        var checked = 0
        for flags in Self.workloads {
            let json = try Binary.run(["recommend"] + flags + ["--format", "json"])
            // A few random combinations break a constraint of the inputs (a webhook that wants status): skip them.
            guard json.status == 0 else { #expect(json.status == 2, "\(flags): \(json.stderr)"); continue }
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let run = try Binary.run(["recommend"] + flags, environment: ["COLUMNS": "100"])
            #expect(run.status == 0)
            let (body, code) = try Self.screen(run.stdout)
            let label = flags.joined(separator: " ")
            #expect(body.count <= 45, "\(label): \(body.count) lines above the code\n\(run.stdout)")
            #expect(code.count <= 12, "\(label): \(code.count) lines of code")
            for line in body { #expect(line.count <= 100, "\(label): a line wider than 100 columns: \(line)") }
            for line in code { #expect(line.count <= 100 && (line.count < 100 || line.hasSuffix("…")), "\(label): \(line)") }
            try Self.holdsTheAnswer(run.stdout, answer, label)
            checked += 1
        }
        #expect(checked >= 50, "only \(checked) workloads could be checked")
    }

    /// Everything SPEC §5 puts on the screen is there, in its order.
    static func holdsTheAnswer(_ text: String, _ answer: [String: Any], _ label: String) throws {
        let pattern = try #require(answer["pattern"] as? [String: Any])
        let title = "Recommended: \(pattern["name"] as! String) (\(pattern["id"] as! String))"
        #expect(text.replacingOccurrences(of: "\n  ", with: " ").hasPrefix(title), "\(label): the pattern first (wrapped where it is long)")
        let headings = ["\nWhy\n", "\nCost: $", "\nWatch out", "\nAlso fits\n", "\nRuled out: ", "\nNext: ", "\nStarter code ("]
        var last = text.startIndex
        for heading in headings {
            guard let found = text.range(of: heading) else { continue }
            #expect(found.lowerBound >= last, "\(label): '\(heading.trimmingCharacters(in: .whitespacesAndNewlines))' out of order")
            last = found.lowerBound
        }
        let path = try #require(answer["path"] as? [[String: Any]])
        #expect(text.contains("  \(path.count). "), "\(label): one numbered line per step")
        for warning in answer["warnings"] as? [[String: Any]] ?? [] {
            #expect(text.contains("! \(warning["id"] as! String): "), "\(label): warning \(warning["id"]!) is missing")
        }
        for key in ["alternatives", "companions"] {
            for item in answer[key] as? [[String: Any]] ?? [] {
                #expect(text.contains(item["id"] as! String), "\(label): \(key) \(item["id"]!) is missing")
            }
        }
        let notChosen = answer["notChosen"] as? [[String: Any]] ?? []
        #expect(text.contains("Ruled out: \(notChosen.count) other pattern"), "\(label)")
        let cost = try #require(answer["cost"] as? [String: Any])
        let shown = try #require(text.components(separatedBy: "\nCost: $").dropFirst().first?.components(separatedBy: " a month").first)
        let figure = try #require(Double(shown.replacingOccurrences(of: ",", with: "")), "\(label): \(shown)")
        #expect(abs(figure - (cost["monthly"] as! Double)) < 0.006, "\(label): $\(shown) against \(cost["monthly"]!)")
        let scaffold = try #require(answer["scaffold"] as? [String: Any])
        // The command on the line of "Next:", or on lines of its own continued with ` \` where it is wider.
        let command = scaffold["command"] as! String
        let joined = text.replacingOccurrences(of: " \\\n    ", with: " ")
        #expect(joined.contains("Next: " + command) || joined.contains("Next:\n  " + command), "\(label)")
        #expect(!text.contains("\nInputs:\n") && !text.contains("\nNot chosen:\n"), "\(label): the full lists are --explain's")
    }

    /// The two patterns named as nearest are those with the fewest changes in `wouldBeChosenWith`.
    @Test func ruledOutNamesTheTwoNearest() throws {
        let flags = ["--duration", "4m", "--response", "status", "--updates", "poll"]
        let answer = try Binary.json(["recommend"] + flags + ["--format", "json"])
        let reachable = (answer["notChosen"] as? [[String: Any]] ?? []).compactMap { item -> (String, Int)? in
            guard let changes = item["wouldBeChosenWith"] as? [String: Any] else { return nil }
            return (item["id"] as! String, changes.count)
        }
        let nearest = reachable.enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.prefix(2).map(\.element.0)
        let text = try Binary.run(["recommend"] + flags).stdout
        let line = try #require(text.components(separatedBy: "\nRuled out: ").last)
        for id in nearest { #expect(line.contains("\(id) with `--"), "\(id) in \(line)") }
        #expect(line.contains("--explain"))
    }

    /// `--explain` prints what the screen leaves out, the same text as before the screen existed.
    @Test func explainHasTheFullAnswer() throws {
        let flags = ["recommend", "--duration", "4m", "--response", "status", "--updates", "poll"]
        let full = try Binary.run(flags + ["--explain"]).stdout
        for section in ["Why (the path through the decision tree):", "Not chosen:", "Inputs:", "Reproduce:", "Limits:", "Front door:", "Prices: ",
                        "--concurrency-limit 1000 (default)", "The whole project (handlers, AWS SAM template, events, tests, README):"] {
            #expect(full.contains(section), "--explain lacks \(section)")
        }
        let short = try Binary.run(flags).stdout
        #expect(short.split(separator: "\n").count < full.split(separator: "\n").count / 2)
        // Markdown and JSON do not change with --explain.
        for format in ["json", "markdown"] {
            #expect(try Binary.run(flags + ["--format", format]).stdout == (try Binary.run(flags + ["--format", format, "--explain"]).stdout))
        }
    }

    /// The questionnaire's last screen is the same one screen, and names the full answer's command.
    @Test func questionnairesLastScreenFits() throws {
        let run = try Binary.run(["ask"], stdin: "4m\nrequest\nack\n\nguaranteed\n\n\n\n\n\n")
        #expect(run.status == 0, "\(run.stderr)")
        let last = try #require(run.stdout.components(separatedBy: String(repeating: "─", count: 80) + "\n\n").last)
        let (body, code) = try Self.screen(last)
        #expect(body.count <= 45 && code.count <= 12, "\(body.count) + \(code.count) lines")
        #expect(last.contains("  async-advisor recommend --duration 4m --trigger request --response ack --retry guaranteed"))
    }
}

/// A small seeded generator, so the sweep is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
