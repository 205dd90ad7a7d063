import Testing
@testable import AdvisorCore

/// SPEC §5's "not chosen" property: every `wouldBeChosenWith`, applied to the workload's inputs, makes the tree
/// choose its pattern, and no smaller set of changes does. The smaller sets are enumerated here by brute force,
/// with code of this test's own, over the domain SPEC §5 names: the inputs the tree tests (and the front door),
/// each with its choices or, for numbers, the bounds the tree's intervals take and the values 1 either side.
@Suite struct CounterfactualTests {
    static let sweep: [[String: String]] = [
        ["duration": "45s", "response": "result"],
        ["duration": "45s", "response": "result", "entry": "function-url"],
        ["duration": "20s", "trigger": "webhook", "response": "result", "sender": "slack-command"],
        ["duration": "2m", "response": "result", "splittable": "yes"],
        ["duration": "5s", "response": "ack"],
        ["duration": "10m", "trigger": "event", "shape": "steps"],
        ["duration": "2h", "trigger": "event", "shape": "batch", "batch-items": "5000"],
        ["duration": "45m", "response": "status", "updates": "poll"],
        ["duration": "1s", "trigger": "webhook", "response": "ack"],
        ["duration": "3m", "trigger": "schedule"],
        ["duration": "7d", "response": "ack", "shape": "steps", "orchestrate": "code"],
        ["duration": "1s", "trigger": "event", "throughput": "20k/s", "volume": "1M/month"],
    ]

    /// Inputs the search may change, in rule order (a test-side reading of the tree).
    static func searchable(_ rules: RuleSet) -> [InputRule] {
        let tested = Set(rules.tree.nodes.values.map(\.input)).union(["entry"])
        return rules.inputs.filter { tested.contains($0.id) }
    }

    static func domain(_ input: InputRule, _ scope: Scope, _ rules: RuleSet) -> [String] {
        if input.kind == .choice { return (input.choices ?? []).map(\.value) }
        var values: Set<Double> = []
        for node in rules.tree.nodes.values where node.input == input.id {
            for branch in node.branches {
                guard case .interval(let interval) = branch.condition, let (low, high) = try? interval.bounds(scope) else { continue }
                for bound in [low, high] where bound.isFinite && bound > 0 {
                    for v in [bound - 1, bound, bound + 1] where v >= (input.minimum ?? 1) { values.insert(v) }
                }
            }
        }
        return values.sorted().map { Counterfactual.typed(.number($0), input) }
    }

    /// The pattern the tree picks for `raw`, or nil when the changed inputs are not a valid workload.
    static func pattern(_ raw: [String: String], _ rules: RuleSet) -> String? {
        guard let answers = try? Answers.resolve(raw, rules: rules), let (_, leaf) = try? Engine(rules: rules).walk(answers.scope(rules: rules)) else { return nil }
        return leaf.pattern
    }

    /// Applies changes as a user would: a changed trigger that leaves `response` one value drops it.
    static func applying(_ changes: [(InputRule, String)], to raw: [String: String], _ rules: RuleSet) -> [[String: String]] {
        var changed = raw
        for (input, value) in changes { changed[input.id] = value }
        var variants = [changed]
        if changes.contains(where: { $0.0.id == "trigger" }), !changes.contains(where: { $0.0.id == "response" }) {
            var dropped = changed
            dropped["response"] = nil
            variants.append(dropped)
        }
        return variants
    }

    /// The smallest number of changes (up to `limit`) that reaches each pattern, by brute force.
    static func smallest(_ raw: [String: String], limit: Int, _ rules: RuleSet) -> [String: Int] {
        let inputs = searchable(rules)
        let answers = try! Answers.resolve(raw, rules: rules)
        let scope = answers.scope(rules: rules)
        var options: [(InputRule, String)] = []
        for input in inputs {
            let current = answers.text(input.id, rules: rules)
            for value in domain(input, scope, rules) where value != current { options.append((input, value)) }
        }
        var reached: [String: Int] = [:]
        func record(_ changes: [(InputRule, String)]) {
            for variant in applying(changes, to: raw, rules) {
                if let p = pattern(variant, rules), reached[p] == nil || reached[p]! > changes.count { reached[p] = changes.count }
            }
        }
        for i in options.indices { record([options[i]]) }
        if limit >= 2 {
            for i in options.indices { for j in (i + 1)..<options.count where options[i].0.id != options[j].0.id { record([options[i], options[j]]) } }
        }
        return reached
    }

