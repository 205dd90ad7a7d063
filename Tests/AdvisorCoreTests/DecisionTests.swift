import Testing
@testable import AdvisorCore

let shippedRules: RuleSet = {
    do { return try RuleSet.load(.embedded) } catch { fatalError("the shipped rules do not load: \(error)") }
}()

let shippedTemplateRules: TemplateRules = {
    do { return try shippedRules.templateFindings() } catch { fatalError("the shipped template findings do not load: \(error)") }
}()

func recommend(_ flags: [String: String], rules: RuleSet = shippedRules) throws -> Recommendation {
    var raw: [String: String] = [:]
    for (flag, value) in flags {
        guard let input = rules.inputs.first(where: { $0.flag == flag }) else { throw Answers.Problem.inconsistent("no flag \(flag)", inputs: []) }
        raw[input.id] = value
    }
    return try Engine(rules: rules).recommend(try Answers.resolve(raw, rules: rules))
}

/// One SPEC §4 case: the flags given, the pattern expected, and optionally warnings/companions.
struct Case: CustomTestStringConvertible, Sendable {
    var flags: [String: String]
    var pattern: String
    var warnings: [String] = []
    var companions: [String] = []
    var testDescription: String { flags.sorted { $0.key < $1.key }.map { "--\($0.key) \($0.value)" }.joined(separator: " ") + " → \(pattern)" }
}

