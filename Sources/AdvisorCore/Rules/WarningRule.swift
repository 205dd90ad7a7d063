/// An advisory warning (SPEC §4): raised by a `when` over the answers and the chosen pattern, or by the
/// tree branch that was taken (`caller-cannot-wait`).
public struct WarningRule: Sendable {
    public var id: String
    public var title: String
    public var when: String?
    public var message: String
    public var source: String
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
