/// What a finding id means, for SARIF's `tool.driver.rules` and the `check --help` text. Advisory
/// warnings describe themselves in `rules/warnings.json`; the pattern constraint ids of
/// `rules/patterns.json` carry no title there, so their descriptions live here, with a generic one for an
/// id a custom rule set adds.
public struct FindingRule: Sendable, Equatable {
    public var id: String
    public var level: Finding.Severity
    public var title: String
    public var description: String

    static let constraints: [String: (title: String, description: String)] = [
        "exceeds-max-duration": (
            "The task runs longer than the chosen pattern allows",
            "The workload's worst-case duration is beyond the chosen pattern's own maximum: 15 minutes for anything that runs in one Lambda invocation, 5 minutes for Step Functions Express, a year for Step Functions Standard."),
        "door-closes-first": (
            "The front door closes before the task answers",
            "A synchronous pattern behind an HTTP front door (API Gateway 29 s, HTTP API, AppSync and the others 30 s) cannot answer a task that takes longer: the door closes the request first."),
        "above-throughput": (
            "Above the chosen pattern's throughput quota",
            "The workload's peak rate is above a quota of the chosen pattern (API Gateway's 10,000 requests/s, Express's start rate, EventBridge Scheduler's 1,000 invocations/s)."),
        "not-splittable": (
            "The chosen pattern needs work that splits into chunks",
            "Fan-out and queue chaining run work longer than 15 minutes only as chunks that each finish within 15 minutes; this work cannot be split."),
        "wrong-trigger": (
            "The chosen pattern does not fit the trigger",
            "The chosen pattern starts work in a way this workload is not started (EventBridge Scheduler runs on a timer)."),
    ]

    /// The description of a finding id under a rule set.
    public static func describe(_ id: String, rules: RuleSet) -> FindingRule {
        if id == Finding.notRecommended {
            return FindingRule(id: id, level: .warning, title: "A sound pattern the decision tree would not pick",
                               description: "The chosen pattern can run the workload, but it is neither the pattern the decision tree recommends for the workload's answers nor one of that pattern's alternatives. The message names the recommendation and where the tree turned away from the chosen pattern.")
        }
        if id == Finding.acknowledgedNotRaised {
            return FindingRule(id: id, level: .note, title: "An acknowledged warning the workload does not raise",
                               description: "A design file acknowledges a warning that the workload no longer raises. Remove the entry: otherwise it quietly covers the warning if it comes back.")
        }
        if let warning = rules.warnings.first(where: { $0.rule.id == id }) {
            return FindingRule(id: id, level: .warning, title: warning.rule.title,
                               description: "Advisory warning '\(id)' (rules/warnings.json): \(warning.rule.title). Source: \(warning.rule.source)")
        }
        if let known = constraints[id] {
            return FindingRule(id: id, level: .error, title: known.title, description: known.description)
        }
        return FindingRule(id: id, level: .error, title: "A hard limit of the chosen pattern ('\(id)')",
                           description: "The workload exceeds a limit of the chosen pattern, a constraint '\(id)' of rules/patterns.json.")
    }
}
