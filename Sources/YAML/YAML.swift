/// The entry point of the reader: YAML text in, a tree of located nodes out.
///
/// It reads the YAML that AWS SAM and CloudFormation templates use, JSON included, and nothing it cannot
/// report precisely: every rejection is a `YAMLError` with a line and a column.
public enum YAML {
    /// The deepest nesting of collections accepted, so that hostile input cannot exhaust the stack.
    public static let maximumDepth = 512

    /// Reads one YAML document.
    ///
    /// - Returns: the document's root node, or `nil` when the text holds no document (only whitespace,
    ///   comments or document markers).
    /// - Throws: `YAMLError` for any syntax error, a second document, a duplicate mapping key, nesting
    ///   deeper than `maximumDepth`, or characters YAML does not allow (such as control characters).
    public static func parse(_ text: String) throws(YAMLError) -> Node? {
        var parser = try Parser(text: text)
        return try parser.parseDocument()
    }
}
