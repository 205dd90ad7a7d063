import Testing
import YAML

/// Short-form intrinsic functions rewritten as their long forms.
@Suite struct CloudFormationTests {
    static func longForm(_ text: String) throws -> Node {
        try #require(try YAML.parse(text)).cloudFormationLongForm()
    }

    static let shortForms: [(String, Value)] = [
        ("!Ref Bucket", ["Ref": "Bucket"]),
        ("!Condition IsProd", ["Condition": "IsProd"]),
        ("!GetAtt Queue.Arn", ["Fn::GetAtt": ["Queue", "Arn"]]),
        ("!GetAtt Table.StreamSpecification.StreamArn", ["Fn::GetAtt": ["Table", "StreamSpecification.StreamArn"]]),
        ("!GetAtt [Queue, Arn]", ["Fn::GetAtt": ["Queue", "Arn"]]),
        ("!GetAtt NoDot", ["Fn::GetAtt": "NoDot"]),
        ("!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'", ["Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"]),
        ("!Sub ['${A}-x', {A: !Ref B}]", ["Fn::Sub": ["${A}-x", ["A": ["Ref": "B"]]]]),
        ("!Join ['', [!Ref A, '-x']]", ["Fn::Join": ["", [["Ref": "A"], "-x"]]]),
        ("!If [IsProd, !Ref A, !Ref AWS::NoValue]", ["Fn::If": ["IsProd", ["Ref": "A"], ["Ref": "AWS::NoValue"]]]),
        ("!Select [0, !GetAZs '']", ["Fn::Select": ["0", ["Fn::GetAZs": ""]]]),
        ("!Split [',', !ImportValue Shared]", ["Fn::Split": [",", ["Fn::ImportValue": "Shared"]]]),
        ("!FindInMap [Map, !Ref AWS::Region, Key]", ["Fn::FindInMap": ["Map", ["Ref": "AWS::Region"], "Key"]]),
        ("!Base64 text", ["Fn::Base64": "text"]),
        ("!Cidr [10.0.0.0/16, 6, 5]", ["Fn::Cidr": ["10.0.0.0/16", "6", "5"]]),
        ("!Equals [!Ref Env, prod]", ["Fn::Equals": [["Ref": "Env"], "prod"]]),
        ("!And [!Condition A, !Not [!Condition B]]", ["Fn::And": [["Condition": "A"], ["Fn::Not": [["Condition": "B"]]]]]),
        ("!Or [!Condition A, !Condition B]", ["Fn::Or": [["Condition": "A"], ["Condition": "B"]]]),
        ("!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}", ["Fn::Transform": ["Name": "AWS::Include", "Parameters": ["Location": "s3://b/k"]]]),
    ]

    @Test(arguments: shortForms)
    func shortFormBecomesLongForm(text: String, expected: Value) throws {
        let node = try Self.longForm(text)
        #expect(Value(node) == expected)
        #expect(node.tag == nil)
    }

    @Test func blockShortFormsAndMarks() throws {
        let text = """
            Resources:
              Fn:
                Properties:
                  Role: !GetAtt Role.Arn
                  Policy: !Sub |
                    arn:${AWS::Partition}
                  Name: !Join
                    - '-'
                    - - !Ref AWS::StackName
                      - fn
            """
        let node = try Self.longForm(text)
        let properties = try #require(node["Resources"]?["Fn"]?["Properties"])
        let role = try #require(properties["Role"])
        #expect(Value(role) == ["Fn::GetAtt": ["Role", "Arn"]])
        #expect(role.mark == Mark(line: 4, column: 13))
        #expect(role.entries?.first?.key.mark == Mark(line: 4, column: 13))
        #expect(role["Fn::GetAtt"]?[1]?.mark == Mark(line: 4, column: 13))
        #expect(Value(try #require(properties["Policy"])) == ["Fn::Sub": "arn:${AWS::Partition}\n"])
        #expect(Value(try #require(properties["Name"])) == ["Fn::Join": ["-", [["Ref": "AWS::StackName"], "fn"]]])
    }

    @Test func unknownTagsAreKept() throws {
        let node = try Self.longForm("A: !Custom value\nB: !!str 1")
        #expect(node["A"]?.tag == "!Custom")
        #expect(node["A"]?.string == "value")
        #expect(node["B"]?.tag == "!!str")
    }
}
