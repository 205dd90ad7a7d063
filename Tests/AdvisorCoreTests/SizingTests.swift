import Testing
@testable import AdvisorCore

/// SPEC §9: the numbers a workload gives its project (rules/scaffolds/sizing.json), in-process.
@Suite struct SizingTests {
    let sizing: Scaffold.SizingRules
    let findings: TemplateRules

    init() throws {
        sizing = try Scaffold.SizingRules.load(shippedRules.files)
        findings = try shippedRules.templateFindings()
    }

    func size(_ pattern: String, _ raw: [String: String]) throws -> Scaffold.Sizing {
        let workload = try Scaffold.Workload.resolve(name: "w", pattern: pattern, raw: raw, rules: shippedRules)
        return Scaffold.Sizing.of(workload, rules: shippedRules, sizing: sizing, findings: findings)
    }

    func queue(_ duration: String, _ extra: [String: String] = [:]) throws -> Scaffold.Sizing {
        try size("sqs-queue", ["duration": duration, "response": "ack", "retry": "guaranteed"].merging(extra) { $1 })
    }

    @Test(arguments: [("10s", 15), ("50s", 55), ("100s", 110), ("180s", 198), ("2m", 132), ("14m", 900), ("850s", 900)])
    func timeoutHasHeadroomWithinTheLambdaCap(_ duration: String, _ timeout: Int) throws {
        #expect(try queue(duration).timeout == timeout)
    }

    @Test func queuesAreSizedFromTheConsumersTimeout() throws {
        let short = try queue("20s")
        #expect(short.batchSize == 10 && short.batchingWindow == 5)
        #expect(short.visibilityTimeout == 6 * 25 + 5)
        let long = try queue("1m")
        #expect(long.batchSize == 1 && long.batchingWindow == 0, "a task of a minute or more is read one at a time")
        #expect(long.visibilityTimeout == 6 * 66)
        #expect(long.deadLetterRetention > long.queueRetention)
        #expect(long.leaseSeconds >= long.timeout)
    }

    @Test func concurrencyIsTheEnginesFigureWithinTheLimitsOfEachSetting() throws {
        // 5/s × 120 s = 600.
        let images = try queue("2m", ["throughput": "5/s"])
        #expect(images.needed == 600 && images.mappingConcurrency == 600)
        #expect(images.mappingNote == "5/s × 2m = 600 concurrent (async-advisor decision rules § 11)")
        // 50/s × 120 s = 6,000: above what MaximumConcurrency takes.
        let big = try queue("2m", ["throughput": "50/s", "concurrencyLimit": "10000"])
        #expect(big.needed == 6000 && big.mappingConcurrency == 1000)
        #expect(big.mappingNote.hasSuffix(", capped at 1000 (the most MaximumConcurrency takes)"))
        // The account's limit caps the mapping; reserved concurrency leaves 100 unreserved.
        let account = try queue("2m", ["throughput": "5/s", "concurrencyLimit": "400"])
        #expect(account.mappingConcurrency == 400 && account.reservedConcurrency == 300)
        #expect(account.reservedNote.contains("capped at 300 (--concurrency-limit 400 less the 100 Lambda keeps unreserved)"))
        // Below the floor of 2; and an account with nothing to reserve.
        let tiny = try queue("1s", ["throughput": "1/h", "concurrencyLimit": "100"])
        #expect(tiny.needed == 1 && tiny.mappingConcurrency == 2 && tiny.reservedConcurrency == nil)
        // Workflow patterns count their active time only (SPEC §4).
        let workflow = try size("step-functions-standard", ["duration": "3d", "response": "ack", "shape": "steps", "activeDuration": "2m", "throughput": "1/s"])
        #expect(workflow.needed == 120 && workflow.timeout == 132)
    }

    @Test(arguments: [("1/day", "rate(1 day)"), ("24/day", "rate(1 hour)"), ("2/h", "rate(30 minutes)"), ("1/min", "rate(1 minute)"),
                      ("5/s", "rate(1 minute)"), ("3/day", "rate(8 hours)")])
    func aScheduleRunsAtTheThroughputsCadence(_ throughput: String, _ expression: String) throws {
        #expect(try size("eventbridge-schedule", ["duration": "5m", "trigger": "schedule", "throughput": throughput]).scheduleExpression == expression)
    }

