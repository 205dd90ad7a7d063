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
    // SPEC version 2, §4: each rule at and around its bounds. Expected answers are worked out from the contract,
    // not read off the binary.
    static let cases: [Case] = [
        // Rule 1: only when nobody waits, r > 10,000/s strictly, d ≤ 15 min, shape single
        Case(flags: ["duration": "1s", "response": "result", "throughput": "10000/s", "volume": "1M/month"], pattern: "sync", warnings: ["concurrency"]),
        Case(flags: ["duration": "1s", "response": "result", "throughput": "10001/s", "volume": "1M/month"], pattern: "sync", warnings: ["concurrency", "door-throttle"]),
        Case(flags: ["duration": "1s", "response": "ack", "throughput": "10001/s", "volume": "1M/month"], pattern: "kinesis-stream", warnings: ["concurrency", "door-throttle", "stream-capacity"]),
        Case(flags: ["duration": "1s", "response": "ack", "throughput": "10000/s", "volume": "1M/month"], pattern: "async-invoke", warnings: ["concurrency", "no-failure-destination"]),
        Case(flags: ["duration": "10m", "trigger": "event", "throughput": "10001/s", "volume": "1M/month"], pattern: "kinesis-stream", warnings: ["concurrency", "stream-capacity"]),
        Case(flags: ["duration": "1h", "trigger": "event", "throughput": "10001/s", "volume": "1M/month"], pattern: "ecs-fargate", warnings: ["fargate-launch-rate"]),
        Case(flags: ["duration": "1s", "trigger": "event", "shape": "batch", "throughput": "10001/s", "volume": "1M/month"], pattern: "fan-out", warnings: ["concurrency", "item-limit", "no-failure-destination"]),
        Case(flags: ["duration": "1s", "trigger": "webhook", "response": "ack", "throughput": "10001/s", "volume": "1M/month"], pattern: "kinesis-stream", warnings: ["concurrency", "door-throttle", "stream-capacity"]),
        // Rule 2: schedules, at and past 15 min; quotas are warnings
        Case(flags: ["duration": "15m", "trigger": "schedule"], pattern: "eventbridge-schedule", warnings: ["near-lambda-limit", "no-failure-destination"]),
        Case(flags: ["duration": "15m1s", "trigger": "schedule"], pattern: "ecs-fargate"),
        Case(flags: ["duration": "15m1s", "trigger": "schedule", "splittable": "yes"], pattern: "queue-chaining"),
        Case(flags: ["duration": "1m", "trigger": "schedule", "shape": "steps"], pattern: "step-functions-express"),
        Case(flags: ["duration": "10m", "trigger": "schedule", "shape": "batch"], pattern: "fan-out", warnings: ["item-limit", "no-failure-destination"]),
        Case(flags: ["duration": "10m", "trigger": "schedule", "throughput": "2k/s"], pattern: "eventbridge-schedule", warnings: ["above-throughput", "concurrency", "no-failure-destination"]),
        // Rule 4: the window of each door (L₀); "fits" is strict
        Case(flags: ["duration": "28999ms", "response": "result"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "29s", "response": "result"], pattern: "dynamodb-stream-job", warnings: ["caller-cannot-wait"]),
        Case(flags: ["duration": "29s", "response": "result", "splittable": "yes"], pattern: "sync-continuation-token"),
        Case(flags: ["duration": "29s", "response": "result", "entry": "http-api"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "30s", "response": "result", "entry": "http-api"], pattern: "dynamodb-stream-job", warnings: ["caller-cannot-wait"]),
        Case(flags: ["duration": "29s", "response": "result", "entry": "appsync"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "30s", "response": "result", "entry": "appsync", "updates": "poll"], pattern: "task-manager", warnings: ["caller-cannot-wait"]),
        Case(flags: ["duration": "45s", "response": "result", "entry": "function-url"], pattern: "sync"),
        Case(flags: ["duration": "14m59s", "response": "result", "entry": "function-url"], pattern: "sync", warnings: ["near-sync-limit", "near-lambda-limit"]),
        Case(flags: ["duration": "15m", "response": "result", "entry": "function-url"], pattern: "dynamodb-stream-job", warnings: ["caller-cannot-wait", "near-lambda-limit"]),
        Case(flags: ["duration": "59s", "response": "result", "entry": "alb"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "60s", "response": "result", "entry": "alb"], pattern: "dynamodb-stream-job", warnings: ["caller-cannot-wait"]),
        Case(flags: ["duration": "4m", "response": "result", "entry": "alb", "door-timeout": "300s"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "14m", "response": "result", "entry": "alb", "door-timeout": "4000s"], pattern: "sync", warnings: ["near-sync-limit", "near-lambda-limit"]),
        Case(flags: ["duration": "4m", "response": "result", "door-timeout": "300s"], pattern: "sync", warnings: ["near-sync-limit"]),
        Case(flags: ["duration": "10m", "response": "result", "entry": "direct"], pattern: "sync"),
        Case(flags: ["duration": "10s", "response": "status"], pattern: "sync"),
        Case(flags: ["duration": "23s", "response": "result"], pattern: "sync"),
        Case(flags: ["duration": "23200ms", "response": "result"], pattern: "sync", warnings: ["near-sync-limit"]),
        // Rule 4: streaming (Lₛ) wins whenever the client reads a stream, even when the answer would fit
        Case(flags: ["duration": "45s", "response": "result", "stream": "yes"], pattern: "sync-stream"),
        Case(flags: ["duration": "10s", "response": "result", "stream": "yes"], pattern: "sync-stream"),
        Case(flags: ["duration": "13m", "response": "result", "stream": "yes", "entry": "function-url"], pattern: "sync-stream", warnings: ["near-sync-limit", "near-lambda-limit"]),
        Case(flags: ["duration": "15m", "response": "result", "stream": "yes"], pattern: "dynamodb-stream-job", warnings: ["caller-cannot-wait", "near-lambda-limit"]),
        Case(flags: ["duration": "45s", "response": "result", "stream": "yes", "entry": "http-api"], pattern: "dynamodb-stream-job", warnings: ["caller-cannot-wait", "door-cannot-stream"]),
        Case(flags: ["duration": "20s", "response": "result", "stream": "yes", "entry": "alb"], pattern: "sync", warnings: ["door-cannot-stream"]),
        // Rule 4 then 5: d ≤ 5 min and splittable → continuation tokens; otherwise a job
        Case(flags: ["duration": "5m", "response": "result"], pattern: "dynamodb-stream-job", warnings: ["caller-cannot-wait"]),
        Case(flags: ["duration": "5m", "response": "result", "splittable": "yes"], pattern: "sync-continuation-token"),
        Case(flags: ["duration": "5m1s", "response": "result", "splittable": "yes", "updates": "poll"], pattern: "task-manager", warnings: ["caller-cannot-wait"]),
        // Rule 3: webhooks against min(ack deadline, window); a late or guaranteed result is acked
        Case(flags: ["duration": "1s", "trigger": "webhook", "response": "result"], pattern: "sync"),
        Case(flags: ["duration": "2500ms", "trigger": "webhook", "response": "result"], pattern: "sync", warnings: ["near-ack-deadline"]),
        Case(flags: ["duration": "3s", "trigger": "webhook", "response": "result"], pattern: "lambda-self-invoke", warnings: ["caller-cannot-wait", "no-failure-destination"]),
        Case(flags: ["duration": "20s", "trigger": "webhook", "response": "result", "sender": "slack-command"], pattern: "lambda-self-invoke", warnings: ["caller-cannot-wait", "no-failure-destination"]),
        Case(flags: ["duration": "1s", "trigger": "webhook", "response": "result", "retry": "guaranteed"], pattern: "sqs-queue", warnings: ["caller-cannot-wait"]),
        Case(flags: ["duration": "2999ms", "trigger": "webhook", "response": "ack"], pattern: "sync", warnings: ["near-ack-deadline"]),
        Case(flags: ["duration": "3s", "trigger": "webhook", "response": "ack"], pattern: "lambda-self-invoke", warnings: ["no-failure-destination"]),
        Case(flags: ["duration": "1s", "trigger": "webhook", "response": "ack", "retry": "guaranteed"], pattern: "sqs-queue"),
        Case(flags: ["duration": "9s", "trigger": "webhook", "response": "ack", "sender": "github"], pattern: "sync", warnings: ["near-ack-deadline"]),
        Case(flags: ["duration": "1s", "trigger": "webhook", "response": "ack", "shape": "steps"], pattern: "sync"),
        Case(flags: ["duration": "4m", "trigger": "webhook", "response": "ack", "shape": "steps"], pattern: "step-functions-express"),
        Case(flags: ["duration": "20m", "trigger": "webhook", "response": "ack", "shape": "batch"], pattern: "distributed-map"),
        Case(flags: ["duration": "90s", "trigger": "webhook", "response": "ack"], pattern: "lambda-self-invoke", warnings: ["no-failure-destination"]),
        Case(flags: ["duration": "45m", "trigger": "webhook", "response": "result"], pattern: "ecs-fargate", warnings: ["caller-cannot-wait"]),
        // Rule 6: acknowledged work and events up to 15 min take the processing choice
        Case(flags: ["duration": "5s", "response": "ack"], pattern: "async-invoke", warnings: ["no-failure-destination"]),
        Case(flags: ["duration": "5s", "response": "ack", "retry": "guaranteed"], pattern: "sqs-queue"),
        Case(flags: ["duration": "5s", "response": "ack", "shape": "steps"], pattern: "step-functions-express"),
        Case(flags: ["duration": "5s", "response": "ack", "shape": "batch"], pattern: "fan-out", warnings: ["item-limit", "no-failure-destination"]),
        Case(flags: ["duration": "5s", "response": "ack", "shape": "batch", "batch-items": "1000"], pattern: "fan-out", warnings: ["item-limit", "no-failure-destination"]),
        Case(flags: ["duration": "5s", "response": "ack", "shape": "batch", "batch-items": "1001"], pattern: "distributed-map"),
        Case(flags: ["duration": "5s", "trigger": "event"], pattern: "async-invoke", warnings: ["no-failure-destination"]),
        Case(flags: ["duration": "5s", "trigger": "event", "retry": "none"], pattern: "async-invoke"),
        Case(flags: ["duration": "5m", "response": "ack", "shape": "steps"], pattern: "step-functions-express"),
        Case(flags: ["duration": "5m1s", "response": "ack", "shape": "steps"], pattern: "step-functions-standard"),
        Case(flags: ["duration": "15m", "response": "ack", "shape": "steps"], pattern: "step-functions-standard"),
        Case(flags: ["duration": "11m59s", "response": "ack"], pattern: "async-invoke", warnings: ["no-failure-destination"]),
        Case(flags: ["duration": "12m", "response": "ack"], pattern: "async-invoke", warnings: ["near-lambda-limit", "no-failure-destination"]),
        Case(flags: ["duration": "10m", "response": "ack", "retry": "guaranteed"], pattern: "sqs-queue"),
        Case(flags: ["duration": "10m", "trigger": "event", "shape": "steps"], pattern: "step-functions-standard"),
        Case(flags: ["duration": "15m", "trigger": "webhook", "response": "ack"], pattern: "lambda-self-invoke", warnings: ["near-lambda-limit", "no-failure-destination"]),
        // Rule 5: a person watches progress; steps, batches and long work keep the job pattern as a companion
        Case(flags: ["duration": "4m", "response": "status"], pattern: "dynamodb-stream-job"),
        Case(flags: ["duration": "4m", "response": "status", "updates": "poll"], pattern: "task-manager"),
        Case(flags: ["duration": "4m", "response": "status", "shape": "steps"], pattern: "step-functions-express", companions: ["dynamodb-stream-job"]),
        Case(flags: ["duration": "4m", "response": "status", "shape": "batch", "updates": "poll"], pattern: "fan-out", warnings: ["item-limit", "no-failure-destination"], companions: ["task-manager"]),
        Case(flags: ["duration": "45m", "response": "status"], pattern: "ecs-fargate", companions: ["dynamodb-stream-job"]),
        Case(flags: ["duration": "45m", "response": "status", "updates": "poll", "shape": "steps"], pattern: "step-functions-standard", companions: ["task-manager"]),
        // Rule 7: past 15 min, past a year
        Case(flags: ["duration": "15m1s", "response": "ack", "shape": "steps"], pattern: "step-functions-standard"),
        Case(flags: ["duration": "2h", "response": "ack", "shape": "batch"], pattern: "distributed-map"),
        Case(flags: ["duration": "45m", "response": "ack", "splittable": "yes"], pattern: "queue-chaining"),
        Case(flags: ["duration": "45m", "response": "ack"], pattern: "ecs-fargate"),
        Case(flags: ["duration": "45m", "response": "result"], pattern: "ecs-fargate", warnings: ["caller-cannot-wait"], companions: ["dynamodb-stream-job"]),
        Case(flags: ["duration": "400d", "trigger": "event", "shape": "steps"], pattern: "ecs-fargate", warnings: ["longer-than-a-year"]),
        Case(flags: ["duration": "400d", "response": "ack"], pattern: "ecs-fargate", warnings: ["longer-than-a-year"]),
        // Advisory warnings with numbers; concurrency from active time for workflows
        Case(flags: ["duration": "10m", "trigger": "event", "shape": "steps", "throughput": "301/s", "volume": "1M/month"], pattern: "step-functions-standard", warnings: ["concurrency", "start-rate"]),
        Case(flags: ["duration": "10m", "trigger": "event", "shape": "steps", "throughput": "300/s", "volume": "1M/month", "active-duration": "2s"], pattern: "step-functions-standard"),
        Case(flags: ["duration": "4m", "response": "ack", "retry": "guaranteed", "throughput": "50/s"], pattern: "sqs-queue", warnings: ["concurrency", "volume-mismatch"]),
        Case(flags: ["duration": "4m", "response": "ack", "retry": "guaranteed", "throughput": "50/s", "volume": "3M/month", "concurrency-limit": "20000"], pattern: "sqs-queue"),
        Case(flags: ["duration": "45m", "response": "ack", "throughput": "50/s", "volume": "3M/month"], pattern: "ecs-fargate", warnings: ["fargate-launch-rate"]),
        Case(flags: ["duration": "4m", "response": "status", "throughput": "1/s"], pattern: "dynamodb-stream-job", warnings: ["stream-parallelism"]),
        Case(flags: ["duration": "5s", "response": "ack", "throughput": "10/s"], pattern: "async-invoke", warnings: ["no-failure-destination", "volume-mismatch"]),
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
        // Version 2 drops version 1's "100–10,000/s → Express" alternative for a single task: wrapping one
        // invocation in an Express workflow changes nothing about its capacity.
        let busy = try recommend(["duration": "4m", "response": "ack", "throughput": "200/s", "volume": "1M/month"])
        #expect(!busy.alternatives.map(\.id).contains("step-functions-express"))
        // An alternative that cannot run the workload is not offered: a 20 s answer that fits a function URL
        // is sync, and sync-stream is never an alternative of a sync that fits.
        let fits = try recommend(["duration": "20s", "response": "result"])
        #expect(fits.alternatives.isEmpty)
        // A result that does not fit, at a door that can stream: sync-stream "if the client can read a stream".
        let late = try recommend(["duration": "2m", "response": "result"])
        #expect(late.alternatives.map(\.id) == ["task-manager", "sync-stream"])
        let http = try recommend(["duration": "2m", "response": "result", "entry": "http-api"])
        #expect(!http.alternatives.map(\.id).contains("sync-stream"))
    }

    @Test func notChosenSaysWhy() throws {
        let r = try recommend(["duration": "4m", "response": "result"])
        let sync = try #require(r.notChosen.first { $0.id == "sync" })
        #expect(sync.infeasible && sync.why.contains("29s") && sync.why.contains("4m"))
        let express = try #require(r.notChosen.first { $0.id == "step-functions-express" })
        #expect(express.why.hasPrefix("would be chosen with `--shape steps`"))
        #expect(express.wouldBeChosenWith?.map(\.id) == ["shape"] && express.wouldBeChosenWith?.first?.text == "steps")
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
            "sync": 0, "sync-continuation-token": 1, "step-functions-express": 1, "sync-stream": 1, "distributed-map": 3,
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
                                        let r = try engine.recommend(try Answers.resolve(raw, rules: shippedRules), detail: .verdict)
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