@Suite struct DecisionTests {
    static let cases: [Case] = [
        // Rule 1: throughput, at and around 10,000/s
        Case(flags: ["duration": "1s", "response": "result", "throughput": "10000/s"], pattern: "sync", warnings: ["concurrency"]),
        Case(flags: ["duration": "1s", "response": "result", "throughput": "10001/s"], pattern: "kinesis-stream"),
        Case(flags: ["duration": "1h", "trigger": "event", "throughput": "10001/s"], pattern: "kinesis-stream"),
        // Rule 2: schedules, at and past 15 min
        Case(flags: ["duration": "15m", "trigger": "schedule"], pattern: "eventbridge-schedule"),
        Case(flags: ["duration": "15m1s", "trigger": "schedule"], pattern: "ecs-fargate"),
        Case(flags: ["duration": "15m1s", "trigger": "schedule", "splittable": "yes"], pattern: "queue-chaining"),
        Case(flags: ["duration": "1m", "trigger": "schedule", "shape": "steps"], pattern: "step-functions-express"),
        Case(flags: ["duration": "10m", "trigger": "schedule", "shape": "batch"], pattern: "fan-out", warnings: ["item-limit"]),
        // Rule 3 vs 4: the window per front door (29 s for api-gateway, 30 s for the others); d < L is strict
        Case(flags: ["duration": "28999ms", "response": "result"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "29s", "response": "result"], pattern: "sync-continuation-token"),
        Case(flags: ["duration": "29s", "response": "result", "entry": "http-api"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "30s", "response": "result", "entry": "http-api"], pattern: "sync-continuation-token"),
        Case(flags: ["duration": "29s", "response": "result", "entry": "appsync"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "30s", "response": "result", "entry": "appsync"], pattern: "sync-continuation-token"),
        Case(flags: ["duration": "29s", "response": "result", "entry": "function-url"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "30s", "response": "result", "entry": "function-url"], pattern: "sync-continuation-token"),
        Case(flags: ["duration": "29s", "response": "result", "entry": "alb"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "30s", "response": "result", "entry": "alb"], pattern: "sync-continuation-token"),
        Case(flags: ["duration": "29s", "response": "result", "entry": "direct"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "30s", "response": "result", "entry": "direct"], pattern: "sync-continuation-token"),
        Case(flags: ["duration": "10s", "response": "status"], pattern: "sync"),
        // near-sync-limit uses ≥ 80 % of the window
        Case(flags: ["duration": "23s", "response": "result"], pattern: "sync"),
        Case(flags: ["duration": "23200ms", "response": "result"], pattern: "sync", warnings: ["near-sync-limit"]),
        // Rule 3: ack from a request → processing choice (DT-14 example 1 is async-invoke, not sync)
        Case(flags: ["duration": "5s", "response": "ack"], pattern: "async-invoke", warnings: ["no-failure-destination"]),
        Case(flags: ["duration": "5s", "response": "ack", "retry": "guaranteed"], pattern: "sqs-queue"),
        Case(flags: ["duration": "5s", "response": "ack", "shape": "steps"], pattern: "step-functions-express"),
        Case(flags: ["duration": "5s", "response": "ack", "shape": "batch"], pattern: "fan-out", warnings: ["item-limit"]),
        Case(flags: ["duration": "5s", "trigger": "event"], pattern: "async-invoke", warnings: ["no-failure-destination"]),
        // Rule 3: webhook ack against the ack deadline (≤)
        Case(flags: ["duration": "3s", "trigger": "webhook", "response": "ack"], pattern: "sync"),
        Case(flags: ["duration": "3001ms", "trigger": "webhook", "response": "ack"], pattern: "lambda-self-invoke", warnings: ["no-failure-destination"]),
        Case(flags: ["duration": "3001ms", "trigger": "webhook", "response": "ack", "retry": "guaranteed"], pattern: "sqs-queue"),
        Case(flags: ["duration": "10s", "trigger": "webhook", "response": "ack", "ack-deadline": "10s"], pattern: "sync"),
        Case(flags: ["duration": "20s", "trigger": "webhook", "response": "result"], pattern: "sync"),
        // Rule 4: L ≤ d ≤ 5 min
        Case(flags: ["duration": "5m", "response": "result"], pattern: "sync-continuation-token"),
        Case(flags: ["duration": "4m", "response": "status"], pattern: "dynamodb-stream-job"),
        Case(flags: ["duration": "4m", "response": "status", "updates": "poll"], pattern: "task-manager"),
        Case(flags: ["duration": "4m", "response": "ack"], pattern: "async-invoke", warnings: ["no-failure-destination"]),
        Case(flags: ["duration": "5m", "response": "ack", "shape": "steps"], pattern: "step-functions-express"),
        Case(flags: ["duration": "90s", "trigger": "webhook", "response": "ack"], pattern: "lambda-self-invoke", warnings: ["no-failure-destination"]),
        Case(flags: ["duration": "90s", "trigger": "webhook", "response": "result"], pattern: "lambda-self-invoke", warnings: ["no-failure-destination", "caller-cannot-wait"]),
        Case(flags: ["duration": "90s", "trigger": "webhook", "response": "ack", "retry": "guaranteed"], pattern: "sqs-queue"),
        // Rule 5: 5 min < d ≤ 15 min
        Case(flags: ["duration": "5m1s", "response": "result"], pattern: "dynamodb-stream-job", warnings: ["caller-cannot-wait"]),
        Case(flags: ["duration": "5m1s", "response": "result", "updates": "poll"], pattern: "task-manager", warnings: ["caller-cannot-wait"]),
        Case(flags: ["duration": "5m1s", "response": "ack", "shape": "steps"], pattern: "step-functions-standard"),
        Case(flags: ["duration": "15m", "response": "ack", "shape": "steps"], pattern: "step-functions-standard"),
        Case(flags: ["duration": "15m", "response": "ack"], pattern: "async-invoke", warnings: ["no-failure-destination"]),
        Case(flags: ["duration": "10m", "response": "ack", "retry": "guaranteed"], pattern: "sqs-queue"),
        Case(flags: ["duration": "10m", "trigger": "event", "shape": "steps"], pattern: "step-functions-standard"),
        Case(flags: ["duration": "15m", "trigger": "webhook", "response": "ack"], pattern: "lambda-self-invoke", warnings: ["no-failure-destination"]),
        // Rule 6: d > 15 min
        Case(flags: ["duration": "15m1s", "response": "ack", "shape": "steps"], pattern: "step-functions-standard"),
        Case(flags: ["duration": "2h", "response": "ack", "shape": "batch"], pattern: "fan-out", warnings: ["item-limit"]),
        Case(flags: ["duration": "45m", "response": "ack", "splittable": "yes"], pattern: "queue-chaining"),
        Case(flags: ["duration": "45m", "response": "ack"], pattern: "ecs-fargate"),
        Case(flags: ["duration": "45m", "response": "status"], pattern: "ecs-fargate", companions: ["dynamodb-stream-job"]),
        Case(flags: ["duration": "45m", "response": "status", "updates": "poll", "shape": "steps"], pattern: "step-functions-standard", companions: ["task-manager"]),
        Case(flags: ["duration": "45m", "response": "result"], pattern: "ecs-fargate", warnings: ["caller-cannot-wait"], companions: ["dynamodb-stream-job"]),
        Case(flags: ["duration": "45m", "trigger": "webhook", "response": "result"], pattern: "ecs-fargate", warnings: ["caller-cannot-wait"]),
        Case(flags: ["duration": "400d", "trigger": "event", "shape": "steps"], pattern: "step-functions-standard", warnings: ["longer-than-a-year"]),
        // Advisory warnings with numbers
        Case(flags: ["duration": "10m", "trigger": "event", "shape": "steps", "throughput": "301/s"], pattern: "step-functions-standard", warnings: ["start-rate"]),
        Case(flags: ["duration": "10m", "trigger": "event", "shape": "steps", "throughput": "300/s"], pattern: "step-functions-standard"),
        Case(flags: ["duration": "4m", "response": "ack", "retry": "guaranteed", "throughput": "50/s"], pattern: "sqs-queue", warnings: ["concurrency"]),
        Case(flags: ["duration": "4m", "response": "ack", "retry": "guaranteed", "throughput": "50/s", "concurrency-limit": "20000"], pattern: "sqs-queue"),
        Case(flags: ["duration": "45m", "response": "ack", "throughput": "50/s"], pattern: "ecs-fargate"),
    ]

