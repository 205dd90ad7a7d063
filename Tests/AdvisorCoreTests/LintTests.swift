import Foundation
import Testing
@testable import AdvisorCore

/// `rules lint` on the shipped rules and on deliberately broken copies of them.
@Suite struct LintTests {
    static let rulesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules").path

    /// A scratch copy of rules/ with one file changed.
    func brokenCopy(_ file: String, _ change: (String) -> String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Self.rulesFolder, toPath: folder)
        let path = folder + "/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let changed = change(text)
        #expect(changed != text, "the change to \(file) did not apply")
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        return folder
    }

    @Test func shippedRulesAreClean() {
        let report = RuleLint.run(.embedded)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.combinations > 1000)
        #expect(report.nodesReached == shippedRules.tree.nodeOrder.count)
        #expect(report.leavesReached == shippedRules.tree.leafOrder.count)
    }

    @Test func repositoryRulesMatchTheEmbeddedOnes() {
        let report = RuleLint.run(.directory(Self.rulesFolder))
        #expect(report.problems.isEmpty, "\(report.problems)")
    }

    @Test func invalidJSONNamesFileLineAndColumn() throws {
        let folder = try brokenCopy("tree.json") { $0.replacingOccurrences(of: "\"root\": \"trigger\",", with: "\"root\": \"trigger\",,") }
        let problems = RuleLint.run(.directory(folder)).problems
        let problem = try #require(problems.first)
        #expect(problem.file == "tree.json" && problem.location?.line == 3 && problem.message.contains("invalid JSON"), "\(problems)")
    }

    @Test func unknownPatternIdInTheTree() throws {
        let folder = try brokenCopy("tree.json") { $0.replacingOccurrences(of: "\"pattern\": \"kinesis-stream\"", with: "\"pattern\": \"kinesis-streem\"") }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "tree.json" && $0.message.contains("unknown pattern id 'kinesis-streem'") && $0.location != nil }, "\(problems)")
    }

    @Test func gapBetweenDurationRanges() throws {
        let folder = try brokenCopy("tree.json") { $0.replacingOccurrences(of: "\"(5m, inf)\"", with: "\"(6m, inf)\"") }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.message.contains("gap") && $0.message.contains("duration") && $0.path.rendered.hasPrefix("$.nodes[") }, "\(problems)")
    }

    /// SPEC §4's self-consistency: an Express leaf reached by 5–6 minute workflows recommends a pattern that
    /// cannot run them (Express ends at 5 min), and the sweep says so.
    @Test func aLeafWhosePatternCannotRunItsWorkloadIsReported() throws {
        let folder = try brokenCopy("tree.json") { text in
            text.replacingOccurrences(of: "\"[0, 5m]\",\n     \"next\": \"express-orchestrate\"", with: "\"[0, 6m]\",\n     \"next\": \"express-orchestrate\"")
                .replacingOccurrences(of: "\"(5m, inf)\",\n     \"next\": \"standard-orchestrate\"", with: "\"(6m, inf)\",\n     \"next\": \"standard-orchestrate\"")
        }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.message.contains("recommends step-functions-express, which cannot run the workload") && $0.message.contains("exceeds-max-duration") }, "\(problems)")
    }

    /// SPEC §6: every leaf carries a workload that reaches it, and every warning one where it fires and one
    /// where it must stay silent; lint runs them all (clean on the shipped rules).
    @Test func everyLeafAndWarningCarriesExamples() {
        let compiled = try! RuleSet.compile(.directory(Self.rulesFolder))
        for id in compiled.tree.leafOrder {
            let count = compiled.tree.leaves[id]?.examples?.count ?? 0
            #expect(count > 0, "leaf \(id) has no example")
        }
        for id in Set(compiled.warnings.map(\.rule.id)) {
            let examples = compiled.warnings.filter { $0.rule.id == id }.flatMap { $0.rule.examples ?? [] }.map(\.value)
            #expect(examples.contains { $0.warnings.contains(id) }, "\(id) has no example where it fires")
            #expect(examples.contains { !$0.warnings.contains(id) }, "\(id) has no example where it stays silent")
        }
        #expect(RuleLint.examples(compiled).isEmpty)
    }

    @Test func aWrongExampleIsReported() throws {
        let folder = try brokenCopy("warnings.json") {
            $0.replacingOccurrences(of: #"{"given": {"duration": "23s", "response": "result"}, "pattern": "sync", "warnings": []}"#,
                                    with: #"{"given": {"duration": "25s", "response": "result"}, "pattern": "sync", "warnings": []}"#)
        }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "warnings.json" && $0.message.contains("'near-sync-limit' fires where it should stay silent") }, "\(problems)")
    }

    @Test func overlappingRanges() throws {
        let folder = try brokenCopy("tree.json") { $0.replacingOccurrences(of: "\"[0, 10000]\"", with: "\"[0, 10001]\"") }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.message.contains("overlap") && $0.message.contains("throughput") }, "\(problems)")
    }

    @Test func unreachableNode() throws {
        // Point the 'steps' branch of the schedule node away from event-duration's express path: make a node nobody reaches.
        let folder = try brokenCopy("tree.json") { text in
            text.replacingOccurrences(of: "\"root\": \"rate\",", with: "\"root\": \"rate\",") .replacingOccurrences(of: "\"nodes\": [", with: "\"nodes\": [\n    {\"id\": \"orphan\", \"input\": \"shape\", \"rule\": \"x\", \"title\": \"Orphan\", \"source\": \"async-advisor decision rules § 1\", \"branches\": [{\"when\": \"else\", \"next\": \"sync\", \"because\": \"nothing\"}]},")
        }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.message.contains("'orphan' is unreachable") }, "\(problems)")
    }

    @Test func unknownNameInAnExpression() throws {
        let folder = try brokenCopy("warnings.json") { $0.replacingOccurrences(of: "duration > 365d", with: "durration > 365d") }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "warnings.json" && $0.message.contains("unknown name 'durration'") }, "\(problems)")
    }

    @Test func uncitedSource() throws {
        let folder = try brokenCopy("tree.json") { $0.replacingOccurrences(of: "\"source\": \"async-advisor decision rules § 1\"", with: "\"source\": \"my notes\"") }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.message.contains("source 'my notes'") }, "\(problems)")
    }

    /// An AWS page is shown by its title: a URL that sources.json does not list is a problem, and every
    /// listed page gives the title output shows for it.
    @Test func citedPageNeedsItsTitle() throws {
        let url = "https://docs.aws.amazon.com/lambda/latest/dg/durable-step-functions.html"
        let folder = try brokenCopy("tree.json") { $0.replacingOccurrences(of: "\"source\": \"\(url)\"", with: "\"source\": \"\(url)#nowhere\"") }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.message.contains("'\(url)#nowhere' is not among the pages of sources.json") }, "\(problems)")
        #expect(shippedRules.sourceTitle(url) == "Durable functions or Step Functions")
        #expect(shippedRules.page(url)?.read.count == 10)
        #expect(shippedRules.sourceTitle("DT-14 § DECISION TREE") == "DT-14 § DECISION TREE")
    }

    @Test func newerVersionIsRefused() throws {
        let folder = try brokenCopy("patterns.json") { $0.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 9") }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.message.contains("newer than this async-advisor") }, "\(problems)")
    }

    /// Replaces only the first occurrence, for changes that must hit one entry of a list.
    func first(_ old: String, _ new: String) -> (String) -> String {
        { text in text.range(of: old).map { text.replacingCharacters(in: $0, with: new) } ?? text }
    }

    @Test func unknownNameInACostExpression() throws {
        let folder = try brokenCopy("costs.json", first("\"quantity\": \"volume * 2\"", "\"quantity\": \"volum * 2\""))
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "costs.json" && $0.message.contains("unknown name 'volum'") && $0.path.rendered.hasSuffix(".quantity") && $0.location != nil }, "\(problems)")
    }

    @Test func unknownPriceId() throws {
        let folder = try brokenCopy("costs.json", first("\"price\": \"sqs-requests\"", "\"price\": \"sqs-request\""))
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "costs.json" && $0.message.contains("unknown price id 'sqs-request'") && $0.path.rendered.hasSuffix(".price") }, "\(problems)")
    }

    @Test func patternWithoutAModelAndModelOfUnknownPattern() throws {
        let folder = try brokenCopy("costs.json", first("\"pattern\": \"eventbridge-schedule\"", "\"pattern\": \"eventbridge-schedul\""))
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "costs.json" && $0.message.contains("pattern 'eventbridge-schedule' has no cost model") }, "\(problems)")
        #expect(problems.contains { $0.file == "costs.json" && $0.message.contains("cost model for unknown pattern 'eventbridge-schedul'") && $0.location != nil }, "\(problems)")
    }

    @Test func priceWithoutSourceOrDate() throws {
        let folder = try brokenCopy("prices.json") { text in
            text.replacingOccurrences(of: "\"asOf\": \"2026-11-23\", \"source\": \"https://aws.amazon.com/sns/pricing/\"", with: "\"asOf\": \"2026-11-23\"")
                .replacingOccurrences(of: "\"grade\": \"A\", \"asOf\": \"2026-11-23\", \"source\": \"https://aws.amazon.com/step-functions/pricing/\"},\n    {\"id\": \"sfn-express-requests\"",
                                      with: "\"grade\": \"A\", \"source\": \"https://aws.amazon.com/step-functions/pricing/\"},\n    {\"id\": \"sfn-express-requests\"")
        }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "prices.json" && $0.message.contains("price 'sns-publishes' has no source") && $0.location != nil }, "\(problems)")
        #expect(problems.contains { $0.file == "prices.json" && $0.message.contains("price 'sfn-standard-transitions' has no date") }, "\(problems)")
    }

    @Test func lineUnitMustMatchItsPrice() throws {
        let folder = try brokenCopy("costs.json", first("\"unit\": \"transitions\"", "\"unit\": \"requests\""))
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.message.contains("unit 'requests' does not match price 'sfn-standard-transitions'") }, "\(problems)")
    }

    /// SPEC §8: a model line whose unit is not its price's unit is refused (here a log line priced per request).
    @Test func logLineUnitMustMatchItsPrice() throws {
        let folder = try brokenCopy("costs.json", first("\"unit\": \"GB\", \"price\": \"cloudwatch-logs-lambda\"", "\"unit\": \"requests\", \"price\": \"cloudwatch-logs-lambda\""))
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "costs.json" && $0.message.contains("unit 'requests' does not match price 'cloudwatch-logs-lambda', which is per GB") && $0.location != nil }, "\(problems)")
    }

    /// A new price without its source or its date is refused like any other.
    @Test func newPriceWithoutSourceOrDate() throws {
        let folder = try brokenCopy("prices.json") { text in
            text.replacingOccurrences(of: "\"grade\": \"C\", \"asOf\": \"2026-12-01\", \"source\": \"https://aws.amazon.com/vpc/pricing/\"},\n    {\"id\": \"nat-gateway-data\"",
                                      with: "\"grade\": \"C\", \"asOf\": \"2026-12-01\"},\n    {\"id\": \"nat-gateway-data\"")
                .replacingOccurrences(of: "\"grade\": \"C\", \"asOf\": \"2026-12-01\", \"source\": \"https://aws.amazon.com/elasticloadbalancing/pricing/\"},\n    {\"id\": \"apigw-rest-requests\"",
                                      with: "\"grade\": \"C\", \"source\": \"https://aws.amazon.com/elasticloadbalancing/pricing/\"},\n    {\"id\": \"apigw-rest-requests\"")
        }
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "prices.json" && $0.message.contains("price 'vpc-public-ipv4' has no source") }, "\(problems)")
        #expect(problems.contains { $0.file == "prices.json" && $0.message.contains("price 'alb-lcu-hours' has no date") }, "\(problems)")
    }

    /// An input that no rule, warning, tree node or cost model reads is refused: its answer would change nothing.
    @Test func inputNoModelOrRuleUses() throws {
        let folder = try brokenCopy("questions.json", first("    {\"id\": \"concurrencyLimit\",",
            "    {\"id\": \"tipSize\", \"flag\": \"tip-size\", \"kind\": \"size\", \"default\": \"1KB\", \"group\": \"cost\", \"prompt\": \"Tip?\", \"help\": \"Unused.\", \"source\": \"async-advisor decision rules § 17\"},\n    {\"id\": \"concurrencyLimit\","))
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "questions.json" && $0.message.contains("input 'tipSize' (--tip-size) is used by no rule and no cost model") && $0.location != nil }, "\(problems)")
        // Reading it in a cost model is a use: the problem goes away.
        let used = try brokenCopy("questions.json", first("    {\"id\": \"concurrencyLimit\",",
            "    {\"id\": \"tipSize\", \"flag\": \"tip-size\", \"kind\": \"size\", \"default\": \"1KB\", \"group\": \"cost\", \"prompt\": \"Tip?\", \"help\": \"Unused.\", \"source\": \"async-advisor decision rules § 17\"},\n    {\"id\": \"concurrencyLimit\","))
        let costs = used + "/costs.json"
        let text = try String(contentsOfFile: costs, encoding: .utf8)
        try text.replacingOccurrences(of: "\"logSize / 1073741824\"", with: "\"(logSize + tipSize - tipSize) / 1073741824\"").write(toFile: costs, atomically: true, encoding: .utf8)
        #expect(!RuleLint.run(.directory(used)).problems.contains { $0.message.contains("tipSize") })
    }

    @Test func tiersMustRise() throws {
        let folder = try brokenCopy("prices.json", first("{\"upTo\": 15000000000, \"usd\": 0.000015}", "{\"upTo\": 5000000000, \"usd\": 0.000015}"))
        let problems = RuleLint.run(.directory(folder)).problems
        #expect(problems.contains { $0.file == "prices.json" && $0.message.contains("tiers must rise") && $0.path.rendered.contains("tiers[1]") }, "\(problems)")
    }

    @Test func wrongTypeNamesThePath() throws {
        let folder = try brokenCopy("limits.json") { $0.replacingOccurrences(of: "\"window\": \"29s\"", with: "\"window\": 29") }
        let problem = try #require(RuleLint.run(.directory(folder)).problems.first)
        #expect(problem.path.rendered == "$.doors[0].window" && problem.message.contains("expected a string"), "\(problem)")
    }
}

