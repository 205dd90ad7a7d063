import Testing
@testable import AdvisorCore

/// Reads a design file's text in-process, as `check` does.
func design(_ text: String, path: String = "design.json") throws(DesignFileError) -> [Workload] {
    try CheckDocument.read(text, path: path, rules: shippedRules).workloads
}

func problems(_ text: String, path: String = "design.json") -> [DesignProblem] {
    do { _ = try design(text, path: path); return [] } catch { return error.problems }
}

func workloadsJSON(_ items: [String]) -> String { "{\"workloads\": [\n" + items.joined(separator: ",\n") + "\n]}\n" }

@Suite struct DesignFileTests {
    @Test func readsWorkloadsWithTheirLines() throws {
        let workloads = try design(workloadsJSON([
            #"{"name": "a", "pattern": "sync", "duration": "2s", "response": "result"}"#,
            #"{"name": "b", "pattern": "sqs-queue", "duration": "40s", "response": "ack", "retry": "guaranteed", "memory": 512, "splittable": false}"#,
        ]))
        #expect(workloads.map(\.name) == ["a", "b"])
        #expect(workloads.map { $0.origin.location?.line } == [2, 3])
        #expect(workloads[1].answers["memory"] == .number(512))
        #expect(workloads[1].answers["splittable"] == .string("no"))
        #expect(workloads[1].answers.entries["memory"]?.defaulted == false)
        #expect(workloads[0].answers.entries["memory"]?.defaulted == true)
    }

    @Test func numbersAndBooleansMeanWhatTheFlagsMean() throws {
        let workloads = try design(workloadsJSON([
            #"{"name": "a", "pattern": "queue-chaining", "duration": "1h", "trigger": "event", "splittable": true, "memory": 2048, "concurrency-limit": 5000}"#,
        ]))
        let answers = workloads[0].answers
        #expect(answers["splittable"] == .string("yes"))
        #expect(answers["memory"] == .number(2048))
        #expect(answers["concurrencyLimit"] == .number(5000))
    }

