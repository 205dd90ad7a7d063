/// One thing a design check says about a workload: an id that stays stable across releases (the SARIF
/// rule id), how bad it is, and a message that says what to use instead and why.
public struct Finding: Sendable, Equatable {
    /// `note` is shown and never counted: it fails no build, not even under `--strict`.
    public enum Severity: String, Sendable, Comparable, CaseIterable {
        case note, warning, error

        private var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var id: String
    public var severity: Severity
    public var message: String
    /// The pattern to use instead, when the finding is about the choice of pattern.
    public var instead: String?
    /// Where the rule behind the finding comes from (a seed file section or an AWS page).
    public var source: String
    /// Why the team says the warning is handled, for a warning a design file acknowledges (now a note).
    public var acknowledged: String?

    public init(id: String, severity: Severity, message: String, instead: String? = nil, source: String, acknowledged: String? = nil) {
        self.id = id; self.severity = severity; self.message = message; self.instead = instead; self.source = source
        self.acknowledged = acknowledged
    }

    /// The id of the note for an `acknowledge` entry whose warning the workload no longer raises.
    public static let acknowledgedNotRaised = "acknowledged-not-raised"

    /// The id of the warning for a sound pattern that the decision tree would not pick.
    public static let notRecommended = "not-recommended"
}
