extension Parser {
    /// An open flow collection, remembered so that errors can say which bracket is missing and where it was
    /// opened.
    struct FlowCollection {
        let isMapping: Bool
        let openMark: Mark

        var closer: UInt8 { isMapping ? Byte.rightBrace : Byte.rightBracket }
        var name: String { isMapping ? "flow mapping" : "flow sequence" }
        var closerText: String { isMapping ? "'}'" : "']'" }

        var unclosedMessage: String {
            "expected \(closerText) to close \(name) opened at \(openMark)"
        }
        var badSeparatorMessage: String {
            "expected ',' or \(closerText) in \(name) opened at \(openMark)"
        }
    }

    /// Reads `[a, b, …]`, which may span lines and may end with a comma.
    mutating func parseFlowSequence(depth: Int) throws(YAMLError) -> Node {
        try checkDepth(depth)
        let collection = FlowCollection(isMapping: false, openMark: mark)
        advance()
        var items: [Node] = []
        while true {
            try skipFlowSeparation(in: collection)
            if peek() == Byte.rightBracket {
                advance()
                break
            }
            if peek() == Byte.comma {
                throw error("expected a value or ']' before ','")
            }
            let entryStart = mark
            var item = try parseFlowNode(in: collection, depth: depth + 1)
            try skipFlowSeparation(in: collection)
            if isAtFlowMappingValue(after: item) {
                try checkSingleLine(item)
                advance()
                let value = try parseFlowMappingValue(in: collection, depth: depth + 1)
                item = makeNode(.mapping([(key: item, value: value)]), at: entryStart)
            }
            items.append(item)
            guard try consumeFlowSeparator(in: collection) else { break }
        }
        return makeNode(.sequence(items), at: collection.openMark)
    }

    /// Reads `{a: 1, b, "c": [x]}`, which may span lines and may end with a comma.
    mutating func parseFlowMapping(depth: Int) throws(YAMLError) -> Node {
        try checkDepth(depth)
        let collection = FlowCollection(isMapping: true, openMark: mark)
        advance()
        var entries: [(key: Node, value: Node)] = []
        var keyIndex: [String: Mark]? = nil
        while true {
            try skipFlowSeparation(in: collection)
            if peek() == Byte.rightBrace {
                advance()
                break
            }
            if peek() == Byte.comma {
                throw error("expected a mapping key or '}' before ','")
            }
            let key = try parseFlowNode(in: collection, depth: depth + 1)
            try skipFlowSeparation(in: collection)
            let value: Node
            if isAtFlowMappingValue(after: key) {
                // A flow mapping's key may span lines (YAML 1.2's ns-flow-map-yaml-key-entry), unlike a block key.
                advance()
                value = try parseFlowMappingValue(in: collection, depth: depth + 1)
            } else if peek() == Byte.comma || peek() == Byte.rightBrace {
                value = makeEmptyNode(at: mark)
            } else if isAtEnd {
                throw error(collection.unclosedMessage)
            } else {
                throw error("expected ':' after mapping key")
            }
            try checkUnique(key, among: entries, index: &keyIndex)
            entries.append((key: key, value: value))
            guard try consumeFlowSeparator(in: collection) else { break }
        }
        return makeNode(.mapping(entries), at: collection.openMark)
    }

    /// Reads one node inside a flow collection.
    private mutating func parseFlowNode(in collection: FlowCollection, depth: Int) throws(YAMLError) -> Node {
        try checkDepth(depth)
        let start = mark
        let properties = try parseProperties(depth: depth)
        if !properties.isEmpty {
            try skipFlowSeparation(in: collection)
        }
        let node: Node
        switch peek() {
        case Byte.leftBracket:
            node = try parseFlowSequence(depth: depth)
        case Byte.leftBrace:
            node = try parseFlowMapping(depth: depth)
        case Byte.doubleQuote:
            node = try parseDoubleQuotedScalar()
        case Byte.singleQuote:
            node = try parseSingleQuotedScalar()
        case Byte.asterisk:
            guard properties.isEmpty else {
                throw error("an alias cannot have a tag or an anchor")
            }
            return try parseAlias(depth: depth)
        default:
            if isAtEnd {
                throw error(collection.unclosedMessage)
            } else if !properties.isEmpty && (Byte.isFlowIndicator(peek()) || isAtFlowMappingIndicator) {
                node = makeEmptyNode(at: mark)
            } else if canStartPlainScalar(inFlow: true) {
                node = try parsePlainScalar(inFlow: true, continuationIndentation: -1)
            } else {
                throw unexpectedNodeStart()
            }
        }
        return try apply(properties, to: node, start: start)
    }

    /// Reads the value after a `:` inside a flow collection, or an empty node when there is none.
    private mutating func parseFlowMappingValue(in collection: FlowCollection, depth: Int) throws(YAMLError) -> Node {
        try skipFlowSeparation(in: collection)
        if peek() == Byte.comma || peek() == collection.closer {
            return makeEmptyNode(at: mark)
        }
        let value = try parseFlowNode(in: collection, depth: depth)
        try skipFlowSeparation(in: collection)
        return value
    }

    /// Consumes the `,` or the closing bracket after an entry. Returns `true` when another entry may follow.
    private mutating func consumeFlowSeparator(in collection: FlowCollection) throws(YAMLError) -> Bool {
        if peek() == Byte.comma {
            advance()
            return true
        }
        if peek() == collection.closer {
            advance()
            return false
        }
        throw error(isAtEnd ? collection.unclosedMessage : collection.badSeparatorMessage)
    }

    /// A `:` that separates a key from its value in flow context: followed by whitespace or a flow indicator,
    /// or right after a quoted or bracketed key, as in JSON's `{"a":1}`.
    private func isAtFlowMappingValue(after key: Node) -> Bool {
        guard peek() == Byte.colon else { return false }
        switch key.kind {
        case .scalar(_, style: .doubleQuoted), .scalar(_, style: .singleQuoted), .sequence, .mapping:
            return true
        default:
            return isAtFlowMappingIndicator
        }
    }

    /// Rejects an implicit key that does not end on the line where it starts, as YAML requires; in JSON
    /// this usually points at a missing quote.
    private func checkSingleLine(_ key: Node) throws(YAMLError) {
        guard key.mark.line == line else {
            throw error("a mapping key must fit on one line", at: key.mark)
        }
    }

    private var isAtFlowMappingIndicator: Bool {
        peek() == Byte.colon && (Byte.isWhiteOrEnd(peek(1)) || Byte.isFlowIndicator(peek(1)))
    }

    /// Skips whitespace, line breaks and comments between the tokens of a flow collection. Tabs are fine
    /// here, so JSON indented with tabs reads as well.
    private mutating func skipFlowSeparation(in collection: FlowCollection) throws(YAMLError) {
        while true {
            skipBlanksAndComment()
            guard peek() == Byte.lineFeed else { return }
            advance()
            if isAtDocumentMarker {
                throw error(collection.unclosedMessage)
            }
        }
    }
}
