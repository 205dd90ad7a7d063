/// The answer for one workload (SPEC §5).
public struct Recommendation: Sendable {
    public struct PatternRef: Sendable { public var id: String; public var name: String }
    public struct Reasoned: Sendable { public var id: String; public var name: String; public var why: String }
    public struct Step: Sendable {
        public var rule: String
        public var because: String
        public var source: String
        /// The input the step's tree node tests (nil for the leaf): which answers decided the path.
        public var input: String? = nil
    }
    public struct Warning: Sendable { public var id: String; public var message: String; public var source: String }
    public struct NotChosen: Sendable {
        public var id: String
        public var why: String
        public var infeasible: Bool
        /// The smallest set of input changes that makes the tree choose this pattern (input id, the value as
        /// typed, nil where the input is left out); nil when it cannot run the workload or no set of up to
        /// three changes reaches it.
        public var wouldBeChosenWith: [(id: String, text: String?)]? = nil
    }

    public var pattern: PatternRef
    public var alternatives: [Reasoned]
    public var companions: [Reasoned]
    public var path: [Step]
    public var warnings: [Warning]
    public var notChosen: [NotChosen]
    public var answers: Answers
    public var leafID: String
    /// Warning ids the walk's branches raised, for the warnings of a pattern other than the one chosen.
    public var raisedWarnings: [String] = []
    /// What the rules were evaluated with: the answers, the front door's times and the derived values.
    public var scope = Scope()
}

extension Recommendation {
    /// The front door a caller waits at: the `entry` when a request or webhook starts the work (events and
    /// schedules have none).
    public func frontDoor(_ rules: RuleSet) -> Door? {
        guard case .string(let entry)? = answers["entry"], ["request", "webhook"].contains(answers["trigger"]?.description ?? "") else { return nil }
        return rules.door(entry)
    }
}

/// A hard limit of a pattern that the workload exceeds.
public struct Violation: Sendable {
    public var id: String
    public var message: String
    public var source: String
}
