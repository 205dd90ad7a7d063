import Testing
import YAML

@Suite struct PlainScalarTests {
    @Test(arguments: [
        ("Key: value", "value"),
        ("Key: arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/*"),
        ("Key: ${AWS::Region}", "${AWS::Region}"),
        ("Key: https://example.com:8080/path?q=1#frag", "https://example.com:8080/path?q=1#frag"),
        ("Key: a#b", "a#b"),
        ("Key: value # comment", "value"),
        ("Key: value\t# comment", "value"),
        ("Key:    spaced out   ", "spaced out"),
        ("Key: -1", "-1"),
        ("Key: :colon-first", ":colon-first"),
        ("Key: ?question", "?question"),
        ("Key: a [b] {c}, d", "a [b] {c}, d"),
        ("Key: Fn::GetAtt", "Fn::GetAtt"),
        ("Key: 'it''s'", "it's"),
        ("Key: caf\u{E9} \u{1F600}", "caf\u{E9} \u{1F600}"),
    ])
    func singleLine(text: String, expected: String) throws {
        #expect(try read(text) == ["Key": .scalar(expected)])
    }

    @Test func multiLineFoldsIntoSpacesAndLineFeeds() throws {
        let text = """
            Description: This is a long
              description that continues

              with a paragraph break
            Next: x
            """
        #expect(try read(text) == ["Description": "This is a long description that continues\nwith a paragraph break", "Next": "x"])
    }

    @Test func multiLineInSequenceAndAtRoot() throws {
        #expect(try read("- one\n  two\n- three") == ["one two", "three"])
        #expect(try read("just\ntext") == "just text")
    }

    @Test func commentEndsMultiLinePlainScalar() throws {
        #expect(try read("Key: a\n# note\nOther: b") == ["Key": "a", "Other": "b"])
    }

    @Test func emptyValuesAreEmptyPlainScalars() throws {
        let node = try #require(try YAML.parse("A:\nB: # nothing\nC: x"))
        #expect(node["A"]?.kind == .scalar("", style: .plain))
        #expect(node["B"]?.isNull == true)
        #expect(try read("- \n-\n- x") == ["", "", "x"])
    }
}

