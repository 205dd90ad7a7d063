import Foundation
import Testing
import YAML
@testable import AdvisorCore

/// Random and damaged templates: the reader and the check never crash, a template read as YAML and the
/// same template as JSON give the same findings, every finding sits on its resource's logical id, and
/// every rejection is an error located inside the text.
@Suite struct TemplateFuzzTests {
    static let functionTypes = ["AWS::Serverless::Function", "AWS::Lambda::Function"]
    static let timeouts = ["3", "29", "30", "31", "60", "900", "901", "'45'", "!Ref Slow", "!Ref NoDefault", "!If [Prod, 60, 10]", "0", "-5", "1e3", "abc", "[1]", "{}", "\"\""]
    static let numbers = ["0", "5", "30", "180", "365", "'120'", "!Ref Slow", "x", "[]"]

    /// A random but well-formed template of functions, queues, streams, APIs and the resources that wire
    /// them, with names that refer to each other (or to nothing).
    static func randomTemplate(_ rng: inout SeededRandom) -> String {
        let count = Int.random(in: 1...12, using: &rng)
        let names = (0..<count).map { "R\($0)" }
        func any() -> String { (names + ["Missing", "AWS::Region"]).randomElement(using: &rng)! }
        func ref() -> String {
            ["!Ref \(any())", "!GetAtt \(any()).Arn", "!Sub '${\(any()).Arn}/invocations'", "!Sub '${!\(any())}'", "arn:aws:lambda:x", "{Ref: \(any())}",
             "!Join ['', [a, !GetAtt [\(any()), Arn]]]"].randomElement(using: &rng)!
        }
        func maybe(_ line: String) -> String { Bool.random(using: &rng) ? line : "" }
        var out = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nParameters:\n  Slow: {Type: Number, Default: 45}\n  NoDefault: {Type: Number}\n"
        out += maybe("Globals:\n  Function:\n    Timeout: \(timeouts.randomElement(using: &rng)!)\n" + maybe("    DeadLetterQueue: {Type: SQS, TargetArn: x}\n"))
        out += "Resources:\n"
        for name in names {
            let metadata = maybe("    Metadata: {async-advisor: {ignore: [\(["door-closes-first", "sqs-no-dead-letter-queue", "x"].randomElement(using: &rng)!)]}}\n")
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...3:
                var events = ""
                for index in 0..<Int.random(in: 0...3, using: &rng) {
                    let type = ["Api", "HttpApi", "SQS", "Kinesis", "DynamoDB", "S3", "SNS", "Schedule", "Cognito", "EventBridgeRule"].randomElement(using: &rng)!
                    events += "        E\(index):\n          Type: \(type)\n          Properties:\n"
                        + "            Queue: \(ref())\n            Stream: \(ref())\n            RestApiId: \(ref())\n"
                        + maybe("            TimeoutInMillis: \(numbers.randomElement(using: &rng)!)\n")
                        + maybe("            MaximumBatchingWindowInSeconds: \(numbers.randomElement(using: &rng)!)\n")
                        + maybe("            DestinationConfig: {OnFailure: {Destination: x}}\n")
                }
                out += "  \(name):\n    Type: \(functionTypes.randomElement(using: &rng)!)\n" + metadata + "    Properties:\n"
                    + maybe("      Timeout: \(timeouts.randomElement(using: &rng)!)\n")
                    + maybe("      DurableConfig: {ExecutionTimeout: \(["900", "901", "86400", "!Ref Slow"].randomElement(using: &rng)!)}\n")
                    + maybe("      DeadLetterConfig: {TargetArn: x}\n")
                    + (events.isEmpty ? "" : "      Events:\n" + events)
            case 4:
                out += "  \(name):\n    Type: AWS::SQS::Queue\n" + metadata + "    Properties:\n"
                    + maybe("      VisibilityTimeout: \(numbers.randomElement(using: &rng)!)\n") + maybe("      RedrivePolicy: {deadLetterTargetArn: x, maxReceiveCount: 3}\n")
                    + "      DelaySeconds: 0\n"
            case 5:
                out += "  \(name):\n    Type: AWS::Lambda::EventSourceMapping\n" + metadata + "    Properties:\n      FunctionName: \(ref())\n      EventSourceArn: \(ref())\n"
                    + maybe("      MaximumBatchingWindowInSeconds: \(numbers.randomElement(using: &rng)!)\n")
            case 6:
                out += "  \(name):\n    Type: AWS::ApiGateway::Method\n    Properties:\n      Integration:\n        Uri: \(ref())\n"
                    + maybe("        TimeoutInMillis: \(["5000", "29000", "30000", "'12000'", "!Ref Slow", "x"].randomElement(using: &rng)!)\n") + maybe("        ResponseTransferMode: STREAM\n")
                    + maybe("        RequestParameters: {integration.request.header.X-Amz-Invocation-Type: \"'Event'\"}\n")
            case 7:
                out += "  \(name):\n    Type: \(["AWS::Serverless::Api", "AWS::Serverless::HttpApi"].randomElement(using: &rng)!)\n    Properties:\n      DefinitionBody:\n        paths:\n          /a:\n            get:\n              x-amazon-apigateway-integration:\n                uri: \(ref())\n"
                    + maybe("                responseTransferMode: STREAM\n")
            case 8:
                out += "  \(name):\n    Type: \(["AWS::Kinesis::Stream", "AWS::DynamoDB::Table", "AWS::ApiGatewayV2::Api"].randomElement(using: &rng)!)\n    Properties: {ProtocolType: WEBSOCKET}\n"
            default:
                out += "  \(name):\n    Type: \(["AWS::ApiGatewayV2::Integration", "AWS::AppSync::DataSource", "AWS::Events::Rule", "AWS::Lambda::EventInvokeConfig"].randomElement(using: &rng)!)\n"
                    + "    Properties:\n      ApiId: \(ref())\n      IntegrationUri: \(ref())\n      Type: AWS_LAMBDA\n      LambdaConfig: {LambdaFunctionArn: \(ref())}\n      Targets: [{Id: t, Arn: \(ref())}]\n      FunctionName: \(ref())\n"
                    + maybe("      DestinationConfig: {OnFailure: {Destination: x}}\n")
            }
        }
        return out
    }

    @Test func randomTemplatesReadTheSameAsYAMLAndJSONAndFindingsSitOnTheirResources() throws {
        var rng = SeededRandom(20_261_123)
        var kinds: Set<String> = []
        for _ in 0..<1_000 {
            let yaml = Self.randomTemplate(&rng)
            let found: [TemplateFinding]
            do { found = try templateFindings(yaml) } catch {
                Issue.record("a generated template was refused: \(error)\n\(yaml)")
                return
            }
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            for finding in found {
                kinds.insert(finding.id)
                let line = lines[finding.location.line - 1]
                #expect(finding.resource == "Globals.Function.Timeout" ? line.hasPrefix("    Timeout:") : line.hasPrefix("  \(finding.resource):"), "\(finding)")
                #expect(!finding.message.isEmpty)
            }
            let json = try templateFindings(try jsonText(ofYAML: yaml), path: "t.json")
            #expect(json.map { "\($0.resource) \($0.id) \($0.message)" } == found.map { "\($0.resource) \($0.id) \($0.message)" }, "\(yaml)")
        }
        // The generator reaches every finding.
        // The generator reaches every finding but those that need a design file's workload.
        #expect(kinds == Set(shippedTemplateRules.rules.map(\.id).filter { !$0.hasPrefix("workload-") }), "\(kinds)")
    }

    /// Property: a `Fn::ForEach` over a random collection gives the findings of the same resources written
    /// out by hand, in the same order (only their lines differ: an expanded resource points at its template).
    @Test func forEachGivesTheFindingsOfTheResourcesWrittenOut() throws {
        var rng = SeededRandom(4_242)
        let names = ["Orders", "Invoices", "Mail", "a1", "B-2", "x_y"]
        for _ in 0..<300 {
            let items = Array(names.shuffled(using: &rng).prefix(Int.random(in: 1...4, using: &rng)))
            let timeout = ["10", "45", "1000"].randomElement(using: &rng)!
            let visibility = ["20", "60", "400"].randomElement(using: &rng)!
            func resources(_ name: String) -> String {
                "  \(name)Queue:\n    Type: AWS::SQS::Queue\n    Properties: {VisibilityTimeout: \(visibility)}\n"
                    + "  \(name)Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: \(timeout)\n      Events:\n"
                    + "        Work: {Type: SQS, Properties: {Queue: !GetAtt \(name)Queue.Arn}}\n        Get: {Type: Api, Properties: {Path: '/\(name)', Method: get}}\n"
            }
            let literal = Bool.random(using: &rng)
            let head = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n"
                + "Parameters:\n  Names: {Type: CommaDelimitedList, Default: '\(items.joined(separator: ","))'}\nResources:\n"
            let collection = literal ? "[" + items.map { "'\($0)'" }.joined(separator: ", ") + "]" : "!Ref Names"
            let looped = head + "  Fn::ForEach::Services:\n    - Name\n    - \(collection)\n    - "
                + resources("${Name}").split(separator: "\n").enumerated().map { ($0.offset == 0 ? "" : "      ") + $0.element.dropFirst(2) }.joined(separator: "\n")
                    .replacingOccurrences(of: "!GetAtt ${Name}Queue.Arn", with: "!GetAtt \"${Name}Queue.Arn\"") + "\n"
            let written = head + items.map(resources).joined()
            let fromLoop = try templateFindings(looped).map { "\($0.resource) \($0.id) \($0.message)" }
            let byHand = try templateFindings(written).map { "\($0.resource) \($0.id) \($0.message)" }
            #expect(fromLoop == byHand, "\(looped)")
        }
    }

    /// Bytes that break YAML in interesting ways, and some that are not text.
    static let edits: [String] = [":", "- ", "  ", "\n", "\t", "{", "}", "[", "]", "\"", "'", "!Ref ", "!GetAtt ", "&a ", "*a", "|", ">", "#", "? ", "%", "\u{0}", "é", "Resources:", "Type: AWS::SQS::Queue"]

    @Test func damagedTemplatesNeverCrashAndEveryRejectionIsLocated() throws {
        let folder = TemplateFixtureTests.folder
        let seeds = try TemplateFixtureTests.fixtures.map { try FileSystem.read(folder + "/" + $0) }
        var rng = SeededRandom(7_919)
        var rejected = 0
        for round in 0..<3_000 {
            var text = Array(seeds[round % seeds.count].unicodeScalars)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0...text.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where !text.isEmpty: text.removeSubrange(min(at, text.count - 1)..<min(text.count, at + Int.random(in: 1...20, using: &rng)))
                case 1: text.insert(contentsOf: Self.edits.randomElement(using: &rng)!.unicodeScalars, at: at)
                default: text = Array(text.prefix(at))
                }
            }
            var damaged = ""
            damaged.unicodeScalars.append(contentsOf: text)
            let lineCount = damaged.split(separator: "\n", omittingEmptySubsequences: false).count
            do {
                if let template = try CheckDocument.read(damaged, path: "t.yaml", rules: shippedRules).template {
                    _ = TemplateCheck.check(template, rules: shippedTemplateRules)
                }
            } catch {
                rejected += 1
                for problem in error.problems {
                    #expect(problem.location.line >= 1 && problem.location.line <= lineCount + 1 && problem.location.column >= 1, "\(problem)")
                    #expect(problem.description.hasPrefix("t.yaml:\(problem.location.line):\(problem.location.column): "))
                }
            }
        }
        #expect(rejected > 300, "the edits should break many templates: \(rejected)")
    }
}
