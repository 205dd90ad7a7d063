/// An advisory warning (SPEC §4): raised by a `when` over the answers and the chosen pattern, or by the
/// tree branch that was taken (`caller-cannot-wait`).
public struct WarningRule: Sendable {
    public var id: String
    public var title: String
    public var when: String?
    public var message: String
    public var source: String
    /// Workloads with the pattern they are checked against and every warning that pattern gets: where this
    /// warning fires and where it must stay silent (`rules lint` runs them).
    public var examples: [Located<RuleExample>]? = nil
}

/// An example a rule carries (SPEC §6), the way SwiftLint's rules carry theirs: the inputs as a design file
/// gives them, the pattern expected (a leaf's own when left out) and exactly the warnings that pattern gets.
public struct RuleExample: Sendable {
    public var given: [String: String]
    public var pattern: String?
    public var warnings: [String]
}

struct WarningsFile: Sendable {
    var version: Int
    var warnings: [Located<WarningRule>]
}

public struct CompiledWarning: Sendable {
    public var rule: WarningRule
    public var when: Expression?
    public var message: MessageTemplate
}
