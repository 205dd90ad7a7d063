extension Parser {
    // MARK: - Plain scalars

    /// Why a line of a plain scalar ended.
    enum PlainLineEnd {
        case lineBreak
        /// At `: ` (or `:` before a flow indicator in flow context): the scalar is a mapping key.
        case mappingIndicator
        /// At ` #`.
        case comment
        /// At `,`, `[`, `]`, `{` or `}` in flow context.
        case flowIndicator
    }

    /// Whether a plain scalar can start here. Indicators cannot start one, except `-`, `?` and `:` followed
    /// by a character that is not a space (`-1`, `:x`).
    func canStartPlainScalar(inFlow: Bool) -> Bool {
        let byte = peek()
        switch byte {
        case Byte.minus, Byte.question, Byte.colon:
            let next = peek(1)
            return !Byte.isWhiteOrEnd(next) && !(inFlow && Byte.isFlowIndicator(next))
        case Byte.comma, Byte.leftBracket, Byte.rightBracket, Byte.leftBrace, Byte.rightBrace, Byte.hash,
            Byte.ampersand, Byte.asterisk, Byte.exclamation, Byte.pipe, Byte.greaterThan, Byte.singleQuote,
            Byte.doubleQuote, Byte.percent, Byte.at, Byte.backtick:
            return false
        default:
            return !Byte.isWhiteOrEnd(byte)
        }
    }

    /// The error for a character that cannot start a node.
    func unexpectedNodeStart() -> YAMLError {
        switch peek() {
        case Byte.colon:
            return error("missing mapping key before ':'")
        case Byte.minus:
            return error("block sequence entries are not allowed inside flow collections")
        case Byte.question:
            return error("explicit mapping keys ('? ') are not supported; write 'key: value'")
        case Byte.pipe, Byte.greaterThan:
            return error("block scalars are not allowed inside flow collections")
        case Byte.percent, Byte.at, Byte.backtick:
            return error("\(currentCharacterDescription) cannot start a plain scalar; quote the value")
        default:
            return error("unexpected \(currentCharacterDescription); expected a value")
        }
    }

    /// Reads an unquoted scalar. Its lines are folded: a single line break becomes a space, and each empty
    /// line becomes a line feed.
    ///
    /// - Parameter continuationIndentation: in block context, continuation lines must be indented more
    ///   than this; `nil` keeps the scalar on one line. Flow context ignores indentation.
    mutating func parsePlainScalar(inFlow: Bool, continuationIndentation: Int?) throws(YAMLError) -> Node {
        let start = mark
        var (text, end) = scanPlainLine(inFlow: inFlow)
        if end == .lineBreak, let continuationIndentation {
            while let lineBreaks = moveToPlainContinuation(inFlow: inFlow, indentation: continuationIndentation) {
                let lineMark = mark
                let (more, moreEnd) = scanPlainLine(inFlow: inFlow)
                if !inFlow && moreEnd == .mappingIndicator {
                    throw error("bad indentation of a mapping entry", at: lineMark)
                }
                if lineBreaks == 1 {
                    text.append(Byte.space)
                } else {
                    text.append(contentsOf: repeatElement(Byte.lineFeed, count: lineBreaks - 1))
                }
                text.append(contentsOf: more)
                guard moreEnd == .lineBreak else { break }
            }
        }
        return makeNode(.scalar(String(decoding: text, as: UTF8.self), style: .plain), at: start)
    }

    /// Reads the rest of a plain scalar's line, without trailing blanks, and says why it stopped.
    private mutating func scanPlainLine(inFlow: Bool) -> ([UInt8], PlainLineEnd) {
        let begin = offset
        var end = offset
        while true {
            let byte = peek()
            if Byte.isBreakOrEnd(byte) {
                return (Array(bytes[begin..<end]), .lineBreak)
            }
            if Byte.isBlank(byte) {
                advance()
                continue
            }
            if byte == Byte.hash && offset > begin && Byte.isBlank(bytes[offset - 1]) {
                return (Array(bytes[begin..<end]), .comment)
            }
            if byte == Byte.colon {
                let next = peek(1)
                if Byte.isWhiteOrEnd(next) || (inFlow && Byte.isFlowIndicator(next)) {
                    return (Array(bytes[begin..<end]), .mappingIndicator)
                }
            }
            if inFlow && Byte.isFlowIndicator(byte) {
                return (Array(bytes[begin..<end]), .flowIndicator)
            }
            advance()
            end = offset
        }
    }

    /// From the end of a plain scalar's line, moves to the first character of the line that continues it
    /// and returns the number of line breaks crossed; returns `nil`, without moving, when no line does.
    private mutating func moveToPlainContinuation(inFlow: Bool, indentation: Int) -> Int? {
        let saved = position
        var lineBreaks = 0
        var lineIndentation = 0
        while peek() == Byte.lineFeed {
            advance()
            lineBreaks += 1
            while peek() == Byte.space {
                advance()
            }
            lineIndentation = self.indentation
            skipBlanks()
        }
        let continues =
            lineBreaks > 0 && !isAtEnd && !isAtCommentStart
            && !isAtDocumentMarker
            && (inFlow || lineIndentation > indentation)
            && canContinuePlainScalar(inFlow: inFlow)
        guard continues else {
            position = saved
            return nil
        }
        return lineBreaks
    }

    /// Whether a continuation line's first character belongs to the scalar: anything but a comment, a
    /// mapping indicator, or (in flow context) a flow indicator.
    private func canContinuePlainScalar(inFlow: Bool) -> Bool {
        let byte = peek()
        if byte == Byte.colon {
            let next = peek(1)
            return !Byte.isWhiteOrEnd(next) && !(inFlow && Byte.isFlowIndicator(next))
        }
        return !(inFlow && Byte.isFlowIndicator(byte))
    }

    // MARK: - Quoted scalars

    /// Reads `'…'`, where `''` is one quote and line breaks fold as in plain scalars.
    mutating func parseSingleQuotedScalar() throws(YAMLError) -> Node {
        let start = mark
        advance()
        var text: [UInt8] = []
        var keptCount = 0
        while true {
            let byte = peek()
            if isAtEnd {
                throw error("unterminated single-quoted string", at: start)
            }
            if byte == Byte.singleQuote {
                advance()
                guard peek() == Byte.singleQuote else { break }
                advance()
                text.append(Byte.singleQuote)
                keptCount = text.count
            } else if byte == Byte.lineFeed {
                try foldQuotedLineBreak(into: &text, keeping: &keptCount, quote: "single", start: start)
            } else {
                text.append(byte)
                advance()
                if !Byte.isBlank(byte) {
                    keptCount = text.count
                }
            }
        }
        return makeNode(.scalar(String(decoding: text, as: UTF8.self), style: .singleQuoted), at: start)
    }

    /// Reads `"…"` with YAML's escapes (`\n`, `\t`, `\"`, `\\`, `\/`, `\xXX`, `\uXXXX`, `\UXXXXXXXX`, …),
    /// escaped line breaks, and line folding.
    mutating func parseDoubleQuotedScalar() throws(YAMLError) -> Node {
        let start = mark
        advance()
        var text: [UInt8] = []
        var keptCount = 0
        while true {
            let byte = peek()
            if isAtEnd {
                throw error("unterminated double-quoted string", at: start)
            }
            if byte == Byte.doubleQuote {
                advance()
                break
            }
            if byte == Byte.lineFeed {
                try foldQuotedLineBreak(into: &text, keeping: &keptCount, quote: "double", start: start)
            } else if byte == Byte.backslash {
                try parseEscape(into: &text, start: start)
                keptCount = text.count
            } else {
                text.append(byte)
                advance()
                if !Byte.isBlank(byte) {
                    keptCount = text.count
                }
            }
        }
        return makeNode(.scalar(String(decoding: text, as: UTF8.self), style: .doubleQuoted), at: start)
    }

    /// Folds a line break inside a quoted scalar: blanks before it and indentation after it go, one break
    /// becomes a space, and each empty line becomes a line feed.
    ///
    /// - Parameter keptCount: how much of `text` must survive trimming (escaped blanks do).
    private mutating func foldQuotedLineBreak(
        into text: inout [UInt8], keeping keptCount: inout Int, quote: String, start: Mark
    ) throws(YAMLError) {
        text.removeSubrange(keptCount...)
        var lineBreaks = 0
        while peek() == Byte.lineFeed {
            advance()
            lineBreaks += 1
            if isAtDocumentMarker {
                throw error("unterminated \(quote)-quoted string", at: start)
            }
            skipBlanks()
        }
        if lineBreaks == 1 {
            text.append(Byte.space)
        } else {
            text.append(contentsOf: repeatElement(Byte.lineFeed, count: lineBreaks - 1))
        }
        keptCount = text.count
    }

    /// Reads one escape sequence of a double-quoted scalar, starting at its backslash.
    private mutating func parseEscape(into text: inout [UInt8], start: Mark) throws(YAMLError) {
        let escapeMark = mark
        advance()
        let code = peek()
        let simple: UInt32? =
            switch code {
            case Byte.zero: 0x00
            case UInt8(ascii: "a"): 0x07
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "t"), Byte.tab: 0x09
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "v"): 0x0B
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "e"): 0x1B
            case Byte.space: 0x20
            case Byte.doubleQuote: 0x22
            case Byte.slash: 0x2F
            case Byte.backslash: 0x5C
            case UInt8(ascii: "N"): 0x85
            case UInt8(ascii: "_"): 0xA0
            case UInt8(ascii: "L"): 0x2028
            case UInt8(ascii: "P"): 0x2029
            default: nil
            }
        if let simple {
            advance()
            appendScalar(simple, to: &text)
            return
        }
        switch code {
        case Byte.lineFeed:
            advance()
            while true {
                if isAtDocumentMarker {
                    throw error("unterminated double-quoted string", at: start)
                }
                skipBlanks()
                guard peek() == Byte.lineFeed else { break }
                text.append(Byte.lineFeed)
                advance()
            }
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            advance()
            let digitCount = code == UInt8(ascii: "x") ? 2 : code == UInt8(ascii: "u") ? 4 : 8
            var value = try parseHexDigits(digitCount, escapeMark: escapeMark)
            if (0xD800..<0xDC00).contains(value) && peek() == Byte.backslash && peek(1) == UInt8(ascii: "u") {
                // A UTF-16 surrogate pair, as JSON writes characters outside the Basic Multilingual Plane.
                advance(by: 2)
                let low = try parseHexDigits(4, escapeMark: escapeMark)
                guard (0xDC00..<0xE000).contains(low) else {
                    throw error(
                        "invalid Unicode escape: a high surrogate must be followed by a low one", at: escapeMark)
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            guard Unicode.Scalar(value) != nil else {
                throw error("invalid Unicode escape: U+\(Self.hex(value)) is not a character", at: escapeMark)
            }
            appendScalar(value, to: &text)
        default:
            if isAtEnd {
                throw error("unterminated double-quoted string", at: start)
            }
            throw error("unknown escape sequence '\\\(currentCharacter)'", at: escapeMark)
        }
    }

    private mutating func parseHexDigits(_ count: Int, escapeMark: Mark) throws(YAMLError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let digit = Byte.hexValue(peek()) else {
                throw error("expected \(count) hexadecimal digits in escape sequence", at: escapeMark)
            }
            value = value << 4 | digit
            advance()
        }
        return value
    }

    private func appendScalar(_ value: UInt32, to text: inout [UInt8]) {
        guard let scalar = Unicode.Scalar(value) else { return }
        UTF8.encode(scalar) { text.append($0) }
    }

    // MARK: - Block scalars

    /// How a block scalar treats its final line breaks.
    private enum Chomping {
        /// `-`: no final line break.
        case strip
        /// The default: one final line break.
        case clip
        /// `+`: every final line break.
        case keep
    }

    /// Reads a literal (`|`) or folded (`>`) block scalar with optional chomping (`-`, `+`) and
    /// indentation (`1`–`9`) indicators, then moves to the next content line.
    mutating func parseBlockScalar(parentIndentation: Int) throws(YAMLError) -> Node {
        let start = mark
        let isFolded = peek() == Byte.greaterThan
        advance()
        var chomping = Chomping.clip
        var explicitIndentation: Int?
        for _ in 0..<2 {
            let byte = peek()
            if (byte == Byte.plus || byte == Byte.minus) && chomping == .clip {
                chomping = byte == Byte.plus ? .keep : .strip
            } else if (Byte.one...Byte.nine).contains(byte) && explicitIndentation == nil {
                explicitIndentation = Int(byte - Byte.zero)
            } else if byte == Byte.zero {
                throw error("the indentation indicator of a block scalar must be 1 to 9")
            } else {
                break
            }
            advance()
        }
        guard Byte.isWhiteOrEnd(peek()) else {
            let indicator = isFolded ? ">" : "|"
            throw error(
                "expected a chomping indicator ('-' or '+'), an indentation indicator (1-9), a comment or a line "
                    + "break after '\(indicator)'")
        }
        skipBlanksAndComment()
        guard isAtLineEnd else {
            throw error("expected a comment or a line break after the block scalar header")
        }
        advance()

        let contentIndentation =
            explicitIndentation.map { max(parentIndentation, 0) + $0 }
            ?? detectBlockIndentation(parentIndentation: parentIndentation)
        var text: [UInt8] = []
        var emptyLines = 0
        var sawContent = false
        var previousWasMoreIndented = false
        var lastContentEndsWithBreak = false
        while !isAtEnd && !isAtDocumentMarker {
            let lineBeginning = position
            let lineBegin = offset
            while indentation < contentIndentation && peek() == Byte.space {
                advance()
            }
            let contentBegin = offset
            skipBlanks()
            let isBlankLine = isAtLineEnd
            if !isBlankLine && contentBegin - lineBegin < contentIndentation {
                position = lineBeginning
                break
            }
            if isBlankLine && !sawContent && explicitIndentation == nil && contentBegin - lineBegin == contentIndentation
                && bytes[contentBegin..<offset].contains(Byte.space) {
                // Leading blank lines set no indentation, and none may be indented deeper than the content.
                throw error("a blank line before a block scalar's first line is indented \(offset - lineBegin) spaces, deeper than the content's \(contentIndentation)", at: Mark(line: line, column: 1))
            }
            if isBlankLine && (contentBegin - lineBegin < contentIndentation || offset == contentBegin) {
                emptyLines += 1
                advance()
                continue
            }
            while !isAtLineEnd {
                advance()
            }
            let content = bytes[contentBegin..<offset]
            let breaks = isFolded
                ? foldedBreaks(
                    isMoreIndented: Byte.isBlank(content.first ?? Byte.end), sawContent: sawContent,
                    emptyLines: emptyLines, previousWasMoreIndented: &previousWasMoreIndented)
                : Array(repeating: Byte.lineFeed, count: sawContent ? 1 + emptyLines : emptyLines)
            text.append(contentsOf: breaks)
            text.append(contentsOf: content)
            sawContent = true
            emptyLines = 0
            lastContentEndsWithBreak = peek() == Byte.lineFeed
            advance()
        }
        switch chomping {
        case .strip:
            break
        case .clip:
            if lastContentEndsWithBreak {
                text.append(Byte.lineFeed)
            }
        case .keep:
            let finalBreak = lastContentEndsWithBreak ? 1 : 0
            let finalBreaks = sawContent ? finalBreak + emptyLines : emptyLines
            text.append(contentsOf: repeatElement(Byte.lineFeed, count: finalBreaks))
        }
        if !isAtEnd {
            try moveToContentFromLineStart()
        }
        let style: ScalarStyle = isFolded ? .folded : .literal
        return makeNode(.scalar(String(decoding: text, as: UTF8.self), style: style), at: start)
    }

    /// The line breaks a folded scalar puts before a content line: a space between two ordinary lines, a
    /// line feed per empty line, and kept breaks around more-indented lines.
    private func foldedBreaks(
        isMoreIndented: Bool, sawContent: Bool, emptyLines: Int, previousWasMoreIndented: inout Bool
    ) -> [UInt8] {
        if isMoreIndented {
            previousWasMoreIndented = true
            return Array(repeating: Byte.lineFeed, count: sawContent ? 1 + emptyLines : emptyLines)
        }
        if previousWasMoreIndented {
            previousWasMoreIndented = false
            return Array(repeating: Byte.lineFeed, count: emptyLines + 1)
        }
        if emptyLines == 0 {
            return sawContent ? [Byte.space] : []
        }
        return Array(repeating: Byte.lineFeed, count: emptyLines)
    }

    /// The indentation of a block scalar's first non-empty line, or one more than the parent's when that
    /// line is not indented enough to belong to the scalar.
    private func detectBlockIndentation(parentIndentation: Int) -> Int {
        var index = offset
        while index < bytes.count {
            var spaces = 0
            while index < bytes.count && bytes[index] == Byte.space {
                index += 1
                spaces += 1
            }
            var end = index
            while end < bytes.count && Byte.isBlank(bytes[end]) {
                end += 1
            }
            if end < bytes.count && bytes[end] != Byte.lineFeed {
                return max(spaces, parentIndentation + 1)
            }
            index = end + 1
        }
        return parentIndentation + 1
    }
}