    @Test(arguments: cases)
    func specCase(_ c: Case) throws {
        let r = try recommend(c.flags)
        #expect(r.pattern.id == c.pattern)
        #expect(Set(r.warnings.map(\.id)) == Set(c.warnings), "warnings: \(r.warnings.map(\.id))")
        #expect(r.companions.map(\.id) == c.companions)
        // Every other pattern is accounted for exactly once.
        let all = [r.pattern.id] + r.alternatives.map(\.id) + r.companions.map(\.id) + r.notChosen.map(\.id)
        #expect(all.count == shippedRules.patterns.count && Set(all).count == all.count)
        #expect(!r.path.isEmpty && r.path.allSatisfy { !$0.source.isEmpty && !$0.because.contains("{") })
    }

    @Test func concurrencyWarningSaysTheNumber() throws {
        let r = try recommend(["duration": "4m", "response": "ack", "retry": "guaranteed", "throughput": "50/s"])
        let message = try #require(r.warnings.first { $0.id == "concurrency" }?.message)
        #expect(message.contains("12,000"))
    }

    @Test func alternativesComeWithLeaves() throws {
        let sqs = try recommend(["duration": "4m", "response": "ack", "retry": "guaranteed"])
        #expect(sqs.alternatives.map(\.id).contains("async-invoke"))
        let async = try recommend(["duration": "4m", "response": "ack"])
        #expect(async.alternatives.map(\.id).contains("sqs-queue"))
        // Factor 4: 100–10,000/s lists Express
        let busy = try recommend(["duration": "4m", "response": "ack", "throughput": "200/s"])
        #expect(busy.alternatives.map(\.id).contains("step-functions-express"))
        #expect(!async.alternatives.map(\.id).contains("step-functions-express"))
        // An alternative that cannot run the workload is not offered.
        let long = try recommend(["duration": "10m", "response": "ack", "retry": "guaranteed", "throughput": "200/s"])
        #expect(!long.alternatives.map(\.id).contains("step-functions-express"))
    }

    @Test func notChosenSaysWhy() throws {
        let r = try recommend(["duration": "4m", "response": "result"])
        let sync = try #require(r.notChosen.first { $0.id == "sync" })
        #expect(sync.infeasible && sync.why.contains("29s") && sync.why.contains("4m"))
        let express = try #require(r.notChosen.first { $0.id == "step-functions-express" })
        #expect(express.why.contains("response"))
    }

    @Test func inconsistentAnswersAreRefused() {
        #expect(throws: Answers.Problem.self) { try recommend(["duration": "4m", "trigger": "webhook", "response": "status"]) }
        #expect(throws: Answers.Problem.self) { try recommend(["duration": "4m", "trigger": "event", "response": "ack"]) }
        #expect(throws: Answers.Problem.self) { try recommend(["duration": "4m", "response": "none"]) }
        #expect(throws: Answers.Problem.self) { try recommend(["duration": "4m"]) }
        #expect(throws: Answers.Problem.self) { try recommend(["response": "ack"]) }
    }

    /// As the duration grows with every other answer fixed, the answer never returns to a pattern made
    /// for a shorter window.
    @Test func neverReturnsToAShorterWindowPattern() throws {
        let tier: [String: Int] = [
            "sync": 0, "sync-continuation-token": 1, "step-functions-express": 1,
            "async-invoke": 2, "sqs-queue": 2, "lambda-self-invoke": 2, "dynamodb-stream-job": 2, "task-manager": 2,
            "fan-out": 2, "eventbridge-schedule": 2, "kinesis-stream": 2,
            "step-functions-standard": 3, "queue-chaining": 3, "ecs-fargate": 3,
        ]
        var durations: [Double] = []
        var d = 0.1
        while d <= 30 * 86_400 { durations.append(d); d *= 1.15 }
        durations += [28.999, 29, 29.999, 30, 300, 300.001, 900, 900.001, 3, 3.001]
        durations.sort()
        let engine = Engine(rules: shippedRules)
        var checked = 0
        for trigger in ["request", "webhook", "event", "schedule"] {
            let responses = trigger == "request" ? ["result", "ack", "status"] : trigger == "webhook" ? ["result", "ack"] : [nil]
            for response in responses {
                for retry in ["none", "automatic", "guaranteed"] {
                    for shape in ["single", "steps", "batch"] {
                        for splittable in ["yes", "no"] {
                            for updates in ["push", "poll"] {
                                for entry in ["api-gateway", "http-api", "function-url"] {
                                    var last = -1
                                    for duration in durations {
                                        var raw = ["duration": Duration.format(duration), "trigger": trigger, "retry": retry, "shape": shape,
                                                   "splittable": splittable, "updates": updates, "entry": entry, "throughput": "1/s"]
                                        if let response { raw["response"] = response }
                                        let r = try engine.recommend(try Answers.resolve(raw, rules: shippedRules))
                                        let t = try #require(tier[r.pattern.id])
                                        #expect(t >= last, "\(raw): \(r.pattern.id) after a tier-\(last) pattern")
                                        last = t
                                        checked += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(checked > 10_000)
    }
}