    static func raw(_ flags: [String: String], _ rules: RuleSet) -> [String: String] {
        var raw: [String: String] = [:]
        for (flag, value) in flags { raw[rules.inputs.first { $0.flag == flag }!.id] = value }
        return raw
    }

    @Test(arguments: sweep)
    func everyCounterfactualIsProvenAndMinimal(_ flags: [String: String]) throws {
        let rules = shippedRules
        let raw = Self.raw(flags, rules)
        let r = try recommend(flags)
        let brute = Self.smallest(raw, limit: 2, rules)
        for n in r.notChosen {
            guard let changes = n.wouldBeChosenWith else {
                // Infeasible (a hard limit), or no set of up to three changes: then no single change or pair does either.
                if !n.infeasible { #expect(brute[n.id] == nil, "\(flags): \(n.id) is reachable with \(brute[n.id] ?? 0) changes") }
                continue
            }
            #expect(!n.infeasible)
            var changed = raw
            for change in changes { changed[change.id] = change.text }
            #expect(Self.pattern(changed, rules) == n.id, "\(flags) + \(changes): not \(n.id)")
            // An input the other changes force (response, once the trigger is an event) is not counted.
            let size = changes.filter { $0.text != nil }.count
            if let smaller = brute[n.id] { #expect(smaller >= size, "\(flags): \(n.id) in \(smaller) changes, not \(size)") }
            #expect(n.why.hasPrefix("would be chosen with `"))
        }
    }

    @Test func singleChangesArePreferredAndFactsCountLast() throws {
        let r = try recommend(["duration": "45s", "response": "result"])
        let durable = try #require(r.notChosen.first { $0.id == "lambda-durable" })
        #expect(durable.wouldBeChosenWith?.map(\.id) == ["shape", "orchestrate"])
        let schedule = try #require(r.notChosen.first { $0.id == "eventbridge-schedule" })
        #expect(schedule.infeasible && schedule.wouldBeChosenWith == nil)
        // A change of design beats a change of the workload's facts among sets of one.
        let express = try #require(r.notChosen.first { $0.id == "step-functions-express" })
        #expect(express.wouldBeChosenWith?.map(\.id) == ["shape"])
    }

    @Test func aForcedResponseIsNullAndUncounted() throws {
        let r = try recommend(["duration": "1s", "response": "ack", "retry": "guaranteed"])
        let kinesis = try #require(r.notChosen.first { $0.id == "kinesis-stream" })
        let changes = try #require(kinesis.wouldBeChosenWith)
        #expect(changes.map(\.id) == ["throughput"], "\(changes)")
        let json = RecommendationReport.json(r, rules: shippedRules)
        guard case .object(let members) = json, case .array(let list)? = members.first(where: { $0.key == "notChosen" })?.value else {
            Issue.record("no notChosen"); return
        }
        let keys = list.compactMap { item -> String? in
            guard case .object(let fields) = item, case .string("kinesis-stream")? = fields.first(where: { $0.key == "id" })?.value,
                  case .object(let w)? = fields.first(where: { $0.key == "wouldBeChosenWith" })?.value else { return nil }
            return w.map(\.key).joined(separator: ",")
        }
        #expect(keys == ["throughput"])
        // From an event, reaching a webhook's self-invoke needs the trigger and a response: both count.
        let event = try recommend(["duration": "5s", "trigger": "event"])
        let selfInvoke = try #require(event.notChosen.first { $0.id == "lambda-self-invoke" })
        #expect(selfInvoke.wouldBeChosenWith?.map(\.id) == ["trigger", "response"])
        // To a schedule, response is dropped (null) and not counted.
        let request = try recommend(["duration": "5s", "response": "ack", "shape": "steps"])
        let scheduled = request.notChosen.first { $0.id == "eventbridge-schedule" }
        if let changes = scheduled?.wouldBeChosenWith {
            #expect(changes.contains { $0.id == "response" && $0.text == nil })
        }
    }
}
