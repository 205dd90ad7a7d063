/// Is each workload's chosen pattern sound? (SPEC §5.) Every verdict comes from the engine and the rule
/// files: the pattern's own constraints (`violations(of:)`) make errors, the tree's recommendation and its
/// alternatives decide what is ok, and the warning rules add advisory warnings. Nothing here decides.
public struct DesignCheck: Sendable {
    public let rules: RuleSet
    private let engine: Engine

    public init(rules: RuleSet) {
        self.rules = rules
        engine = Engine(rules: rules)
    }

    public enum Status: String, Sendable {
        case ok, warning, error
    }

    /// What the check says about one workload.
    public struct Verdict: Sendable {
        public var workload: Workload
        /// The pattern the decision tree picks for the workload's answers.
        public var recommended: String
        public var findings: [Finding]

        /// Notes — acknowledged warnings — are shown and never counted.
        public var status: Status {
            if findings.contains(where: { $0.severity == .error }) { return .error }
            return findings.contains(where: { $0.severity == .warning }) ? .warning : .ok
        }
    }

    /// The verdict on one workload:
    /// - `error` for each hard limit of the chosen pattern the workload exceeds (its max duration, a front
    ///   door that closes first, its throughput quota) — the only findings then, since the pattern must change;
    /// - otherwise a `not-recommended` warning when the pattern is neither the recommendation nor one of its
    ///   alternatives, and a warning for every advisory warning the chosen pattern raises.
    public func check(_ workload: Workload) throws(Engine.EngineError) -> Verdict {
        let recommendation = try engine.recommend(workload.answers, detail: .verdict)
        let recommended = recommendation.pattern.id
        let chosen = workload.pattern
        let base = recommendation.scope
        let reason = recommendation.path.last?.because ?? ""
        let instead = chosen == recommended ? "" : " Recommended for this workload: \(recommended) — \(reason)."

        let violations = cannotRun(chosen, recommendation)
        if !violations.isEmpty {
            let findings = violations.map { violation in
                Finding(id: violation.id, severity: .error, message: "\(chosen) cannot run this workload: \(violation.message)\(instead)",
                        instead: chosen == recommended ? nil : recommended, source: violation.source)
            }
            return Verdict(workload: workload, recommended: recommended, findings: findings)
        }

        var findings: [Finding] = []
        let sound = [recommended] + recommendation.alternatives.map(\.id)
        if !sound.contains(chosen) {
            let lost = engine.whyNot(chosen, answers: workload.answers, base: base).why
            let others = recommendation.alternatives.map(\.id)
            let also = others.isEmpty ? "" : " Also sound: \(others.joined(separator: ", "))."
            findings.append(Finding(
                id: Finding.notRecommended, severity: .warning,
                message: "\(chosen) can run this workload but is not what the decision tree picks: \(lost).\(instead)\(also)",
                instead: recommended, source: recommendation.path.last.map(\.source) ?? "rules/tree.json"))
        }
        for warning in engine.warnings(for: chosen, raised: recommendation.raisedWarnings, base) {
            findings.append(Finding(id: warning.id, severity: .warning, message: "\(chosen): \(warning.message)", source: warning.source))
        }
        return Verdict(workload: workload, recommended: recommended, findings: Self.acknowledging(findings, workload.acknowledged))
    }

    /// Each acknowledged warning becomes a note that says why it is handled; an acknowledgement that no
    /// warning of the workload matches is a note too, so a stale entry is seen rather than left to hide a
    /// warning that comes back.
    static func acknowledging(_ findings: [Finding], _ acknowledged: [Workload.Acknowledgement]) -> [Finding] {
        guard !acknowledged.isEmpty else { return findings }
        var out = findings.map { finding -> Finding in
            guard finding.severity == .warning, let entry = acknowledged.first(where: { $0.id == finding.id }) else { return finding }
            var note = finding
            note.severity = .note
            note.acknowledged = entry.reason
            note.message = "acknowledged (\(entry.reason)): " + finding.message
            return note
        }
        for entry in acknowledged where !findings.contains(where: { $0.id == entry.id }) {
            out.append(Finding(id: Finding.acknowledgedNotRaised, severity: .note,
                               message: "the acknowledged warning \(entry.id) is not raised for this workload; remove the entry, or it will quietly cover the warning if it comes back",
                               source: "async-advisor decision rules § 13", acknowledged: entry.reason))
        }
        return out
    }

    /// The hard limits of §4 that stop `pattern` from running the workload `recommendation` was made for:
    /// what makes `check --pattern` an error. `cost` asks the same question, so a pattern it calls able to
    /// run a workload is exactly one `check` passes.
    public func cannotRun(_ pattern: String, _ recommendation: Recommendation) -> [Violation] {
        engine.violations(of: pattern, recommendation.scope)
    }

    /// Verdicts for every workload, in order.
    public func check(_ workloads: [Workload]) throws(Engine.EngineError) -> CheckReport {
        let results = Parallel.map(workloads) { workload in Result { () throws(Engine.EngineError) in try self.check(workload) } }
        var verdicts: [Verdict] = []
        verdicts.reserveCapacity(workloads.count)
        for result in results { verdicts.append(try result.get()) }
        return CheckReport(verdicts: verdicts, rules: rules)
    }
}