/// The scaffold checks of `rules lint`, on broken copies of rules/.
@Suite struct ScaffoldLintTests {
    let lint = LintTests()

    func problems(_ file: String, _ change: (String) -> String) throws -> [String] {
        RuleLint.run(.directory(try lint.brokenCopy(file, change))).problems.map(\.description)
    }

    @Test func undefinedPlaceholder() throws {
        let found = try problems("scaffolds/sync/python/README.md") { $0 + "\n{{projectTitle}}\n" }
        #expect(found.contains { $0.hasPrefix("scaffolds/sync/python/README.md") && $0.contains("placeholder 'projectTitle' is never defined") }, "\(found)")
    }

    @Test func unclosedBlockWithItsLine() throws {
        let found = try problems("scaffolds/sqs-queue/typescript/template.yaml") { "{{#if python}}\n" + $0 }
        #expect(found.contains { $0.hasPrefix("scaffolds/sqs-queue/typescript/template.yaml:1:") && $0.contains("never closed") }, "\(found)")
    }

    @Test func aWhenOfOwnFilesNamesTheirFilesAndBooleans() throws {
        let found = try problems("scaffolds/async-invoke/scaffold.json") {
            $0.replacingOccurrences(of: "\"src/api/\": [\n        \"triggerRequest\"\n      ]", with: "\"src/apí/\": [\n        \"timeout\"\n      ]")
        }
        #expect(found.contains { $0.contains("'src/apí/' is no file or folder of the pattern's own python scaffold") }, "\(found)")
        #expect(found.contains { $0.contains("'timeout' is not a boolean variable") }, "\(found)")
    }

