import Testing
import YAML

/// Each kind of syntax error, with the exact place it is reported and its message.
@Suite struct ErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var text: String
        var line: Int
        var column: Int
        var message: String
        var description: String { text }
    }

    static let cases: [Case] = [
        Case(text: "A: 1\nB\nC: 2", line: 2, column: 2, message: "expected ':' after mapping key"),
        Case(text: "A: b: c", line: 1, column: 5, message: "mapping values are not allowed here"),
        Case(text: "A: 1\n  B: 2", line: 2, column: 3, message: "bad indentation of a mapping entry"),
        Case(text: "A: 'x'\n  B: 2", line: 2, column: 3, message: "bad indentation of a mapping entry"),
        Case(text: "A:\n  B: 1\n C: 2", line: 3, column: 2, message: "bad indentation of a mapping entry"),
        Case(text: "  A: 1\nB: 2", line: 2, column: 1, message: "expected the end of the document, found 'B'"),
        Case(text: "'a'\nb", line: 2, column: 1, message: "expected the end of the document, found 'b'"),
        Case(text: "- a: 1\n b: 2", line: 2, column: 2, message: "bad indentation of a sequence entry"),
        Case(text: "- 'a'\n  - b", line: 2, column: 3, message: "bad indentation of a sequence entry"),
        Case(text: "A: 1\n- b", line: 2, column: 1, message: "expected a mapping key, found a sequence entry '-'"),
        Case(text: "- a\nB: 1", line: 2, column: 1, message: "expected '- ' to start a sequence entry, found 'B'"),
        Case(text: "A: - b", line: 1, column: 4, message: "block sequence entries are not allowed here"),
        Case(text: "A:\n  x: [1, 2\n", line: 3, column: 1, message: "expected ']' to close flow sequence opened at 2:6"),
        Case(text: "A: {a: 1", line: 1, column: 9, message: "expected '}' to close flow mapping opened at 1:4"),
        Case(text: "[a, b}", line: 1, column: 6, message: "expected ',' or ']' in flow sequence opened at 1:1"),
        Case(text: "{a: 1 ]", line: 1, column: 7, message: "expected ',' or '}' in flow mapping opened at 1:1"),
        Case(text: "{\"a\" \"b\"}", line: 1, column: 6, message: "expected ':' after mapping key"),
        Case(text: "[a, , b]", line: 1, column: 5, message: "expected a value or ']' before ','"),
        Case(text: "{, a}", line: 1, column: 2, message: "expected a mapping key or '}' before ','"),
        Case(text: "[a\n---\n]", line: 2, column: 1, message: "expected ']' to close flow sequence opened at 1:1"),
        Case(text: "A: \"abc\nB: 1\n", line: 1, column: 4, message: "unterminated double-quoted string"),
        Case(text: "A: 'abc\n", line: 1, column: 4, message: "unterminated single-quoted string"),
        Case(text: "A: \"a\n---\nb\"", line: 1, column: 4, message: "unterminated double-quoted string"),
        Case(text: "A: \"bad \\q escape\"", line: 1, column: 9, message: "unknown escape sequence '\\q'"),
        Case(text: "A: \"\\u12G4\"", line: 1, column: 5, message: "expected 4 hexadecimal digits in escape sequence"),
        Case(text: "A: \"\\uDC00\"", line: 1, column: 5, message: "invalid Unicode escape: U+DC00 is not a character"),
        Case(text: "Timeout: 3\nMemory: 1\nTimeout: 5", line: 3, column: 1, message: "duplicate key 'Timeout' (first at line 1)"),
        Case(text: "A:\n  x: 1\n  'x': 2", line: 3, column: 3, message: "duplicate key 'x' (first at line 2)"),
        Case(text: "{a: 1, b: 2, a: 3}", line: 1, column: 14, message: "duplicate key 'a' (first at line 1)"),
        Case(text: "A:\n\tB: 1", line: 2, column: 1, message: "tab characters are not allowed in indentation; use spaces"),
        Case(text: "A:\n  \tB: 1", line: 2, column: 3, message: "tab characters are not allowed in indentation; use spaces"),
        Case(text: "A: 1\n---\nB: 2", line: 2, column: 1, message: "only a single YAML document is supported"),
        Case(text: "A: 1\n...\n---\nB: 2", line: 3, column: 1, message: "only a single YAML document is supported"),
        Case(text: "? complex\n: value", line: 1, column: 1, message: "explicit mapping keys ('? ') are not supported; write 'key: value'"),
        Case(text: "A: *missing", line: 1, column: 4, message: "undefined alias 'missing'; an anchor '&missing' must come first"),
        Case(text: "A: &a !T *b", line: 1, column: 10, message: "an alias cannot have a tag or an anchor"),
        Case(text: "A: !a !b x", line: 1, column: 7, message: "a node can have only one tag"),
        Case(text: "A: & x", line: 1, column: 4, message: "expected a name after '&'"),
        Case(text: "A: !local!name x", line: 1, column: 4, message: "undeclared tag handle '!local!'; write tags as '!Name' or '!!type'"),
        Case(text: "A: !Equals[a, b]", line: 1, column: 11, message: "unexpected '[' after the node's tag or anchor; expected a space"),
        Case(text: "A: !Sub\"x\"", line: 1, column: 8, message: "unexpected '\"' after the node's tag or anchor; expected a space"),
        Case(text: "A: |x\n  y", line: 1, column: 5, message: "expected a chomping indicator ('-' or '+'), an indentation indicator (1-9), a comment or a line break after '|'"),
        Case(text: "A: |0\n  y", line: 1, column: 5, message: "the indentation indicator of a block scalar must be 1 to 9"),
        Case(text: "A: | x\n  y", line: 1, column: 6, message: "expected a comment or a line break after the block scalar header"),
        Case(text: "A: [|]", line: 1, column: 5, message: "block scalars are not allowed inside flow collections"),
        Case(text: "A: [- a]", line: 1, column: 5, message: "block sequence entries are not allowed inside flow collections"),
        Case(text: "A: @handle", line: 1, column: 4, message: "'@' cannot start a plain scalar; quote the value"),
        Case(text: "A: `cmd`", line: 1, column: 4, message: "'`' cannot start a plain scalar; quote the value"),
        Case(text: "A: ]", line: 1, column: 4, message: "unexpected ']'; expected a value"),
        Case(text: ": value", line: 1, column: 1, message: "missing mapping key before ':'"),
        Case(text: "\"multi\n  line\": x", line: 1, column: 1, message: "a mapping key must fit on one line"),
        Case(text: "T: |\n      \n    text\n", line: 2, column: 1, message: "a blank line before a block scalar's first line is indented 6 spaces, deeper than the content's 4"),
        Case(text: "{\n  \"Type: \"x\",\n}", line: 2, column: 11, message: "expected ':' after mapping key"),
        Case(text: "[a\n : b]", line: 1, column: 2, message: "a mapping key must fit on one line"),
        Case(text: "A: \"x\" y", line: 1, column: 8, message: "unexpected 'y' after a value; expected a comment or a line break"),
        Case(text: "A: \"x\":y", line: 1, column: 7, message: "expected a space after ':'"),
        Case(text: "A: [x]#c", line: 1, column: 7, message: "unexpected '#' after a value; expected a comment or a line break"),
        Case(text: "A: 1\nB: \u{1}", line: 2, column: 4, message: "invalid character U+0001; control characters are not allowed in YAML"),
        Case(text: "A: caf\u{E9}\u{7F}", line: 1, column: 8, message: "invalid character U+007F; control characters are not allowed in YAML"),
        Case(text: "A: \u{85}ok\u{9F}", line: 1, column: 7, message: "invalid character U+009F; control characters are not allowed in YAML"),
        Case(text: "%YAML 1.2\nA: 1", line: 2, column: 1, message: "expected '---' after the directives"),
        Case(text: "A: 1\n... x", line: 2, column: 5, message: "expected a comment or a line break after '...'"),
    ]

    @Test(arguments: cases)
    func reportsLocatedError(_ example: Case) {
        let error = readingError(example.text)
        #expect(error == YAMLError(mark: Mark(line: example.line, column: example.column), message: example.message))
    }

    @Test func descriptionReadsLikeACompilerDiagnostic() {
        let error = YAMLError(mark: Mark(line: 3, column: 7), message: "expected ':' after mapping key")
        #expect(error.description == "3:7: expected ':' after mapping key")
    }
}
