import Testing
import YAML

@Suite struct BlockCollectionTests {
    @Test func nestedMappingsKeepOrder() throws {
        let text = """
            Zeta: 1
            Alpha:
              Inner:
                Deep: value
              Other: 2
            Middle: 3
            """
        #expect(try read(text) == ["Zeta": "1", "Alpha": ["Inner": ["Deep": "value"], "Other": "2"], "Middle": "3"])
    }

    @Test func sequenceIndentedUnderKey() throws {
        #expect(try read("Key:\n  - a\n  - b\nNext: c") == ["Key": ["a", "b"], "Next": "c"])
    }

    @Test func sequenceAtSameIndentationAsKey() throws {
        #expect(try read("Key:\n- a\n- b\nNext: c") == ["Key": ["a", "b"], "Next": "c"])
        #expect(try read("Outer:\n  Key:\n  - a\n  Next: c") == ["Outer": ["Key": ["a"], "Next": "c"]])
    }

    @Test func compactMappingsInSequence() throws {
        let text = """
            Statement:
              - Effect: Allow
                Action:
                  - sqs:SendMessage
                  - sqs:GetQueueUrl
                Resource: '*'
              - Effect: Deny
                Action: s3:*
            """
        #expect(
            try read(text) == [
                "Statement": [
                    ["Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"], "Resource": "*"],
                    ["Effect": "Deny", "Action": "s3:*"],
                ]
            ])
    }

    @Test func compactNestedSequences() throws {
        #expect(try read("- - a\n  - b\n- - c") == [["a", "b"], ["c"]])
        #expect(try read("-\n  - a\n-\n  x: y") == [["a"], ["x": "y"]])
    }

    @Test func compactMappingWithSequenceValueAtItsIndentation() throws {
        #expect(try read("- a:\n  - x\n  b: y") == [["a": ["x"], "b": "y"]])
    }

    @Test func commentsAndBlankLinesAnywhere() throws {
        let text = """
            # header

            A: 1   # trailing
              # indented comment
            B:
              # before item

              - x # after item

            # between
            C: 3
            """
        #expect(try read(text) == ["A": "1", "B": ["x"], "C": "3"])
    }

    @Test func quotedAndFlowKeys() throws {
        #expect(try read("'single': 1\n\"double\": 2\n[a, b]: 3") == ["single": "1", "double": "2", ["a", "b"]: "3"])
    }

    @Test func indentedRootMapping() throws {
        #expect(try read("  A: 1\n  B: 2\n") == ["A": "1", "B": "2"])
    }

    @Test func tabsAreFineAsSeparators() throws {
        #expect(try read("A:\tb\nC: \t[x,\ty]") == ["A": "b", "C": ["x", "y"]])
    }
}

@Suite struct TagAndAnchorTests {
    @Test func tagsAreRecordedOnTheirNodes() throws {
        let node = try #require(try YAML.parse("A: !Ref Bucket\nB: !Sub 'x-${Y}'\nC: !GetAtt [Queue, Arn]\nD: !!str 12"))
        #expect(node["A"]?.tag == "!Ref")
        #expect(node["A"]?.string == "Bucket")
        #expect(node["B"]?.tag == "!Sub")
        #expect(node["B"]?.kind == .scalar("x-${Y}", style: .singleQuoted))
        #expect(node["C"]?.tag == "!GetAtt")
        #expect(node["C"]?.elements?.count == 2)
        #expect(node["D"]?.tag == "!!str")
        #expect(node["D"]?.int == nil)
        #expect(node["A"]?.tag != nil && node.tag == nil)
    }

    @Test func tagAloneOnLineAppliesToBlockBelow() throws {
        let node = try #require(try YAML.parse("A: !If\n  - Cond\n  - x\n  - y\nB: !Join\n- ''\n- [a, b]\nC: !Ref\nD: e"))
        #expect(node["A"]?.tag == "!If")
        #expect(node["A"].map(Value.init) == ["Cond", "x", "y"])
        #expect(node["B"]?.tag == "!Join")
        #expect(node["B"].map(Value.init) == ["", ["a", "b"]])
        #expect(node["C"]?.tag == "!Ref")
        #expect(node["C"]?.isNull == false)
        #expect(node["C"]?.string == "")
        #expect(node["D"]?.string == "e")
    }

    @Test func tagBeforeBlockScalarAndFlowCollections() throws {
        let node = try #require(try YAML.parse("A: !Sub |\n  line ${X}\nB: !Join ['', [!Ref A, '-x']]"))
        #expect(node["A"]?.tag == "!Sub")
        #expect(node["A"]?.string == "line ${X}\n")
        #expect(node["B"]?[1]?[0]?.tag == "!Ref")
    }

    @Test func verbatimSecondaryAndNonSpecificTags() throws {
        let node = try #require(try YAML.parse("- !<tag:yaml.org,2002:str> a\n- !!binary b\n- ! c"))
        #expect(node[0]?.tag == "!<tag:yaml.org,2002:str>")
        #expect(node[1]?.tag == "!!binary")
        #expect(node[2]?.tag == "!")
    }

    @Test func anchorsAndAliasesCopyNodes() throws {
        let text = """
            Defaults: &defaults
              Timeout: 30
              Runtime: python3.13
            Function:
              Settings: *defaults
              Name: &name fn
              Again: *name
            """
        let node = try #require(try YAML.parse(text))
        #expect(node["Function"]?["Settings"].map(Value.init) == ["Timeout": "30", "Runtime": "python3.13"])
        #expect(node["Function"]?["Again"]?.string == "fn")
        #expect(node["Function"]?["Settings"]?.mark == Mark(line: 5, column: 13))
    }

    @Test func anchorWithTagAndAliasAsKey() throws {
        let node = try #require(try YAML.parse("- &k !Ref key\n- {*k : v}"))
        #expect(node[0]?.tag == "!Ref")
        #expect(node[1]?.entries?.first?.key.tag == "!Ref")
        #expect(node[1]?.entries?.first?.value.string == "v")
    }
}
