import Testing
import YAML

@Suite struct DocumentTests {
    @Test(arguments: ["", "   ", "\n\n", "# only a comment", "# one\n\n   # two\n", "---", "---\n...\n", "--- # empty\n", "\u{FEFF}"])
    func emptyDocumentsReadAsNil(text: String) throws {
        #expect(try YAML.parse(text) == nil)
    }

    @Test func documentMarkers() throws {
        #expect(try read("---\nA: 1\n...\n") == ["A": "1"])
        #expect(try read("--- # start\nA: 1\n... # end\n# trailing comment\n") == ["A": "1"])
        #expect(try read("--- [a, b]\n") == ["a", "b"])
        #expect(try read("--- plain\n") == "plain")
    }

    @Test func directivesBeforeTheDocument() throws {
        #expect(try read("%YAML 1.2\n---\nA: 1") == ["A": "1"])
    }

    @Test func windowsLineEndingsAndByteOrderMark() throws {
        let text = "\u{FEFF}A: 1\r\nB:\r\n  - x\r\n  - |\r\n    block\r\n    text\r\nC: \"y\r\n  z\"\r\n"
        #expect(try read(text) == ["A": "1", "B": ["x", "block\ntext\n"], "C": "y z"])
        let node = try #require(try YAML.parse(text))
        #expect(node.mark == Mark(line: 1, column: 1))
        #expect(node["C"]?.mark == Mark(line: 7, column: 4))
    }

    @Test func loneCarriageReturnsBreakLines() throws {
        #expect(try read("A: 1\rB: 2\r") == ["A": "1", "B": "2"])
    }

    @Test func rootScalars() throws {
        #expect(try read("hello") == "hello")
        #expect(try read("'quoted'\n# comment") == "quoted")
    }
}

@Suite struct MarkTests {
    static let text = """
        # comment
        Resources:
          Queue:
            Type: AWS::SQS::Queue
          Function:
            Properties:
              Events:
                - Type: SQS
                  Queue: !GetAtt Queue.Arn
              Policy: |
                text
              List: [a, 'b']
              Empty:
        """

    @Test func nodesStartWhereTheirTextStarts() throws {
        let root = try #require(try YAML.parse(Self.text))
        #expect(root.mark == Mark(line: 2, column: 1))
        let resources = try #require(root.entries?.first)
        #expect(resources.key.mark == Mark(line: 2, column: 1))
        #expect(resources.value.mark == Mark(line: 3, column: 3))
        #expect(root["Resources"]?["Queue"]?["Type"]?.mark == Mark(line: 4, column: 11))
        let properties = try #require(root["Resources"]?["Function"]?["Properties"])
        let events = try #require(properties["Events"])
        #expect(events.mark == Mark(line: 8, column: 9))
        #expect(events[0]?.mark == Mark(line: 8, column: 11))
        #expect(events[0]?.entries?[1].key.mark == Mark(line: 9, column: 11))
        #expect(events[0]?["Queue"]?.mark == Mark(line: 9, column: 18))
        #expect(properties["Policy"]?.mark == Mark(line: 10, column: 15))
        #expect(properties["List"]?.mark == Mark(line: 12, column: 13))
        #expect(properties["List"]?[1]?.mark == Mark(line: 12, column: 17))
        #expect(properties["Empty"]?.mark == Mark(line: 13, column: 13))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let root = try #require(try YAML.parse("{\"caf\u{E9}\u{1F600}\": x}"))
        #expect(root.entries?.first?.value.mark == Mark(line: 1, column: 11))
    }
}
