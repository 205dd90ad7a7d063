/// The entry point of the reader: YAML text in, a tree of located nodes out.
///
/// It reads what AWS SAM and CloudFormation templates use, JSON templates included: block and flow
/// collections, every scalar style, comments, tags, anchors and aliases, `---` and `...`. It refuses, with
/// a located `YAMLError`, what it cannot represent faithfully rather than guessing: explicit keys (`? `),
/// more than one document, duplicate keys, tabs used for indentation, `%TAG` handles (`!a!b`).
public enum YAML {
    /// The deepest nesting of collections accepted, aliases included, so that hostile input cannot exhaust
    /// the stack of the reader or of code that walks the tree.
    public static let maximumDepth = 512

    /// Reads one YAML document.
    ///
    /// Line breaks may be LF, CRLF or CR, and a leading byte-order mark is ignored. Scalars keep their text
    /// (`node.int`, `node.bool` and friends resolve them); nodes keep their tags.
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
