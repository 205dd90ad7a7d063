extension Parser {
    /// Reads a node in block context, starting at its first character, and moves to the next content line.
    ///
    /// - Parameters:
    ///   - parentIndentation: the indentation of the collection holding the node (-1 for the root). Lines
    ///     that continue the node must be indented more.
    ///   - allowsCollection: whether a block sequence or mapping may start on this line. It may not right
    ///     after `key: `, where `a: b: c` is an error.
    ///   - allowsCompactSequence: whether a sequence at `parentIndentation` may follow properties written
    ///     alone on a line, as a mapping value may (`Key: !Tag` then `- item`).
    mutating func parseBlockNode(
        parentIndentation: Int, allowsCollection: Bool, allowsCompactSequence: Bool = false, depth: Int
    ) throws(YAMLError) -> Node {
        try checkDepth(depth)
        let start = mark
        let startIndentation = indentation
        let properties = try parseProperties(depth: depth)
        if !properties.isEmpty {
            skipBlanksAndComment()
            if isAtLineEnd {
                return try parsePropertiesAloneOnLine(
                    properties, start: start, parentIndentation: parentIndentation,
                    allowsCompactSequence: allowsCompactSequence, depth: depth)
            }
        }

        if isAtSequenceEntry {
            guard allowsCollection && properties.isEmpty else {
                throw error("block sequence entries are not allowed here")
            }
            return try parseBlockSequence(indentation: startIndentation, isCompact: false, depth: depth + 1)
        }
        if peek() == Byte.question && Byte.isWhiteOrEnd(peek(1)) {
            throw error("explicit mapping keys ('? ') are not supported; write 'key: value'")
        }
        if peek() == Byte.pipe || peek() == Byte.greaterThan {
            let scalar = try parseBlockScalar(parentIndentation: parentIndentation)
            return try apply(properties, to: scalar, start: start)
        }

        let node = try parseNodeOnLine(
            properties, start: start, continuationIndentation: parentIndentation, depth: depth)
        skipBlanks()
        if peek() == Byte.colon && Byte.isWhiteOrEnd(peek(1)) {
            guard allowsCollection else {
                throw error("mapping values are not allowed here")
            }
            guard node.mark.line == line else {
                throw error("a mapping key must fit on one line", at: node.mark)
            }
            return try parseBlockMapping(indentation: startIndentation, firstKey: node, depth: depth + 1)
        }
        skipBlanksAndComment()
        guard isAtLineEnd else {
            if peek() == Byte.colon {
                throw error("expected a space after ':'")
            }
            throw error("unexpected \(currentCharacterDescription) after a value; expected a comment or a line break")
        }
        try moveToNextContentLine()
        return node
    }

    /// Reads the node whose tag or anchor stands alone at the end of a line: its content is on the lines
    /// below, or it is empty.
    private mutating func parsePropertiesAloneOnLine(
        _ properties: Properties, start: Mark, parentIndentation: Int, allowsCompactSequence: Bool, depth: Int
    ) throws(YAMLError) -> Node {
        let endOfProperties = mark
        try moveToNextContentLine()
        let next = blockIndentation
        let node: Node
        if next > parentIndentation {
            node = try parseBlockNode(parentIndentation: parentIndentation, allowsCollection: true, depth: depth + 1)
        } else if next == parentIndentation && allowsCompactSequence && isAtSequenceEntry {
            node = try parseBlockSequence(indentation: next, isCompact: true, depth: depth + 1)
        } else {
            node = makeEmptyNode(at: endOfProperties)
        }
        return try apply(properties, to: node, start: start)
    }

    /// Reads a node that fits the block grammar's "flow in block" shape: an alias, a quoted scalar, a flow
    /// collection or a plain scalar, with the properties already read.
    ///
    /// - Parameter continuationIndentation: plain scalars may continue on lines indented more than this;
    ///   `nil` keeps them on one line, as mapping keys are.
    mutating func parseNodeOnLine(
        _ properties: Properties, start: Mark, continuationIndentation: Int?, depth: Int
    ) throws(YAMLError) -> Node {
        let node: Node
        switch peek() {
        case Byte.asterisk:
            guard properties.isEmpty else {
                throw error("an alias cannot have a tag or an anchor")
            }
            return try parseAlias(depth: depth)
        case Byte.doubleQuote:
            node = try parseDoubleQuotedScalar()
        case Byte.singleQuote:
            node = try parseSingleQuotedScalar()
        case Byte.leftBracket:
            node = try parseFlowSequence(depth: depth + 1)
        case Byte.leftBrace:
            node = try parseFlowMapping(depth: depth + 1)
        default:
            if isAtLineEnd || isAtCommentStart {
                node = makeEmptyNode(at: mark)
            } else if canStartPlainScalar(inFlow: false) {
                node = try parsePlainScalar(inFlow: false, continuationIndentation: continuationIndentation)
            } else {
                throw unexpectedNodeStart()
            }
        }
        return try apply(properties, to: node, start: start)
    }

    /// Reads a block mapping whose first key has been read; the parser is at the key's `:`.
    mutating func parseBlockMapping(indentation: Int, firstKey: Node, depth: Int) throws(YAMLError) -> Node {
        var entries: [(key: Node, value: Node)] = []
        var keyIndex: [String: Mark]? = nil
        var key = firstKey
        while true {
            try checkUnique(key, among: entries, index: &keyIndex)
            advance()
            let value = try parseBlockMappingValue(indentation: indentation, depth: depth)
            entries.append((key: key, value: value))
            let next = blockIndentation
            if next < indentation {
                break
            }
            guard next == indentation else {
                throw error("bad indentation of a mapping entry")
            }
            key = try parseBlockMappingKey(indentation: indentation, depth: depth)
        }
        return makeNode(.mapping(entries), at: firstKey.mark)
    }

    /// Reads the value after a block mapping's `:`: on the same line, on the lines below (indented more, or
    /// a sequence at the key's own indentation), or absent.
    private mutating func parseBlockMappingValue(indentation: Int, depth: Int) throws(YAMLError) -> Node {
        let afterColon = mark
        skipBlanksAndComment()
        guard isAtLineEnd else {
            return try parseBlockNode(
                parentIndentation: indentation, allowsCollection: false, allowsCompactSequence: true, depth: depth)
        }
        try moveToNextContentLine()
        let next = blockIndentation
        if next > indentation {
            return try parseBlockNode(
                parentIndentation: indentation, allowsCollection: true, allowsCompactSequence: true, depth: depth)
        }
        if next == indentation && isAtSequenceEntry {
            return try parseBlockSequence(indentation: indentation, isCompact: true, depth: depth)
        }
        return makeEmptyNode(at: afterColon)
    }

    /// Reads a key of a block mapping after the first, up to its `:`.
    private mutating func parseBlockMappingKey(indentation: Int, depth: Int) throws(YAMLError) -> Node {
        if isAtSequenceEntry {
            throw error("expected a mapping key, found a sequence entry '-'")
        }
        if peek() == Byte.question && Byte.isWhiteOrEnd(peek(1)) {
            throw error("explicit mapping keys ('? ') are not supported; write 'key: value'")
        }
        if peek() == Byte.pipe || peek() == Byte.greaterThan {
            throw error("expected a mapping key, found a block scalar")
        }
        let start = mark
        let properties = try parseProperties(depth: depth)
        let key = try parseNodeOnLine(properties, start: start, continuationIndentation: nil, depth: depth)
        skipBlanks()
        guard peek() == Byte.colon && Byte.isWhiteOrEnd(peek(1)) else {
            throw error("expected ':' after mapping key")
        }
        guard key.mark.line == line else {
            throw error("a mapping key must fit on one line", at: key.mark)
        }
        return key
    }

    /// Reads a block sequence whose first `-` is at the current position.
    ///
    /// - Parameter isCompact: the sequence is a mapping value at its key's indentation (`Key:` then
    ///   `- item`), so a line at that indentation that is not an entry belongs to the mapping.
    mutating func parseBlockSequence(indentation: Int, isCompact: Bool, depth: Int) throws(YAMLError) -> Node {
        let start = mark
        var items: [Node] = []
        while true {
            advance()
            let afterDash = mark
            skipBlanksAndComment()
            if isAtLineEnd {
                try moveToNextContentLine()
                if blockIndentation > indentation {
                    items.append(
                        try parseBlockNode(parentIndentation: indentation, allowsCollection: true, depth: depth))
                } else {
                    items.append(makeEmptyNode(at: afterDash))
                }
            } else {
                items.append(try parseBlockNode(parentIndentation: indentation, allowsCollection: true, depth: depth))
            }
            let next = blockIndentation
            if next < indentation {
                break
            }
            guard next == indentation else {
                throw error("bad indentation of a sequence entry")
            }
            if isAtSequenceEntry {
                continue
            }
            if isCompact {
                break
            }
            throw error("expected '- ' to start a sequence entry, found \(currentCharacterDescription)")
        }
        return makeNode(.sequence(items), at: start)
    }
}
