import Testing
@testable import AdvisorCore

/// SPEC §4's durable paragraph: `--orchestrate code` turns every Step Functions leaf into lambda-durable (with the
/// Step Functions pattern as its alternative); under the default `services` nothing DT-14 answers changes, and only
/// the Step Functions leaves and queue-chaining gain lambda-durable as an alternative.
@Suite struct DurableDecisionTests {
    static let stepFunctions: Set<String> = ["step-functions-express", "step-functions-standard"]

    /// Every earlier SPEC §4 case keeps its pattern, warnings and companions under the default and under an explicit
    /// `--orchestrate services`; an alternative lambda-durable appears only where §4 puts it.
    @Test(arguments: DecisionTests.cases)
    func defaultAnswersDoNotChange(_ c: Case) throws {
        for flags in [c.flags, c.flags.merging(["orchestrate": "services"]) { $1 }] {
            let r = try recommend(flags)
            #expect(r.pattern.id == c.pattern)
            #expect(Set(r.warnings.map(\.id)) == Set(c.warnings))
            #expect(r.companions.map(\.id) == c.companions)
            if r.alternatives.map(\.id).contains("lambda-durable") {
                #expect(Self.stepFunctions.contains(r.pattern.id) || r.pattern.id == "queue-chaining", "\(flags)")
            }
            if Self.stepFunctions.contains(r.pattern.id) && c.flags["duration"] != "400d" {
                #expect(r.alternatives.map(\.id).contains("lambda-durable"), "\(flags): \(r.alternatives.map(\.id))")
            }
        }
    }

    /// Under `--orchestrate code` the same cases give lambda-durable exactly where they gave Step Functions, with
    /// that Step Functions pattern as the alternative; every other answer is unchanged.
    @Test(arguments: DecisionTests.cases)
    func codeReplacesOnlyTheStepFunctionsLeaves(_ c: Case) throws {
        let r = try recommend(c.flags.merging(["orchestrate": "code"]) { $1 })
        if Self.stepFunctions.contains(c.pattern) {
            #expect(r.pattern.id == "lambda-durable")
            // The Step Functions pattern is the alternative wherever it can run the workload (not past a year).
            if c.flags["duration"] != "400d" { #expect(r.alternatives.first?.id == c.pattern) }
        } else {
            #expect(r.pattern.id == c.pattern)
        }
    }

    @Test func threeMinutesOfCodeStepsIsDurableWithExpressAsAlternative() throws {
        let r = try recommend(["duration": "3m", "trigger": "event", "shape": "steps", "orchestrate": "code"])
        #expect(r.pattern.id == "lambda-durable")
        #expect(r.alternatives.map(\.id) == ["step-functions-express"])
        // No durable-start within 15 min; a durable function needs a dead-letter queue (SPEC §4, version 2).
        #expect(r.warnings.map(\.id) == ["no-failure-destination"], "\(r.warnings.map(\.id))")
        #expect(r.path.contains { $0.because.contains("your own code") })
        let services = try recommend(["duration": "3m", "trigger": "event", "shape": "steps"])
        #expect(services.pattern.id == "step-functions-express")
        #expect(services.alternatives.map(\.id).contains("lambda-durable"))
    }

    @Test func twoHoursOfCodeStepsIsDurableAndMustStartAsynchronously() throws {
        let r = try recommend(["duration": "2h", "response": "ack", "shape": "steps", "orchestrate": "code"])
        #expect(r.pattern.id == "lambda-durable")
        #expect(r.alternatives.map(\.id) == ["step-functions-standard", "ecs-fargate"])
        let warning = try #require(r.warnings.first { $0.id == "durable-start" })
        #expect(warning.message.contains("2h") && warning.message.contains("InvocationType Event") && warning.message.contains("15 minutes"))
        let services = try recommend(["duration": "2h", "response": "ack", "shape": "steps"])
        #expect(services.pattern.id == "step-functions-standard")
        #expect(services.alternatives.map(\.id).contains("lambda-durable"))
        #expect(!services.warnings.map(\.id).contains("durable-start"), "durable-start only when lambda-durable is the recommendation")
    }

    /// Version 2, rule 7: past a year no workflow or durable execution runs the task, so the one pattern
    /// without a duration cap answers, with `longer-than-a-year`; the durable function cannot run it.
    @Test func pastAYearNoWorkflowRunsIt() throws {
        let r = try recommend(["duration": "400d", "trigger": "event", "shape": "steps", "orchestrate": "code"])
        #expect(r.pattern.id == "ecs-fargate")
        #expect(r.warnings.map(\.id) == ["longer-than-a-year"])
        #expect(!r.alternatives.map(\.id).contains("step-functions-standard"), "Standard cannot run 400 days either")
        let durable = try #require(r.notChosen.first { $0.id == "lambda-durable" })
        #expect(durable.infeasible && durable.why.contains("366 days"))
        #expect(Engine(rules: shippedRules).violations(of: "lambda-durable", try Answers.resolve(["duration": "400d", "trigger": "event"], rules: shippedRules).scope(rules: shippedRules)).map(\.id) == ["exceeds-max-duration"])
    }

    /// A week-long approval that computes 30 s: concurrency from the active time (SPEC §4), not 6,048,000.
    @Test func waitsHoldNoConcurrency() throws {
        let r = try recommend(["duration": "7d", "response": "ack", "shape": "steps", "orchestrate": "code", "active-duration": "30s",
                               "throughput": "10/s", "volume": "1M/month"])
        #expect(r.pattern.id == "lambda-durable")
        #expect(Set(r.warnings.map(\.id)) == ["durable-running-executions", "durable-start", "no-failure-destination"])
        let running = try #require(r.warnings.first { $0.id == "durable-running-executions" })
        #expect(running.message.contains("6,048,000") && running.message.contains("10,000,000"))
        let busier = try recommend(["duration": "7d", "response": "ack", "shape": "steps", "orchestrate": "code", "active-duration": "5m",
                                    "throughput": "10/s", "volume": "1M/month"])
        let concurrency = try #require(busier.warnings.first { $0.id == "concurrency" })
        #expect(concurrency.message.contains("3,000") && concurrency.message.contains("6 h"))
    }

    @Test func queueChainingListsDurable() throws {
        let r = try recommend(["duration": "2h", "trigger": "event", "splittable": "yes"])
        #expect(r.pattern.id == "queue-chaining")
        #expect(r.alternatives.map(\.id).contains("lambda-durable"))
    }

    /// The questionnaire asks --orchestrate only where the work has steps.
    @Test func orchestrateIsAskedOnlyOnStepsPaths() throws {
        let questionnaire = Questionnaire(rules: shippedRules)
        func asked(_ given: [String: String]) -> [String] {
            var answers: Questionnaire.Given = given.mapValues { Optional($0) }
            var order: [String] = []
            while let next = questionnaire.next(answers) {
                order.append(next.id)
                answers[next.id] = .some(nil)
            }
            return order
        }
        #expect(asked(["duration": "2h", "trigger": "event", "shape": "steps"]).contains("orchestrate"))
        #expect(asked(["duration": "3m", "trigger": "request", "response": "ack", "shape": "steps"]).contains("orchestrate"))
        #expect(!asked(["duration": "2h", "trigger": "event", "shape": "single"]).contains("orchestrate"))
        #expect(!asked(["duration": "3m", "trigger": "request", "response": "ack", "shape": "batch"]).contains("orchestrate"))
        #expect(!asked(["duration": "10s", "trigger": "request", "response": "result", "shape": "steps"]).contains("orchestrate"))
    }
}