    @Test(arguments: [
        (#"{"name": "a", "pattern": "sync", "duration": 90, "response": "result"}"#, "\"duration\": '90' has no unit"),
        (#"{"name": "a", "pattern": "sync", "duration": "2s", "response": ["result"]}"#, "\"response\" must be a string"),
        (#"{"name": "a", "pattern": "sync", "duration": "2s", "response": "result", "memory": 64}"#, "\"memory\": 64 is below the minimum"),
        (#"{"name": "a", "pattern": "sync", "duration": "2s", "response": "result", "memory": "lots"}"#, "'lots' is not a whole number"),
        (#"{"name": "a", "pattern": "sync", "duration": "2s", "response": "result", "retry": true}"#, "'true' is not one of none, automatic, guaranteed"),
        (#"{"name": "a", "pattern": "sync", "duration": "2s", "response": null}"#, "found null"),
        (#"{"name": "a", "pattern": "sync", "duration": "2s", "trigger": "webhook", "response": "status"}"#, "webhook cannot watch progress"),
        (#"{"name": "a", "pattern": "sync", "duration": "2s"}"#, "missing required key \"response\""),
        (#"{"name": "a", "pattern": "sqs-queu", "duration": "2s", "response": "ack"}"#, "Did you mean \"sqs-queue\"? Valid ids: sync,"),
        (#"{"name": "a", "pattern": 3, "duration": "2s", "response": "ack"}"#, "\"pattern\" must be a pattern id string"),
        (#"{"name": "a", "duration": "2s", "response": "ack"}"#, "no \"pattern\""),
        (#"{"name": "a", "pattern": "sync", "durtion": "2s", "response": "ack"}"#, "unknown key \"durtion\". Did you mean \"duration\"? Accepted keys: name, pattern, duration,"),
        (#"{"name": "", "pattern": "sync", "duration": "2s", "response": "ack"}"#, "\"name\" must be a non-empty string"),
        (#"{"pattern": "sync", "duration": "2s", "response": "ack"}"#, "workload #1: no \"name\""),
        (#"["sync"]"#, "each workload must be an object"),
    ])
    func badWorkloadsAreLocatedErrors(_ workload: String, _ fragment: String) {
        let found = problems(workloadsJSON([workload]))
        #expect(!found.isEmpty, "accepted: \(workload)")
        #expect(found.contains { $0.description.contains(fragment) }, "\(found)")
        #expect(found.allSatisfy { $0.location.line == 2 && $0.description.hasPrefix("design.json:2:") }, "\(found)")
    }

    @Test func everyProblemOfAFileIsReportedAtOnce() {
        let found = problems(workloadsJSON([
            #"{"name": "a", "pattern": "sync", "duration": 90, "response": "result", "memory": 64}"#,
            #"{"name": "a", "pattern": "nope", "duration": "2s", "response": "result"}"#,
        ]))
        #expect(found.map(\.location.line) == [2, 2, 3, 3])
        #expect(found[2].message.contains("duplicate workload name (first at 2:10)"))
    }

    @Test(arguments: [
        ("[1, 2]", "found an array at the top level"),
        (#"{"AWSTemplateFormatVersion": "2010-09-09"}"#, "found an object with \"AWSTemplateFormatVersion\""),
        (#"{"Resources": {}}"#, "\"Resources\" is empty"),
        ("{}", "found an empty object"),
        ("42", "found a single number"),
        (#"{"workloads": {}}"#, "\"workloads\" must be an array"),
        (#"{"workloads": []}"#, "\"workloads\" is empty"),
        (#"{"workloads": [], "version": 1}"#, "unknown top-level key \"version\""),
        ("{\"workloads\": [\n  {\"name\": \"a\",}\n]}", "invalid JSON: expected a quoted key"),
        ("", "the file is empty"),
    ])
    func wrongShapesNameTheAcceptedOne(_ text: String, _ fragment: String) {
        let found = problems(text)
        #expect(found.contains { $0.description.contains(fragment) }, "\(found)")
    }

    @Test func invalidJSONCarriesLineAndColumn() {
        let found = problems("{\"workloads\": [\n  {\"name\": \"a\", \"pattern\": \"sync\",}\n]}\n")
        #expect(found.count == 1)
        #expect(found.first?.description.hasPrefix("design.json:2:35: invalid JSON") == true, "\(found)")
    }
}

@Suite struct DesignCheckTests {
    static let mixed = workloadsJSON([
        #"{"name": "thumbnail", "pattern": "sync", "duration": "2s", "response": "result"}"#,
        #"{"name": "report-export", "pattern": "sync", "duration": "4m", "response": "result", "entry": "api-gateway"}"#,
        #"{"name": "order-pipeline", "pattern": "step-functions-express", "duration": "10m", "response": "ack", "shape": "steps"}"#,
        #"{"name": "invoice-batch", "pattern": "sqs-queue", "duration": "40s", "response": "ack", "retry": "guaranteed"}"#,
        #"{"name": "video-transcode", "pattern": "async-invoke", "duration": "45m", "trigger": "event"}"#,
    ])

    @Test func mixedDesignHasExactlyTheThreeErrors() throws {
        let report = try DesignCheck(rules: shippedRules).check(try design(Self.mixed))
        let errors = report.verdicts.flatMap { verdict in verdict.findings.filter { $0.severity == .error }.map { "\(verdict.workload.name) \($0.id)" } }
        #expect(errors == ["report-export door-closes-first", "order-pipeline exceeds-max-duration", "video-transcode exceeds-max-duration"])
        #expect(report.verdicts.map(\.status) == [.ok, .error, .error, .ok, .error])
        #expect(report.fails(strict: false))
        #expect(report.summary == CheckReport.Summary(workloads: 5, errors: 3, warnings: 0, ok: 2))
        // Each error says what to use instead and why.
        let export = report.verdicts[1].findings[0]
        // Version 2: a 4-minute result that cannot resume in slices is a job the client watches, not continuation tokens.
        #expect(export.instead == "dynamodb-stream-job")
        #expect(export.message.contains("Recommended for this workload: dynamodb-stream-job — "))
        #expect(report.verdicts[2].findings[0].instead == "step-functions-standard")
        #expect(report.verdicts[4].findings[0].instead == "ecs-fargate")
    }

    @Test func soundButNotRecommendedIsAWarningThatSaysWhy() throws {
        let report = try DesignCheck(rules: shippedRules).check(try design(workloadsJSON([
            #"{"name": "resize", "pattern": "sync", "duration": "5s", "response": "ack"}"#,
        ])))
        let finding = try #require(report.verdicts.first?.findings.first)
        #expect(finding.id == Finding.notRecommended && finding.severity == .warning)
        #expect(finding.instead == "async-invoke")
        #expect(finding.message.contains("async-invoke"))
        #expect(!report.fails(strict: false) && report.fails(strict: true))
    }

    @Test func alternativesAreOkAndAdvisoryWarningsAreWarnings() throws {
        let report = try DesignCheck(rules: shippedRules).check(try design(workloadsJSON([
            // sqs-queue is the alternative to async-invoke for an ack from a request.
            #"{"name": "alt", "pattern": "sqs-queue", "duration": "5s", "response": "ack"}"#,
            // async-invoke is the recommendation, and always warns about a failure destination.
            #"{"name": "rec", "pattern": "async-invoke", "duration": "5s", "response": "ack"}"#,
        ])))
        #expect(report.verdicts[0].status == .ok)
        #expect(report.verdicts[1].findings.map(\.id) == ["no-failure-destination"])
        #expect(report.verdicts[1].status == .warning)
    }

    /// The check agrees with `recommend` on every pattern for a spread of workloads: the recommendation
    /// itself is never an error and never `not-recommended`.
    @Test func theRecommendationAlwaysPasses() throws {
        let check = DesignCheck(rules: shippedRules)
        for duration in ["1s", "20s", "29s", "2m", "5m", "10m", "15m", "1h", "400d"] {
            for (trigger, response) in [("request", "result"), ("request", "ack"), ("request", "status"), ("webhook", "ack"), ("event", nil), ("schedule", nil)] {
                var raw = ["duration": duration, "trigger": trigger]
                if let response { raw["response"] = response }
                let answers = try Answers.resolve(raw, rules: shippedRules)
                let recommended = try Engine(rules: shippedRules).recommend(answers).pattern.id
                let verdict = try check.check(Workload(name: "w", pattern: recommended, answers: answers, origin: .commandLine))
                #expect(!verdict.findings.contains { $0.severity == .error || $0.id == Finding.notRecommended }, "\(raw) → \(recommended): \(verdict.findings.map(\.id))")
            }
        }
    }

    @Test func parallelCheckKeepsFileOrder() throws {
        let items = (0..<1_500).map { i in
            #"{"name": "w\#(i)", "pattern": "\#(["sync", "async-invoke", "sqs-queue"][i % 3])", "duration": "\#(i % 40 + 1)s", "response": "ack"}"#
        }
        let workloads = try design(workloadsJSON(items))
        #expect(workloads.map(\.name) == (0..<1_500).map { "w\($0)" })
        let report = try DesignCheck(rules: shippedRules).check(workloads)
        let one = DesignCheck(rules: shippedRules)
        for index in stride(from: 0, to: 1_500, by: 97) {
            #expect(report.verdicts[index].findings == (try one.check(workloads[index])).findings)
        }
    }
}

@Suite struct CheckReportTests {
    @Test func textIsOneLinePerFindingThenTheSummary() throws {
        let report = try DesignCheck(rules: shippedRules).check(try design(DesignCheckTests.mixed))
        let lines = report.text().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("design.json:3: report-export: error: door-closes-first: sync cannot run this workload: "))
        #expect(lines.last == "5 workloads: 3 errors, 0 warnings, 2 ok")
    }

    @Test func sarifLocatesEachResultAtItsWorkload() throws {
        let report = try DesignCheck(rules: shippedRules).check(try design(DesignCheckTests.mixed, path: "./ci/design.json"))
        let log = SARIFReport.log(report, tool: .init(version: "1.2.3", informationURI: "https://example.org"))
        let run = try #require(log["runs"]?.array?.first)
        let rules = try #require(run["tool"]?["driver"]?["rules"]?.array)
        #expect(rules.compactMap { $0["id"]?.string } == ["door-closes-first", "exceeds-max-duration"])
        let results = try #require(run["results"]?.array)
        #expect(results.count == 3)
        #expect(results.map { $0["ruleIndex"]?.number } == [0, 1, 1])
        let location = results[0]["locations"]?.array?.first?["physicalLocation"]
        #expect(location?["artifactLocation"]?["uri"]?.string == "ci/design.json")
        #expect(location?["region"]?["startLine"]?.number == 3)
    }

    @Test func sarifURIsAreURIReferences() {
        #expect(SARIFReport.uri("design.json") == "design.json")
        #expect(SARIFReport.uri("./a b/é.json") == "a%20b/%C3%A9.json")
        #expect(SARIFReport.uri("/tmp/x#1.json") == "file:///tmp/x%231.json")
    }
}

/// Random and mutated design files never crash the reader, and every rejection is a located error.
@Suite struct DesignFileFuzzTests {
    static let seeds: [String] = [
        DesignCheckTests.mixed,
        workloadsJSON([#"{"name": "a", "pattern": "queue-chaining", "duration": "1h", "trigger": "event", "splittable": true, "memory": 2048}"#]),
        #"{"workloads": [{"name": "é\u00e9", "pattern": "sync", "duration": "2s", "response": "result", "throughput": "5/s", "volume": "3M/month"}]}"#,
    ]
    static let keys = ["name", "pattern", "duration", "trigger", "response", "entry", "memory", "splittable", "throughput", "volume", "workloads", "durtion", "", "\u{0}", "ü"]
    static let values = [#""4m""#, "90", "true", "null", "[]", "{}", #""sync""#, #""""#, "-1e999", "1e308", #""5/s""#, #""\ud800""#, "0.5", #""yes""#]

    /// Values each key takes, mostly valid, some not: a generated design is often accepted, so the check
    /// itself runs on what the reader lets through.
    static let table: [(key: String, values: [String])] = [
        ("duration", [#""2s""#, #""29s""#, #""4m""#, #""10m""#, #""45m""#, #""400d""#, "90", #""soon""#]),
        ("trigger", [#""request""#, #""webhook""#, #""event""#, #""schedule""#]),
        ("response", [#""result""#, #""ack""#, #""status""#, #""none""#]),
        ("entry", [#""api-gateway""#, #""http-api""#, #""alb""#, #""direct""#]),
        ("retry", [#""none""#, #""guaranteed""#]),
        ("shape", [#""single""#, #""steps""#, #""batch""#]),
        ("splittable", ["true", "false", #""yes""#]),
        ("throughput", [#""5/s""#, #""20k/s""#, #""40/h""#, "5"]),
        ("memory", ["512", #""2048""#, "64", "1e9"]),
        ("volume", [#""3M/month""#]),
    ]

    func randomDesign(_ rng: inout SeededRandom) -> String {
        let patterns = shippedRules.patterns.map(\.id) + ["sqs", "sync "]
        let workloads = (0..<Int.random(in: 1...4, using: &rng)).map { index in
            var members = [#""name": "w\#(index)""#, #""pattern": "\#(patterns.randomElement(using: &rng)!)""#]
            for (key, values) in Self.table where key == "duration" || Bool.random(using: &rng) {
                members.append(#""\#(key)": \#(values.randomElement(using: &rng)!)"#)
            }
            return "{" + members.shuffled(using: &rng).joined(separator: ", ") + "}"
        }
        return workloadsJSON(workloads)
    }

    func mutate(_ text: String, _ rng: inout SeededRandom) -> String {
        var bytes = Array(text.utf8)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
        case 1:
            for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        case 2:
            let insert = "\"\(Self.keys.randomElement(using: &rng)!)\": \(Self.values.randomElement(using: &rng)!), "
            if let brace = bytes.indices.filter({ bytes[$0] == UInt8(ascii: "{") }).randomElement(using: &rng) {
                bytes.insert(contentsOf: Array(insert.utf8), at: brace + 1)
            }
        case 3:
            if let quote = bytes.indices.filter({ bytes[$0] == UInt8(ascii: ":") }).randomElement(using: &rng) {
                bytes.insert(contentsOf: Array((" " + Self.values.randomElement(using: &rng)! + ",").utf8), at: quote + 1)
            }
        default:
            let alphabet = Array("{}[]\":,  \n0123456789truefalsnul\\workloadsnamepattern")
            bytes = Array(randomText(&rng, alphabet: alphabet, maxLength: 80).utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func mutatedDesignFilesNeverCrashAndEveryRejectionIsLocated() throws {
        var rng = SeededRandom(5)
        let check = DesignCheck(rules: shippedRules)
        var accepted = 0, rejected = 0
        for _ in 0..<6_000 {
            var text = Bool.random(using: &rng) ? randomDesign(&rng) : Self.seeds.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 0...2, using: &rng) { text = mutate(text, &rng) }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            do {
                let workloads = try design(text, path: "fuzz.json")
                accepted += 1
                #expect(!workloads.isEmpty)
                _ = try check.check(workloads)
            } catch let error as DesignFileError {
                rejected += 1
                #expect(!error.problems.isEmpty)
                for problem in error.problems {
                    #expect(problem.file == "fuzz.json" && !problem.message.isEmpty)
                    #expect(problem.location.line >= 1 && problem.location.line <= lines && problem.location.column >= 1, "\(problem) in \(text.debugDescription)")
                }
            }
        }
        #expect(accepted > 100 && rejected > 1_000, "accepted \(accepted), rejected \(rejected)")
    }
}
