/// A pattern of the catalogue, as `rules/patterns.json` describes it (SPEC §3).
public struct Pattern: Sendable {
    public struct Limits: Sendable {
        public var maxDuration: String?
        public var maxThroughput: Double?
        public var notes: [String]

        /// The maximum duration as a sentence (when there is one), then the notes: what a scaffold's README
        /// and a decision record list.
        public var lines: [String] { (maxDuration.map { ["Maximum duration per task: \($0)"] } ?? []) + notes }
    }

    public struct Sourced: Sendable {
        public var text: String
        public var source: String
    }

    public struct Constraint: Sendable {
        public var id: String
        public var when: String
        public var message: String
        public var source: String
    }

    public var id: String
    public var name: String
    public var summary: String
    public var whenToUse: [String]
    public var limits: Limits
    public var lambdaBased: Bool
    public var retry: String
    public var statusVisibility: String
    public var auditTrail: String
    public var costModel: String
    public var pros: [String]
    public var cons: [String]
    public var pitfalls: [Sourced]
    public var constraints: [Located<Constraint>]
    public var notes: [Sourced]
    public var sources: [String]
}

struct PatternsFile: Sendable {
    var version: Int
    var patterns: [Located<Pattern>]
}

/// A constraint compiled for evaluation.
public struct CompiledConstraint: Sendable {
    public var id: String
    public var when: Expression
    public var message: MessageTemplate
    public var source: String
}