    @Test func anAnswerInTheRequestStaysWithinItsDoor() throws {
        let rest = try size("sync", ["duration": "27s", "response": "result"])
        #expect(rest.timeout == 29 && rest.doorWindow == 29)
        let alb = try size("sync", ["duration": "40s", "response": "result", "entry": "alb"])
        #expect(alb.timeout == 45 && alb.doorWindow == 60)
        let stream = try size("sync-stream", ["duration": "14m", "response": "result", "stream": "yes"])
        #expect(stream.timeout == 900)
    }

    @Test func architecturesAreSpelledAsLambdaSpellsThem() throws {
        #expect(try queue("2m").architecture == "x86_64")
        #expect(try queue("2m", ["arch": "arm64"]).architecture == "arm64")
        #expect(try queue("2m", ["memory": "2GB"]).memory == 2048)
    }

    /// Property: whatever the workload, a single-invocation pattern's timeout holds the task with headroom up to
    /// the cap, never passes 900 s, and its queue's visibility is at least 6 × the timeout + the window.
    @Test func everySizingKeepsTheRulesInvariants() throws {
        var rng = SeededRandom(17)
        for _ in 0..<300 {
            let seconds = Double.random(in: 0.01...900, using: &rng)
            let duration = String(format: "%.0fms", seconds * 1000)
            let rate = Int.random(in: 1...5000, using: &rng)
            let limit = Int.random(in: 1...20000, using: &rng)
            let sized = try queue(duration, ["throughput": "\(rate)/min", "concurrencyLimit": String(limit)])
            let d = (seconds * 1000).rounded() / 1000
            #expect(Double(sized.timeout) >= min(900, d), "\(duration)")
            #expect(sized.timeout <= 900)
            #expect(Double(sized.timeout) >= min(900, d + 5) || sized.timeout == 900, "\(duration)")
            #expect(sized.visibilityTimeout >= 6 * sized.timeout + sized.batchingWindow)
            #expect((d >= 60) == (sized.batchSize == 1))
            #expect(sized.mappingConcurrency >= 2 && sized.mappingConcurrency <= 1000 && (sized.mappingConcurrency <= limit || limit < 2))
            if let reserved = sized.reservedConcurrency { #expect(reserved >= 1 && reserved <= limit - 100) } else { #expect(limit <= 100) }
            #expect(sized.needed == max(1, Int((Double(rate) / 60 * d).rounded(.up))) || abs(Double(sized.needed) - Double(rate) / 60 * d) <= 1)
        }
    }
}

/// What a scaffold's design file acknowledges (the warnings its template answers) is a note, never a
/// warning; a hard limit is still an error.
@Suite struct DesignAcknowledgeOfScaffoldsTests {
    @Test func anAcknowledgedWarningIsANoteAndErrorsStillAre() throws {
        let acknowledge = #""acknowledge": [{"id": "no-failure-destination", "reason": "this project's template.yaml answers it"}]"#
        let workloads = try design(workloadsJSON([
            #"{"name": "a", "pattern": "async-invoke", "duration": "10m", "response": "ack"}"#,
            #"{"name": "b", "pattern": "async-invoke", "duration": "10m", "response": "ack", "# + acknowledge + "}",
            #"{"name": "c", "pattern": "async-invoke", "duration": "20m", "response": "ack", "# + acknowledge + "}",
        ]))
        let check = DesignCheck(rules: shippedRules)
        #expect(try check.check(workloads[0]).findings.map(\.id) == ["no-failure-destination"])
        let acknowledged = try check.check(workloads[1]).findings
        #expect(acknowledged.map(\.id) == ["no-failure-destination"] && acknowledged.allSatisfy { $0.severity == .note })
        #expect(try check.check(workloads[2]).status == .error, "a hard limit is never acknowledged away")
    }
}

/// Every scaffold renders its design file for its sample workload; its refusals name the door and trigger.
@Suite struct ScaffoldWorkloadTests {
    @Test func eachSampleWorkloadMakesItsProjectAndTheDesignNamesTheTaskFunction() throws {
        for pattern in shippedRules.patterns {
            let manifest = try Scaffold.manifest(pattern.id, files: shippedRules.files)
            let sample = try Scaffold.Workload.sample(of: manifest, name: pattern.id, rules: shippedRules)
            #expect(Scaffold.refusals(sample, manifest: manifest, rules: shippedRules).isEmpty, "\(pattern.id)")
            let files = try Scaffold.render(pattern.id, language: "python", name: pattern.id, rules: shippedRules, version: "0", only: Scaffold.designFileName)
            let text = try #require(files.first?.contents)
            let workloads = try design(text)
            #expect(workloads.count == 1 && workloads[0].pattern == pattern.id && workloads[0].function == manifest.task, "\(pattern.id)")
        }
    }