@Suite struct QuotedScalarTests {
    @Test(arguments: [
        (#"Key: 'single # not a comment: ok'"#, "single # not a comment: ok"),
        (#"Key: 'it''s'"#, "it's"),
        (#"Key: ''"#, ""),
        (#"Key: "double""#, "double"),
        (#"Key: "tab\there\nnewline""#, "tab\there\nnewline"),
        (#"Key: "quote \" backslash \\ slash \/""#, "quote \" backslash \\ slash /"),
        (#"Key: "\u00e9\x41\U0001F600""#, "\u{E9}A\u{1F600}"),
        (#"Key: "\uD83D\uDE00""#, "\u{1F600}"),
        (#"Key: "\0\a\b\v\f\r\e\ \N\_\L\P""#, "\u{0}\u{7}\u{8}\u{B}\u{C}\r\u{1B} \u{85}\u{A0}\u{2028}\u{2029}"),
        (#"Key: "${AWS::StackName}-queue""#, "${AWS::StackName}-queue"),
        (#"Key: "  leading and trailing  ""#, "  leading and trailing  "),
    ])
    func singleLine(text: String, expected: String) throws {
        #expect(try read(text) == ["Key": .scalar(expected)])
    }

    @Test func singleQuotedFolding() throws {
        let text = "Key: 'first   \n   second\n\n   third'"
        #expect(try read(text) == ["Key": "first second\nthird"])
    }

    @Test func doubleQuotedFolding() throws {
        let text = "Key: \"folded \n  to a space,\t\n \n  to a line feed, or \t\\\n  \\ \tnon-content\""
        #expect(try read(text) == ["Key": "folded to a space,\nto a line feed, or \t \tnon-content"])
    }

    @Test func escapedBlanksSurviveFolding() throws {
        #expect(try read("Key: \"a\\t\n  b\"") == ["Key": "a\t b"])
    }

    @Test func styleIsRecorded() throws {
        let node = try #require(try YAML.parse("[plain, 'single', \"double\"]"))
        #expect(node[0]?.kind == .scalar("plain", style: .plain))
        #expect(node[1]?.kind == .scalar("single", style: .singleQuoted))
        #expect(node[2]?.kind == .scalar("double", style: .doubleQuoted))
    }
}

@Suite struct BlockScalarTests {
    @Test func literalKeepsLinesAndClipsFinalBreak() throws {
        let text = """
            Policy: |
              {
                "Version": "2012-10-17"
              }

            Next: x
            """
        #expect(try read(text) == ["Policy": "{\n  \"Version\": \"2012-10-17\"\n}\n", "Next": "x"])
    }

    @Test(arguments: [
        ("Key: |-\n  a\n  b\n\n\nNext: x", "a\nb"),
        ("Key: |+\n  a\n  b\n\n\nNext: x", "a\nb\n\n\n"),
        ("Key: |\n  a\n  b\n\n\nNext: x", "a\nb\n"),
        ("Key: >\n  a\n  b\n\n  c\nNext: x", "a b\nc\n"),
        ("Key: >-\n  a\n  b\nNext: x", "a b"),
        ("Key: >+\n  a\n\nNext: x", "a\n\n"),
        ("Key: >\n  a\n    indented\n  b\nNext: x", "a\n  indented\nb\n"),
        ("Key: |2\n    four\n  two\nNext: x", "  four\ntwo\n"),
        ("Key: |-2\n   three\nNext: x", " three"),
        ("Key: |2-\n   three\nNext: x", " three"),
        ("Key: | # a comment\n  text\nNext: x", "text\n"),
        ("Key: |\n\n  after empty\nNext: x", "\nafter empty\n"),
        ("Key: |\nNext: x", ""),
        ("Key: |\n  text", "text"),
        ("Key: |\n  text\n", "text\n"),
        ("Key: |+\n  text", "text"),
        ("Key: |\n  keep # this\n  \ttab\n", "keep # this\n\ttab\n"),
    ])
    func chompingAndIndentation(text: String, expected: String) throws {
        let value = try #require(try read(text))
        guard case .mapping(let pairs) = value else {
            Issue.record("expected a mapping, read \(value)")
            return
        }
        #expect(pairs.first?.value == .scalar(expected))
    }

    @Test func inSequenceAndAtRoot() throws {
        #expect(try read("- |\n  one\n- >-\n  two\n  lines") == ["one\n", "two lines"])
        #expect(try read("--- |\n  root\n  text\n") == "root\ntext\n")
        #expect(try read("--- >\nat column zero\n...\n") == "at column zero\n")
    }

    @Test func lessIndentedCommentEndsBlock() throws {
        #expect(try read("A:\n  B: |\n    text\n  # comment\n  C: d") == ["A": ["B": "text\n", "C": "d"]])
    }

    @Test func styleIsRecorded() throws {
        let node = try #require(try YAML.parse("A: |\n  x\nB: >\n  y\n"))
        #expect(node["A"]?.kind == .scalar("x\n", style: .literal))
        #expect(node["B"]?.kind == .scalar("y\n", style: .folded))
    }
}

/// The reader corners SPEC §7 names: blank lines leading a block scalar set no indentation, tabs separate
/// but never indent, and an unknown tag is kept on its value.
@Suite struct ReaderCornerTests {
    @Test func blankLinesBeforeABlockScalarsFirstLineSetNothing() throws {
        #expect(try read("T: |\n\n\n    text\n    more\n") == ["T": "\n\ntext\nmore\n"])
        #expect(try read("T: >\n  \n    folded\n    text\n") == ["T": "\nfolded text\n"])
        // With an indentation indicator the deeper blank line is content, not an error.
        #expect(try read("T: |2\n     \n  x\n") == ["T": "   \nx\n"])
        #expect(readingError("T: |\n        \n    text\n")?.message.hasPrefix("a blank line before a block scalar's first line is indented 8 spaces") == true)
    }

    @Test func tabsSeparateButNeverIndent() throws {
        #expect(try read("A:\tx\nB: [a,\tb]\nC:\n  -\ty\nD: z\t# comment\n") == ["A": "x", "B": ["a", "b"], "C": ["y"], "D": "z"])
        #expect(readingError("A:\n\tB: 1")?.message == "tab characters are not allowed in indentation; use spaces")
    }

    @Test func unknownTagsAreKept() throws {
        let node = try #require(try YAML.parse("Type: !Rain::Module ./vpc.yaml\nX: !Custom {a: 1}\n"))
        #expect(node["Type"]?.tag == "!Rain::Module" && node["Type"]?.string == "./vpc.yaml")
        #expect(node["X"]?.tag == "!Custom" && node["X"]?["a"]?.string == "1")
        #expect(node.cloudFormationLongForm()["Type"]?.tag == "!Rain::Module")
    }
}
