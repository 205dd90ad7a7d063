import Testing
import YAML

@Suite struct FlowCollectionTests {
    static let forms: [(String, Value)] = [
        ("[a, b, [c]]", ["a", "b", ["c"]]),
        ("{a: 1, b: [x, y]}", ["a": "1", "b": ["x", "y"]]),
        ("[]", []),
        ("{}", [:]),
        ("[a, b,]", ["a", "b"]),
        ("{a: 1,}", ["a": "1"]),
        ("[ a , 'b' , \"c\" ]", ["a", "b", "c"]),
        ("{a, b: }", ["a": "", "b": ""]),
        ("{a:1}", ["a:1": ""]),
        ("{\"a\":1, 'b':[2]}", ["a": "1", "b": ["2"]]),
        ("[a: 1, b]", [["a": "1"], "b"]),
        ("[arn:aws:s3:::bucket/*, '${AWS::Region}']", ["arn:aws:s3:::bucket/*", "${AWS::Region}"]),
        ("{url: http://x/y}", ["url": "http://x/y"]),
        ("[a b, c  d]", ["a b", "c  d"]),
        ("{a: {b: {c: []}}}", ["a": ["b": ["c": []]]]),
    ]

    @Test(arguments: forms)
    func flowForms(text: String, expected: Value) throws {
        #expect(try read(text) == expected)
    }

    /// SPEC §7: a flow mapping's key may span lines (a block key, or a flow sequence's single pair, may not).
    @Test func aFlowKeyMaySpanLines() throws {
        #expect(try read("{Visibility\n  Timeout: 30}") == ["Visibility Timeout": "30"])
        #expect(try read("{\"Ty\n  pe\": 1}") == ["Ty pe": "1"])
        #expect(try read("{Type\n  : AWS::SQS::Queue, b: 2}") == ["Type": "AWS::SQS::Queue", "b": "2"])
        #expect(readingError("[a\n : b]")?.message == "a mapping key must fit on one line")
    }

    /// Property: a flow mapping's plain keys and values broken across lines at any space read as the same
    /// mapping as written on one line (line breaks fold to spaces).
    @Test func keysBrokenAcrossLinesReadAsOnOneLine() throws {
        var rng = SeededGenerator(seed: 20_261_201)
        let words = ["Visibility", "Timeout", "a", "b1", "Fn", "Arn", "x-y", "Z"]
        for _ in 0..<500 {
            let entries = (0..<Int.random(in: 1...4, using: &rng)).map { index in
                (key: (0..<Int.random(in: 1...3, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ") + "\(index)",
                 value: words.randomElement(using: &rng)!)
            }
            let flat = "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
            var broken = ""
            for character in flat {
                if character == " " && Bool.random(using: &rng) { broken += "\n" + String(repeating: " ", count: Int.random(in: 1...4, using: &rng)) }
                else { broken.append(character) }
            }
            #expect(try read("M: " + broken) == read("M: " + flat), "\(broken)")
        }
    }

    @Test func spanningLinesWithComments() throws {
        let text = """
            Key: [
              one,   # first
              two,

              three
            ]
            Map: {
              a: 1,
              b: [x,
                  y],
            }
            """
        #expect(try read(text) == ["Key": ["one", "two", "three"], "Map": ["a": "1", "b": ["x", "y"]]])
    }

    @Test func plainScalarsFoldAcrossLinesInFlow() throws {
        #expect(try read("[a\n  b, c]") == ["a b", "c"])
    }

    @Test func flowCollectionAsSequenceItemAndRoot() throws {
        #expect(try read("- [a, b]\n- {c: d}") == [["a", "b"], ["c": "d"]])
        #expect(try read("[a, {b: c}]") == ["a", ["b": "c"]])
    }
}

@Suite struct JSONTests {
    static let template = """
        {
          "AWSTemplateFormatVersion": "2010-09-09",
          "Resources": {
            "Queue": {
              "Type": "AWS::SQS::Queue",
              "Properties": {"VisibilityTimeout": 60, "FifoQueue": true, "Tags": [], "Name": null}
            },
            "Fn": {"Fn::GetAtt": ["Queue", "Arn"], "Escaped": "a\\"b\\u00e9\\n"}
          }
        }
        """

    @Test func jsonTemplateReads() throws {
        let node = try #require(try YAML.parse(Self.template))
        let queue = try #require(node["Resources"]?["Queue"])
        #expect(queue["Type"]?.string == "AWS::SQS::Queue")
        #expect(queue["Properties"]?["VisibilityTimeout"]?.int == 60)
        #expect(queue["Properties"]?["FifoQueue"]?.bool == true)
        #expect(queue["Properties"]?["Name"]?.isNull == true)
        #expect(queue["Properties"]?["Tags"]?.elements?.isEmpty == true)
        #expect(node["Resources"]?["Fn"]?["Fn::GetAtt"].map(Value.init) == ["Queue", "Arn"])
        #expect(node["Resources"]?["Fn"]?["Escaped"]?.string == "a\"b\u{E9}\n")
    }

    @Test func jsonMarksPointAtKeysAndValues() throws {
        let node = try #require(try YAML.parse(Self.template))
        #expect(node.mark == Mark(line: 1, column: 1))
        let resources = try #require(node.entries?[1])
        #expect(resources.key.mark == Mark(line: 3, column: 3))
        #expect(resources.value.mark == Mark(line: 3, column: 16))
        let queue = try #require(resources.value["Queue"])
        #expect(queue["Type"]?.mark == Mark(line: 5, column: 15))
        #expect(queue["Properties"]?["FifoQueue"]?.mark == Mark(line: 6, column: 60))
        #expect(node["Resources"]?["Fn"]?["Fn::GetAtt"]?[1]?.mark == Mark(line: 8, column: 36))
    }

    @Test func jsonIndentedWithTabs() throws {
        #expect(try read("{\n\t\"a\": [\n\t\t1,\n\t\t2\n\t]\n}\n") == ["a": ["1", "2"]])
    }

    @Test func jsonSurrogatePairs() throws {
        #expect(try read("[\"\\ud83d\\ude00\"]") == ["\u{1F600}"])
    }
}