    /// `recommend` renders only the main handler, without sizing when the handler reads no sizing variable
    /// (the trigger's booleans are known before sizing): what it previews is the main file the project writes,
    /// for every pattern, language and trigger its scaffold has.
    @Test func theOneFileRenderIsTheMainFileOfTheProject() throws {
        var compared = 0
        for pattern in shippedRules.patterns {
            let manifest = try Scaffold.manifest(pattern.id, files: shippedRules.files)
            for trigger in manifest.triggers {
                var raw = Dictionary(uniqueKeysWithValues: manifest.workload.map { ($0.key, $0.value) })
                raw["trigger"] = trigger
                if trigger == "event" || trigger == "schedule" { raw["response"] = nil } else if raw["response"] == nil { raw["response"] = "ack" }
                if trigger == "webhook" { raw["sender"] = "github" }
                guard let workload = try? Scaffold.Workload.resolve(name: "w", pattern: pattern.id, raw: raw, rules: shippedRules),
                      Scaffold.refusals(workload, manifest: manifest, rules: shippedRules).isEmpty else { continue }
                for language in Scaffold.languages {
                    let main = try #require(manifest.main[language])
                    let whole = try Scaffold.render(pattern.id, language: language, name: "w", rules: shippedRules, version: "0", workload: workload)
                    let one = try Scaffold.render(pattern.id, language: language, name: "w", rules: shippedRules, version: "0", workload: workload, only: main)
                    #expect(one.map(\.path) == [main] && one.first?.contents == whole.first { $0.path == main }?.contents, "\(pattern.id) \(language) \(trigger)")
                    compared += 1
                }
            }
        }
        #expect(compared >= 60, "\(compared) renders compared")
    }

    /// A manifest's `when` leaves the pattern's own files out when none of their booleans holds: an S3 event
    /// starts async-invoke's worker, so its project has no API function, in the files listed and those written.
    @Test func ownFilesAreWrittenOnlyWhenTheirTriggerHolds() throws {
        let manifest = try Scaffold.manifest("async-invoke", files: shippedRules.files)
        for (language, apiTest) in [("python", "tests/test_api.py"), ("typescript", "tests/api.test.ts")] {
            let event = try Scaffold.Workload.resolve(name: "w", pattern: "async-invoke", raw: ["duration": "5m", "trigger": "event"], rules: shippedRules)
            let written = try Scaffold.render("async-invoke", language: language, name: "w", rules: shippedRules, version: "0", workload: event).map(\.path)
            let listed = try Scaffold.paths("async-invoke", language: language, name: "w", rules: shippedRules, version: "0", manifest: manifest, workload: event)
            #expect(written == listed, "\(language): the listing is what is written")
            #expect(!written.contains { $0.hasPrefix("src/api/") || $0 == apiTest || $0.hasPrefix("events/api-") }, "\(written)")
            #expect(written.contains { $0.hasPrefix("src/worker/") })
            let request = try Scaffold.render("async-invoke", language: language, name: "w", rules: shippedRules, version: "0").map(\.path)
            #expect(request.contains { $0.hasPrefix("src/api/") } && request.contains(apiTest), "\(request)")
        }
    }

    @Test func aDoorOrTriggerTheTemplateDoesNotCreateIsRefused() throws {
        let manifest = try Scaffold.manifest("sync", files: shippedRules.files)
        let appsync = try Scaffold.Workload.resolve(name: "w", pattern: "sync", raw: ["duration": "5s", "response": "result", "entry": "appsync"], rules: shippedRules)
        #expect(Scaffold.refusals(appsync, manifest: manifest, rules: shippedRules) == [
            "its scaffold's front door is --entry api-gateway or --entry http-api or --entry function-url or --entry alb, not --entry appsync."])
        let scheduleManifest = try Scaffold.manifest("eventbridge-schedule", files: shippedRules.files)
        let long = try Scaffold.Workload.resolve(name: "w", pattern: "eventbridge-schedule", raw: ["duration": "20m", "trigger": "schedule"], rules: shippedRules)
        let refusals = Scaffold.refusals(long, manifest: scheduleManifest, rules: shippedRules)
        #expect(refusals.count == 1 && refusals[0].contains("15 min"), "\(refusals)")
    }
}
