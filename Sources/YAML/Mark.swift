/// A position in YAML text, so that every node and every error can point back at what the user wrote.
public struct Mark: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based line. A line break is LF, CRLF or a lone CR.
    public var line: Int
    /// The 1-based column, counted in Unicode scalars from the start of the line; a leading byte-order mark
    /// is not counted.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`, the form editors and compilers use.
    public var description: String { "\(line):\(column)" }
}
