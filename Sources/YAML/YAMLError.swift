/// A syntax error, located so a caller can print `file:line:column: error: message`.
///
/// The message says what the reader expected or why the text is not accepted, for example
/// "expected ':' after mapping key" or "duplicate key 'Timeout' (first at line 12)".
public struct YAMLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the problem was found.
    public var mark: Mark
    /// What was expected, in words a template author understands.
    public var message: String

    public init(mark: Mark, message: String) {
        self.mark = mark
        self.message = message
    }

    /// `line:column: message`.
    public var description: String { "\(mark): \(message)" }
}
