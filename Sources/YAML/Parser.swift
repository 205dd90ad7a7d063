/// Reads one YAML document by recursive descent over UTF-8 bytes, tracking lines and indentation.
///
/// The grammar is split by construct: this file holds the position, the primitives and node properties;
/// `Parser+Document`, `Parser+Block`, `Parser+Flow` and `Parser+Scalars` hold the rest. Every loop consumes
/// input or ends, and every nesting level counts against `YAML.maximumDepth`, so no input can hang or
/// overflow the stack.
struct Parser {
    /// The most nodes a document may expand to through aliases, so that a "billion laughs" document
    /// is refused instead of handed to callers who would walk it.
    static let maximumNodeCount = 1_000_000

    /// A position in the input; cheap to save and restore when a construct has to look ahead.
    struct Position {
        var offset = 0
        var line = 1
        var lineStart = 0
        /// The 1-based column in Unicode scalars, kept up to date so that marks cost nothing to take.
        var column = 1
    }

    /// A node's tag and anchor, read before its content.
    struct Properties {
        var tag: String?
        var anchor: String?
        /// The nesting depth of the node.
        var depth: Int
        /// `nodeCount` before the node was read, to measure how many nodes an alias of it copies.
        var nodeCountAtStart: Int
        /// `deepestDepth` before an anchored node was read, restored once its height is known.
        var deepestDepthBeforeAnchor = 0

        var isEmpty: Bool { tag == nil && anchor == nil }
    }

    /// An anchored node, the number of nodes it holds, and how many levels deep it goes.
    struct Anchor {
        var node: Node
        var size: Int
        var height: Int
    }

    /// The input with line breaks normalised to LF and any leading byte-order mark removed.
    let bytes: [UInt8]
    var position = Position()
    var anchors: [String: Anchor] = [:]
    /// Nodes created so far, counting the copies aliases make.
    var nodeCount = 0
    /// The deepest nesting reached since the innermost anchor being read started, counting the depth of
    /// aliased nodes, so that aliases cannot build trees deeper than `YAML.maximumDepth`.
    var deepestDepth = 0

    init(text: String) throws(YAMLError) {
        bytes = try Self.normalizedBytes(of: text)
    }

    // MARK: - Input

