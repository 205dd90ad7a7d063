/// The examples of every template finding, run the way SwiftLint runs its rules' examples: the failing
/// snippet must raise the finding and the passing one must not, and no message may keep a hole unfilled.
/// `rules lint` and one generic test both run them, so adding a finding adds its test.
public enum TemplateExamples {
    /// What one example gave.
    public struct Outcome: Sendable {
        public var findings: [TemplateFinding]
        /// Why the example could not be run (a snippet that is not a template, a workload that does not read).
        public var problem: String?
    }

    /// Runs one snippet of a rule, with the rule's workload (for `workload-*` findings) named against it.
    public static func run(_ snippet: String, of rule: TemplateRules.Rule, rules: RuleSet, findings: TemplateRules) -> Outcome {
        let template: TemplateFile
        do {
            guard let read = try CheckDocument.read(snippet, path: "\(rule.id).yaml", rules: rules).template else {
                return Outcome(findings: [], problem: "the snippet is not a template")
            }
            template = read
        } catch {
            return Outcome(findings: [], problem: "the snippet does not read: \(error)")
        }
        var reports = [TemplateCheck.check(template, rules: findings)]
        if let workload = rule.examples.workload {
            let design = LocatedJSON(kind: .object([(key: "workloads", keyLocation: workload.location, value: LocatedJSON(kind: .array([workload]), location: workload.location))]),
                                     location: workload.location)
            do {
                let file = try DesignFile.read(design, path: TemplateRules.file, rules: rules)
                TemplateCheck.hold(file.workloads, against: &reports, rules: rules, findings: findings)
            } catch {
                return Outcome(findings: [], problem: "the example's workload does not read: \(error)")
            }
        }
        return Outcome(findings: reports[0].findings, problem: nil)
    }

    /// Every problem with the examples of a rule set's template findings, located at the rule.
    public static func lint(_ rules: RuleSet) -> [RuleProblem] {
        let findings: TemplateRules
        do { findings = try rules.templateFindings() } catch { return error.problems }
        var problems: [RuleProblem] = []
        func problem(_ rule: TemplateRules.Rule, _ key: String, _ message: String) {
            problems.append(RuleProblem(file: TemplateRules.file, path: rule.path + [.key("examples"), .key(key)], location: rule.location, message: message))
        }
        var seen: Set<String> = []
        let patterns = Set(rules.patterns.map(\.id))
        for rule in findings.rules {
            if !seen.insert(rule.id).inserted {
                problems.append(RuleProblem(file: TemplateRules.file, path: rule.path + [.key("id")], location: rule.location, message: "duplicate finding id '\(rule.id)'"))
            }
            for id in findings.words(rule.id, "patterns") where !patterns.contains(id) {
                problems.append(RuleProblem(file: TemplateRules.file, path: rule.path + [.key("thresholds"), .key("patterns")], location: rule.location,
                                            message: "unknown pattern id '\(id)' (known: \(patterns.sorted().joined(separator: ", ")))"))
            }
            let failing = run(rule.examples.failing, of: rule, rules: rules, findings: findings)
            if let why = failing.problem { problem(rule, "failing", why) }
            else if !failing.findings.contains(where: { $0.id == rule.id }) {
                problem(rule, "failing", "the failing example does not raise '\(rule.id)' (it raises: \(failing.findings.map(\.id).joined(separator: ", ")))")
            }
            let holes = Set(TemplateRules.holes(in: rule.message) + rule.variants.values.flatMap(TemplateRules.holes) + rule.extras.flatMap { TemplateRules.holes(in: $0.text) })
            for finding in failing.findings where finding.id == rule.id {
                let unfilled = TemplateRules.holes(in: finding.message).filter(holes.contains)
                if !unfilled.isEmpty { problem(rule, "failing", "the message keeps the hole(s) \(unfilled.map { "{\($0)}" }.joined(separator: ", ")) unfilled") }
            }
            let passing = run(rule.examples.passing, of: rule, rules: rules, findings: findings)
            if let why = passing.problem { problem(rule, "passing", why) }
            else if let raised = passing.findings.first(where: { $0.id == rule.id }) {
                problem(rule, "passing", "the passing example raises '\(rule.id)': \(raised.message)")
            }
        }
        return problems
    }
}
