extension Parser {
    /// Reads the single document of the input: optional directives, an optional `---`, the root node, and an
    /// optional `...`. Anything after that is an error, because templates hold one document.
    mutating func parseDocument() throws(YAMLError) -> Node? {
        try moveToContentFromLineStart()
        var sawDirective = false
        while isAtLineStart && peek() == Byte.percent {
            sawDirective = true
            while !isAtLineEnd {
                advance()
            }
            try moveToNextContentLine()
        }
        if isAtDocumentMarker && peek() == Byte.minus {
            advance(by: 3)
            skipBlanksAndComment()
            if isAtLineEnd {
                try moveToNextContentLine()
            }
        } else if sawDirective {
            throw error("expected '---' after the directives")
        }

        var root: Node?
        if !isAtEnd && !isAtDocumentMarker {
            root = try parseBlockNode(parentIndentation: -1, allowsCollection: true, depth: 1)
        }

        if isAtDocumentMarker && peek() == Byte.period {
            advance(by: 3)
            skipBlanksAndComment()
            guard isAtLineEnd else {
                throw error("expected a comment or a line break after '...'")
            }
            try moveToNextContentLine()
        }
        guard isAtEnd else {
            if isAtDocumentMarker || isAtLineStart && peek() == Byte.percent {
                throw error("only a single YAML document is supported")
            }
            throw error("expected the end of the document, found \(currentCharacterDescription)")
        }
        return root
    }
}