    /// The UTF-8 bytes of `text` with CRLF and CR turned into LF and a leading byte-order mark dropped,
    /// after checking that every character is one YAML allows.
    static func normalizedBytes(of text: String) throws(YAMLError) -> [UInt8] {
        // Copied whole (a native string's bytes are one memcpy); line breaks are rewritten only when the text
        // has a carriage return at all, which most templates do not.
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        }
        if bytes.contains(Byte.carriageReturn) {
            var normalized: [UInt8] = []
            normalized.reserveCapacity(bytes.count)
            var previous: UInt8 = 0
            for byte in bytes {
                if byte == Byte.carriageReturn {
                    normalized.append(Byte.lineFeed)
                } else if !(byte == Byte.lineFeed && previous == Byte.carriageReturn) {
                    normalized.append(byte)
                }
                previous = byte
            }
            bytes = normalized
        }
        if let (offset, scalar) = firstForbiddenCharacter(in: bytes) {
            let parser = Parser(bytes: bytes, at: offset)
            throw parser.error("invalid character U+\(hex(scalar.value)); control characters are not allowed in YAML")
        }
        return bytes
    }

    /// The first character outside YAML's printable set (C0 and C1 controls other than tab, line feed and
    /// NEL; DEL; U+FFFE and U+FFFF), with its offset.
    private static func firstForbiddenCharacter(in bytes: [UInt8]) -> (Int, Unicode.Scalar)? {
        for offset in bytes.indices {
            let byte = bytes[offset]
            switch byte {
            case 0x00..<0x20 where byte != Byte.tab && byte != Byte.lineFeed, Byte.delete:
                return (offset, Unicode.Scalar(byte))
            case 0xC2:
                let next = offset + 1 < bytes.count ? bytes[offset + 1] : 0
                if (0x80...0x9F).contains(next) && next != 0x85 {
                    return (offset, Unicode.Scalar(next))
                }
            case 0xEF:
                if offset + 2 < bytes.count, bytes[offset + 1] == 0xBF, bytes[offset + 2] >= 0xBE,
                    let scalar = Unicode.Scalar(0xFFC0 | UInt32(bytes[offset + 2] & 0x3F))
                {
                    return (offset, scalar)
                }
            default:
                continue
            }
        }
        return nil
    }

    /// A parser positioned at `offset`, used only to compute the mark of an input error.
    private init(bytes: [UInt8], at offset: Int) {
        self.bytes = bytes
        while position.offset < offset {
            advance()
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    // MARK: - Position

    var offset: Int { position.offset }
    var line: Int { position.line }
    var isAtEnd: Bool { position.offset >= bytes.count }
    /// The current column counted in bytes from the start of the line. Indentation is made of ASCII
    /// spaces and indicators, so for indentation it equals the column in characters.
    var indentation: Int { position.offset - position.lineStart }
    var isAtLineStart: Bool { position.offset == position.lineStart }

    /// The current position as a line and a column counted in Unicode scalars.
    var mark: Mark {
        Mark(line: position.line, column: position.column)
    }

    /// The byte `ahead` positions on, or `Byte.end` past the last one.
    func peek(_ ahead: Int = 0) -> UInt8 {
        let index = position.offset + ahead
        return index < bytes.count ? bytes[index] : Byte.end
    }

    mutating func advance() {
        guard position.offset < bytes.count else { return }
        let byte = bytes[position.offset]
        position.offset += 1
        if byte == Byte.lineFeed {
            position.line += 1
            position.lineStart = position.offset
            position.column = 1
        } else if position.offset == bytes.count || bytes[position.offset] & 0xC0 != 0x80 {
            position.column += 1
        }
    }

    mutating func advance(by count: Int) {
        for _ in 0..<count {
            advance()
        }
    }

    func error(_ message: String, at mark: Mark? = nil) -> YAMLError {
        YAMLError(mark: mark ?? self.mark, message: message)
    }

    /// The character at the current position, empty at the end of input.
    var currentCharacter: String {
        var length = isAtEnd ? 0 : 1
        while peek(length) & 0xC0 == 0x80 {
            length += 1
        }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }

    /// The current character for a message: `'x'`, `a tab`, `end of line` or `end of input`.
    var currentCharacterDescription: String {
        switch peek() {
        case _ where isAtEnd: "end of input"
        case Byte.lineFeed: "end of line"
        case Byte.tab: "a tab"
        default: "'\(currentCharacter)'"
        }
    }

    // MARK: - Whitespace, comments and lines

    var isAtLineEnd: Bool { Byte.isBreakOrEnd(peek()) }

    /// A `#` that starts a comment: at the start of a line or after whitespace.
    var isAtCommentStart: Bool {
        peek() == Byte.hash && (isAtLineStart || Byte.isBlank(bytes[offset - 1]))
    }

    /// `---` or `...` at the start of a line, followed by whitespace or the end.
    var isAtDocumentMarker: Bool {
        guard isAtLineStart else { return false }
        let first = peek()
        guard first == Byte.minus || first == Byte.period else { return false }
        return peek(1) == first && peek(2) == first && Byte.isWhiteOrEnd(peek(3))
    }

    /// `- ` (or `-` at the end of a line): the start of a block sequence entry.
    var isAtSequenceEntry: Bool {
        peek() == Byte.minus && Byte.isWhiteOrEnd(peek(1))
    }

    /// The indentation of the current content line for the block structure, or -1 at the end of input or
    /// at a document marker, so that every open block collection ends there.
    var blockIndentation: Int {
        isAtEnd || isAtDocumentMarker ? -1 : indentation
    }

    mutating func skipBlanks() {
        while Byte.isBlank(peek()) {
            advance()
        }
    }

    mutating func skipComment() {
        guard isAtCommentStart else { return }
        while !isAtLineEnd {
            advance()
        }
    }

    mutating func skipBlanksAndComment() {
        skipBlanks()
        skipComment()
    }

    /// From the end of a line (after any blanks and comment), moves to the first character of the next
    /// line with content, or to the end of input. Lines holding only blanks or a comment are skipped.
    mutating func moveToNextContentLine() throws(YAMLError) {
        skipBlanksAndComment()
        guard isAtLineEnd else {
            throw error("unexpected \(currentCharacterDescription); expected a comment or a line break")
        }
        while peek() == Byte.lineFeed {
            advance()
            if try skipIndentation() {
                return
            }
        }
    }

    /// From the start of a line, moves to the line's first content character, or to the first content
    /// character of a later line.
    mutating func moveToContentFromLineStart() throws(YAMLError) {
        if try !skipIndentation() {
            try moveToNextContentLine()
        }
    }

    /// Skips the indentation of the line that starts here. Returns `true` at a content character and
    /// `false` at the end of a line holding only blanks or a comment.
    private mutating func skipIndentation() throws(YAMLError) -> Bool {
        while peek() == Byte.space {
            advance()
        }
        if peek() == Byte.tab {
            let tabMark = mark
            skipBlanksAndComment()
            guard isAtLineEnd else {
                throw error("tab characters are not allowed in indentation; use spaces", at: tabMark)
            }
            return false
        }
        skipComment()
        return !isAtLineEnd
    }

    // MARK: - Properties, anchors and aliases

    /// Reads a tag (`!Ref`, `!!str`, `!<tag:yaml.org,2002:str>`) and an anchor (`&name`), in either order,
    /// with the blanks after them.
    mutating func parseProperties(depth: Int) throws(YAMLError) -> Properties {
        var properties = Properties(depth: depth, nodeCountAtStart: nodeCount)
        while true {
            let propertyMark = mark
            if peek() == Byte.exclamation {
                guard properties.tag == nil else { throw error("a node can have only one tag") }
                properties.tag = try parseTag()
            } else if peek() == Byte.ampersand {
                guard properties.anchor == nil else { throw error("a node can have only one anchor") }
                advance()
                properties.anchor = try parseAnchorName(after: "&", at: propertyMark)
                properties.deepestDepthBeforeAnchor = deepestDepth
                deepestDepth = depth
            } else {
                return properties
            }
            let next = peek()
            guard Byte.isWhiteOrEnd(next) || next == Byte.comma || next == Byte.rightBracket || next == Byte.rightBrace
            else {
                throw error(
                    "unexpected \(currentCharacterDescription) after the node's tag or anchor; expected a space")
            }
            skipBlanks()
        }
    }

    /// Reads `!suffix`, `!!suffix` or `!<verbatim>`. Named handles (`!name!suffix`) need `%TAG`
    /// directives, which the reader does not keep, so they are rejected.
    private mutating func parseTag() throws(YAMLError) -> String {
        let start = offset
        let startMark = mark
        advance()
        if peek() == Byte.lessThan {
            while peek() != Byte.greaterThan {
                guard !Byte.isWhiteOrEnd(peek()) else {
                    throw error("expected '>' to close the verbatim tag opened at \(startMark)")
                }
                advance()
            }
            advance()
            return String(decoding: bytes[start..<offset], as: UTF8.self)
        }
        if peek() == Byte.exclamation {
            advance()
        }
        while Self.isTagCharacter(peek()) {
            advance()
        }
        if peek() == Byte.exclamation {
            let handle = String(decoding: bytes[start...offset], as: UTF8.self)
            throw error("undeclared tag handle '\(handle)'; write tags as '!Name' or '!!type'", at: startMark)
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    /// The characters of a tag: those of a URI other than `!` and the flow indicators.
    private static func isTagCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), Byte.zero...Byte.nine:
            true
        case Byte.minus, Byte.hash, UInt8(ascii: ";"), Byte.slash, Byte.question, Byte.colon, Byte.at,
            Byte.ampersand, UInt8(ascii: "="), Byte.plus, UInt8(ascii: "$"), UInt8(ascii: "_"), Byte.period,
            UInt8(ascii: "~"), Byte.asterisk, Byte.singleQuote, UInt8(ascii: "("), UInt8(ascii: ")"), Byte.percent:
            true
        default:
            false
        }
    }

    /// An anchor or alias name: the characters up to whitespace, a flow indicator or a colon.
    private mutating func parseAnchorName(after indicator: String, at indicatorMark: Mark) throws(YAMLError) -> String {
        let start = offset
        while !Byte.isWhiteOrEnd(peek()) && !Byte.isFlowIndicator(peek()) && peek() != Byte.colon {
            advance()
        }
        guard offset > start else {
            throw error("expected a name after '\(indicator)'", at: indicatorMark)
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    /// Reads `*name` and returns a copy of the anchored node, marked at the alias.
    mutating func parseAlias(depth: Int) throws(YAMLError) -> Node {
        let aliasMark = mark
        advance()
        let name = try parseAnchorName(after: "*", at: aliasMark)
        guard let anchor = anchors[name] else {
            throw error("undefined alias '\(name)'; an anchor '&\(name)' must come first", at: aliasMark)
        }
        nodeCount += anchor.size
        guard nodeCount <= Self.maximumNodeCount else {
            throw error("aliases expand the document to more than \(Self.maximumNodeCount) nodes", at: aliasMark)
        }
        guard depth + anchor.height <= YAML.maximumDepth else {
            throw error("nesting through aliases is deeper than \(YAML.maximumDepth) levels", at: aliasMark)
        }
        deepestDepth = max(deepestDepth, depth + anchor.height)
        var node = anchor.node
        node.mark = aliasMark
        return node
    }

    /// Gives `node` its properties: the tag, the mark where the properties start, and the anchor.
    mutating func apply(_ properties: Properties, to node: Node, start: Mark) throws(YAMLError) -> Node {
        guard !properties.isEmpty else { return node }
        var node = node
        if let tag = properties.tag {
            guard node.tag == nil else {
                throw error("a node can have only one tag", at: node.mark)
            }
            node.tag = tag
        }
        node.mark = start
        if let anchor = properties.anchor {
            let height = max(0, deepestDepth - properties.depth)
            anchors[anchor] = Anchor(node: node, size: max(1, nodeCount - properties.nodeCountAtStart), height: height)
            deepestDepth = max(deepestDepth, properties.deepestDepthBeforeAnchor)
        }
        return node
    }

    // MARK: - Nodes

    mutating func makeNode(_ kind: Node.Kind, at mark: Mark) -> Node {
        nodeCount += 1
        return Node(kind, mark: mark)
    }

    /// The node of an absent value, as in `Key:` or `- `: an empty plain scalar, which resolves to null.
    mutating func makeEmptyNode(at mark: Mark) -> Node {
        makeNode(.scalar("", style: .plain), at: mark)
    }

    /// Rejects a scalar key the mapping already has among `entries` (read so far, all distinct). Small
    /// mappings, nearly all of a template's, are searched directly; from a dozen keys on, `index` keeps
    /// the first mark of each key so a large mapping stays linear.
    func checkUnique(_ key: Node, among entries: [(key: Node, value: Node)], index: inout [String: Mark]?) throws(YAMLError) {
        guard case .scalar(let text, _) = key.kind else { return }
        var first: Mark?
        if entries.count < 12 {
            for entry in entries {
                if case .scalar(let other, _) = entry.key.kind, other == text {
                    first = entry.key.mark
                    break
                }
            }
        } else {
            if index == nil {
                var built: [String: Mark] = [:]
                for entry in entries {
                    if case .scalar(let other, _) = entry.key.kind { built[other] = entry.key.mark }
                }
                index = built
            }
            first = index?[text]
            if first == nil { index?[text] = key.mark }
        }
        if let first {
            throw error("duplicate key '\(text)' (first at line \(first.line))", at: key.mark)
        }
    }

    mutating func checkDepth(_ depth: Int) throws(YAMLError) {
        guard depth <= YAML.maximumDepth else {
            throw error("nesting is deeper than \(YAML.maximumDepth) levels")
        }
        deepestDepth = max(deepestDepth, depth)
    }
}