    @Test func mainHandlerWithoutMarker() throws {
        let found = try problems("scaffolds/sqs-queue/python/src/worker/app.py") { $0.replacingOccurrences(of: "BUSINESS LOGIC:", with: "TODO") }
        #expect(found.contains { $0.contains("no 'BUSINESS LOGIC:' line") }, "\(found)")
    }

    @Test func sharedFileThatDoesNotExist() throws {
        let found = try problems("scaffolds/sync/scaffold.json") { $0.replacingOccurrences(of: "\"tsconfig.json\"", with: "\"tsconfig.base.json\"") }
        #expect(found.contains { $0.contains("'tsconfig.base.json' is not in scaffolds/_shared/typescript/") }, "\(found)")
    }

    @Test func mainThatIsNotAFile() throws {
        let found = try problems("scaffolds/sync/scaffold.json") { $0.replacingOccurrences(of: "\"python\": \"src/", with: "\"python\": \"lib/") }
        #expect(found.contains { $0.contains("is not a file of the python scaffold") }, "\(found)")
    }

    @Test func aConditionalFileMustBeOwnAndItsConditionsBooleans() throws {
        let found = try problems("scaffolds/step-functions-express/scaffold.json") {
            $0.replacingOccurrences(of: "\"src/api/app.py\": \"front\"", with: "\"src/api/main.py\": \"frontdoor\"")
              .replacingOccurrences(of: "\"events/api-result.json\": [\n        \"front\",\n        \"!webhook\"", with: "\"events/api-result.json\": [\n        \"front\",\n        \"!sender\"")
        }
        #expect(found.contains { $0.contains("'src/api/main.py' is no file or folder of the pattern's own python scaffold") }, "\(found)")
        #expect(found.contains { $0.contains("'frontdoor' is not a boolean variable") }, "\(found)")
        #expect(found.contains { $0.contains("'sender' is not a boolean variable") }, "\(found)")
    }

    @Test func whenThatNamesNoFileOrNoBoolean() throws {
        let found = try problems("scaffolds/ecs-fargate/scaffold.json") {
            $0.replacingOccurrences(of: "\"src/starter/\": \"front\"", with: "\"src/launcher/\": \"front\"")
              .replacingOccurrences(of: "\"events/object-created.json\": \"triggerEvent\"", with: "\"events/object-created.json\": \"trigger\"")
        }
        #expect(found.contains { $0.contains("'src/launcher/' is no file or folder of the pattern's own python scaffold") }, "\(found)")
        #expect(found.contains { $0.contains("'trigger' is not a boolean variable") }, "\(found)")
    }

    @Test func manifestForAnotherPattern() throws {
        let found = try problems("scaffolds/sync/scaffold.json") { $0.replacingOccurrences(of: "\"pattern\": \"sync\"", with: "\"pattern\": \"sqs-queue\"") }
        #expect(found.contains { $0.contains("names 'sqs-queue' but lives in the folder of 'sync'") }, "\(found)")
    }
}
