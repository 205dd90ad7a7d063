import Testing
import YAML
@testable import AdvisorCore

/// A template of SAM functions and other resources, for the boundary cases: `resources` is YAML indented
/// under `Resources:`.
func samTemplate(_ resources: String, globals: String = "", parameters: String = "") -> String {
    "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
        + (parameters.isEmpty ? "" : "Parameters:\n" + parameters + "\n")
        + (globals.isEmpty ? "" : "Globals:\n  Function:\n" + globals + "\n")
        + "Resources:\n" + resources + "\n"
}

/// The same template as JSON, written from the YAML reader's nodes (long forms), so every boundary case
/// also runs through the JSON front end.
func jsonText(ofYAML text: String) throws -> String {
    func write(_ node: Node) -> String {
        switch node.kind {
        case .scalar(let text, let style):
            if style == .plain, node.int != nil || node.double != nil { return text }
            if style == .plain, let bool = node.bool { return bool ? "true" : "false" }
            if style == .plain, node.isNull { return "null" }
            return JSONWriter.write(.string(text))
        case .sequence(let items): return "[" + items.map(write).joined(separator: ", ") + "]"
        case .mapping(let entries):
            return "{\n" + entries.map { JSONWriter.write(.string($0.key.string ?? "")) + ": " + write($0.value) }.joined(separator: ",\n") + "\n}"
        }
    }
    return write(try #require(try YAML.parse(text)).cloudFormationLongForm())
}

/// `Resource id` of every finding, in both YAML and JSON; a difference between the two is an issue.
func boundaryFindings(_ yaml: String) throws -> [String] {
    let fromYAML = try templateFindings(yaml).map { "\($0.resource) \($0.id)" }
    let fromJSON = try templateFindings(try jsonText(ofYAML: yaml), path: "template.json").map { "\($0.resource) \($0.id)" }
    #expect(fromYAML == fromJSON, "YAML and JSON disagree")
    return fromYAML
}

func function(_ name: String, timeout: String? = "30", type: String = "AWS::Serverless::Function", properties: String = "", events: String = "") -> String {
    "  \(name):\n    Type: \(type)\n    Properties:\n      Handler: app.handler\n      Runtime: python3.13\n"
        + (timeout.map { "      Timeout: \($0)\n" } ?? "") + properties
        + (events.isEmpty ? "" : "      Events:\n" + events)
}

func apiEvent(_ name: String = "Get", millis: Int? = nil, type: String = "Api", restApi: String? = nil) -> String {
    "        \(name):\n          Type: \(type)\n          Properties:\n            Path: /x\n            Method: get\n"
        + (millis.map { "            TimeoutInMillis: \($0)\n" } ?? "") + (restApi.map { "            RestApiId: !Ref \($0)\n" } ?? "")
}

@Suite struct TemplateDoorTests {
    @Test(arguments: [("29", false), ("30", true), ("29.5", true)])
    func restAPIEventClosesAt29Seconds(_ timeout: String, _ fires: Bool) throws {
        let found = try boundaryFindings(samTemplate(function("Fn", timeout: timeout, events: apiEvent())))
        #expect(found == (fires ? ["Fn door-closes-first"] : []))
    }

    @Test(arguments: [("10", false), ("11", true)])
    func timeoutInMillisSetsTheWindow(_ timeout: String, _ fires: Bool) throws {
        let found = try boundaryFindings(samTemplate(function("Fn", timeout: timeout, events: apiEvent(millis: 10_000))))
        #expect(found == (fires ? ["Fn door-closes-first"] : []))
        let http = try boundaryFindings(samTemplate(function("Fn", timeout: timeout, events: apiEvent(millis: 10_000, type: "HttpApi"))))
        #expect(http == (fires ? ["Fn door-closes-first"] : []))
    }

    @Test(arguments: [("30", false), ("31", true)])
    func httpAPIEventClosesAt30Seconds(_ timeout: String, _ fires: Bool) throws {
        let found = try boundaryFindings(samTemplate(function("Fn", timeout: timeout, events: apiEvent(type: "HttpApi"))))
        #expect(found == (fires ? ["Fn door-closes-first"] : []))
    }

    @Test func timeoutsComeFromParameterDefaultsAndGlobals() throws {
        let parameters = "  Slow:\n    Type: Number\n    Default: 45\n  Quick:\n    Type: Number\n    Default: '29'\n  Unknown:\n    Type: Number\n"
        let resources = function("FromSlow", timeout: "!Ref Slow", events: apiEvent())
            + function("FromQuick", timeout: "!Ref Quick", events: apiEvent())
            + function("FromUnknown", timeout: "!Ref Unknown", events: apiEvent())
            + function("FromGlobals", timeout: nil, events: apiEvent())
            + function("Overrides", timeout: "20", events: apiEvent())
            + function("Conditional", timeout: "!If [IsProd, 60, 10]", events: apiEvent())
        let found = try boundaryFindings(samTemplate(resources, globals: "    Timeout: 60", parameters: parameters))
        // The timeout FromGlobals inherits is reported once, at Globals.Function.Timeout (it comes before Resources).
        #expect(found == ["Globals.Function.Timeout door-closes-first", "FromSlow door-closes-first"])
        let messages = try templateFindings(samTemplate(resources, globals: "    Timeout: 60", parameters: parameters)).map(\.message)
        #expect(messages[1].hasPrefix("Timeout is 45 s (the default of parameter Slow) but Api event 'Get' closes at 29 s"), "\(messages[1])")
        #expect(messages[0].hasPrefix("Globals.Function.Timeout is 60 s, the timeout of 'FromGlobals', and a door in front of each closes first: Api event 'Get' of 'FromGlobals' closes at 29 s"), "\(messages[0])")
        #expect(messages[0].contains("Lower the global Timeout to 29 s or less"))
    }

    @Test func globalsApplyToSAMFunctionsOnly() throws {
        let method = """
          Method:
            Type: AWS::ApiGateway::Method
            Properties:
              HttpMethod: GET
              Integration:
                Type: AWS_PROXY
                Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Plain.Arn}/invocations

        """
        // A plain AWS::Lambda::Function ignores Globals: its timeout is Lambda's default 3 s.
        let found = try boundaryFindings(samTemplate(method + function("Plain", timeout: nil, type: "AWS::Lambda::Function"), globals: "    Timeout: 60"))
        #expect(found.isEmpty)
    }

    static func method(_ function: String, integration: String) -> String {
        """
          Method\(function):
            Type: AWS::ApiGateway::Method
            Properties:
              HttpMethod: POST
              Integration:
                Type: AWS_PROXY
                Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${\(function).Arn}/invocations
        \(integration)

        """
    }

    @Test(arguments: [("900", [String]()), ("901", ["Fn timeout-over-limit", "Fn door-closes-first"])])
    func streamingMethodsWaitFifteenMinutes(_ timeout: String, _ expected: [String]) throws {
        let found = try boundaryFindings(samTemplate(Self.method("Fn", integration: "        ResponseTransferMode: STREAM") + function("Fn", timeout: timeout)))
        #expect(found == expected)
    }

    @Test func methodTimeoutInMillisAndDefault() throws {
        let resources = Self.method("Short", integration: "        TimeoutInMillis: 5000") + function("Short", timeout: "6")
            + Self.method("Exact", integration: "        TimeoutInMillis: 5000") + function("Exact", timeout: "5")
            + Self.method("Default", integration: "") + function("Default", timeout: "30")
        #expect(try boundaryFindings(samTemplate(resources)) == ["Short door-closes-first", "Default door-closes-first"])
    }

    @Test func theEventInvocationTypeMakesAMethodAnAsynchronousSource() throws {
        let header = "        RequestParameters:\n          integration.request.header.X-Amz-Invocation-Type: \"'Event'\""
        let resources = Self.method("Fn", integration: header) + function("Fn", timeout: "300")
        #expect(try boundaryFindings(samTemplate(resources)) == ["Fn async-no-failure-destination"])
        let message = try templateFindings(samTemplate(resources))[0].message
        #expect(message.hasPrefix("API Gateway method 'MethodFn' (X-Amz-Invocation-Type 'Event') invokes 'Fn' asynchronously"), "\(message)")
        // With a failure path it is clean; a per-request header ('method.request…') is not the constant 'Event'.
        let guarded = resources + "  FnInvokeConfig:\n    Type: AWS::Lambda::EventInvokeConfig\n    Properties:\n      FunctionName: !Ref Fn\n      Qualifier: $LATEST\n      DestinationConfig:\n        OnFailure:\n          Destination: arn:aws:sqs:us-east-1:123456789012:failed\n"
        #expect(try boundaryFindings(samTemplate(guarded)).isEmpty)
        let perRequest = "        RequestParameters:\n          integration.request.header.X-Amz-Invocation-Type: method.request.header.InvocationType"
        #expect(try boundaryFindings(samTemplate(Self.method("Fn", integration: perRequest) + function("Fn", timeout: "300"))) == ["Fn door-closes-first"])
    }

    static func definitionBody(_ type: String, _ function: String, _ extra: String) -> String {
        """
          Api:
            Type: \(type)
            Properties:
              StageName: prod
              DefinitionBody:
                openapi: 3.0.1
                paths:
                  /jobs:
                    post:
                      x-amazon-apigateway-integration:
                        type: aws_proxy
                        httpMethod: POST
                        uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${\(function).Arn}/invocations
        \(extra)

        """
    }

    @Test func openAPIIntegrationsAreDoors() throws {
        #expect(try boundaryFindings(samTemplate(Self.definitionBody("AWS::Serverless::Api", "Fn", "") + function("Fn", timeout: "29"))).isEmpty)
        #expect(try boundaryFindings(samTemplate(Self.definitionBody("AWS::Serverless::Api", "Fn", "") + function("Fn", timeout: "30"))) == ["Fn door-closes-first"])
        #expect(try boundaryFindings(samTemplate(Self.definitionBody("AWS::Serverless::HttpApi", "Fn", "") + function("Fn", timeout: "30"))).isEmpty)
        #expect(try boundaryFindings(samTemplate(Self.definitionBody("AWS::Serverless::HttpApi", "Fn", "") + function("Fn", timeout: "31"))) == ["Fn door-closes-first"])
        let millis = "                timeoutInMillis: 12000"
        #expect(try boundaryFindings(samTemplate(Self.definitionBody("AWS::Serverless::Api", "Fn", millis) + function("Fn", timeout: "13"))) == ["Fn door-closes-first"])
        let message = try templateFindings(samTemplate(Self.definitionBody("AWS::Serverless::Api", "Fn", millis) + function("Fn", timeout: "13")))[0].message
        #expect(message.contains("x-amazon-apigateway-integration /jobs post of 'Api' closes at 12 s"), "\(message)")
        let event = "                requestParameters:\n                  integration.request.header.X-Amz-Invocation-Type: \"'Event'\""
        #expect(try boundaryFindings(samTemplate(Self.definitionBody("AWS::Serverless::Api", "Fn", event) + function("Fn", timeout: "300"))) == ["Fn async-no-failure-destination"])
    }

    @Test func aStreamingIntegrationOpensTheApiEventsDoorToo() throws {
        let stream = "                responseTransferMode: STREAM"
        let streamed = Self.definitionBody("AWS::Serverless::Api", "Fn", stream) + function("Fn", timeout: "900", events: apiEvent(restApi: "Api"))
        #expect(try boundaryFindings(samTemplate(streamed)).isEmpty)
        // An Api event on another API, or the implicit one, still closes at 29 s.
        let elsewhere = Self.definitionBody("AWS::Serverless::Api", "Fn", stream) + function("Fn", timeout: "900", events: apiEvent())
        #expect(try boundaryFindings(samTemplate(elsewhere)) == ["Fn door-closes-first"])
    }

    static func v2(_ protocolType: String, _ function: String, millis: Int? = nil) -> String {
        """
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties:
              Name: api
              ProtocolType: \(protocolType)
          Integration:
            Type: AWS::ApiGatewayV2::Integration
            Properties:
              ApiId: !Ref Api
              IntegrationType: AWS_PROXY
              IntegrationUri: !GetAtt \(function).Arn
        \(millis.map { "      TimeoutInMillis: \($0)" } ?? "")

        """
    }

    @Test(arguments: [("WEBSOCKET", "29", false), ("WEBSOCKET", "30", true), ("HTTP", "30", false), ("HTTP", "31", true)])
    func apiGatewayV2Integrations(_ protocolType: String, _ timeout: String, _ fires: Bool) throws {
        let found = try boundaryFindings(samTemplate(Self.v2(protocolType, "Fn") + function("Fn", timeout: timeout)))
        #expect(found == (fires ? ["Fn door-closes-first"] : []))
        if fires {
            let message = try templateFindings(samTemplate(Self.v2(protocolType, "Fn") + function("Fn", timeout: timeout)))[0].message
            #expect(message.contains("through the connection") == (protocolType == "WEBSOCKET"), "\(message)")
        }
    }

    @Test func webSocketTimeoutInMillisWins() throws {
        #expect(try boundaryFindings(samTemplate(Self.v2("WEBSOCKET", "Fn", millis: 5000) + function("Fn", timeout: "6"))) == ["Fn door-closes-first"])
    }

    @Test(arguments: [("30", false), ("31", true)])
    func appSyncWaits30Seconds(_ timeout: String, _ fires: Bool) throws {
        let source = "  Source:\n    Type: AWS::AppSync::DataSource\n    Properties:\n      Type: AWS_LAMBDA\n      LambdaConfig:\n        LambdaFunctionArn: !GetAtt Fn.Arn\n"
        let found = try boundaryFindings(samTemplate(source + function("Fn", timeout: timeout)))
        #expect(found == (fires ? ["Fn door-closes-first"] : []))
    }

    @Test func oneFindingNamesEveryDoorThatClosesFirst() throws {
        let resources = Self.method("Fn", integration: "") + function("Fn", timeout: "31", events: apiEvent() + apiEvent("Status", type: "HttpApi"))
        let found = try templateFindings(samTemplate(resources))
        #expect(found.map(\.id) == ["door-closes-first"])
        #expect(found[0].message.contains("API Gateway method 'MethodFn' closes at 29 s, Api event 'Get' closes at 29 s and HttpApi event 'Status' closes at 30 s"), "\(found[0].message)")
        #expect(found[0].message.contains("Lower Timeout to 29 s or less"))
    }

    @Test(arguments: [("900", false), ("901", true)])
    func timeoutOverLimit(_ timeout: String, _ fires: Bool) throws {
        let found = try templateFindings(samTemplate(function("Fn", timeout: timeout)))
        #expect(found.map(\.id) == (fires ? ["timeout-over-limit"] : []))
        #expect(found.allSatisfy { $0.severity == .error && $0.message.contains("Timeout is 901 s") && $0.message.contains("900") })
    }
}

@Suite struct TemplateQueueTests {
    static func queue(visibility: String?, redrive: Bool = true) -> String {
        "  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      MessageRetentionPeriod: 86400\n"
            + (visibility.map { "      VisibilityTimeout: \($0)\n" } ?? "")
            + (redrive ? "      RedrivePolicy:\n        deadLetterTargetArn: arn:aws:sqs:us-east-1:123456789012:dlq\n        maxReceiveCount: 5\n" : "")
    }

    static func sqsEvent(window: Int? = nil) -> String {
        "        Work:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Jobs.Arn\n"
            + (window.map { "            MaximumBatchingWindowInSeconds: \($0)\n" } ?? "")
    }

    /// Timeout 60, batching window 5: 6 × 60 + 5 = 365.
    @Test(arguments: [("365", [String]()), ("364", ["Jobs sqs-visibility-short"]), ("60", ["Jobs sqs-visibility-short"]),
                      ("59", ["Jobs sqs-visibility-below-timeout"])])
    func visibilityAgainstTimeoutAndBatchingWindow(_ visibility: String, _ expected: [String]) throws {
        let template = samTemplate(Self.queue(visibility: visibility) + function("Worker", timeout: "60", events: Self.sqsEvent(window: 5)))
        #expect(try boundaryFindings(template) == expected)
        if let finding = try templateFindings(template).first {
            #expect(finding.message.contains("VisibilityTimeout is \(visibility) s"), "\(finding.message)")
            #expect(finding.message.contains("'Worker' (") && finding.message.contains("60 s"), "\(finding.message)")
            #expect(finding.message.contains(finding.id == "sqs-visibility-short" ? "at least 365 s" : "at least 365 s"), "\(finding.message)")
        }
    }

    @Test(arguments: [("30", ["Jobs sqs-visibility-short"]), ("31", ["Jobs sqs-visibility-below-timeout"])])
    func theDefaultVisibilityIs30Seconds(_ timeout: String, _ expected: [String]) throws {
        #expect(try boundaryFindings(samTemplate(Self.queue(visibility: nil) + function("Worker", timeout: timeout, events: Self.sqsEvent()))) == expected)
        let message = try templateFindings(samTemplate(Self.queue(visibility: nil) + function("Worker", timeout: timeout, events: Self.sqsEvent())))[0].message
        #expect(message.hasPrefix("VisibilityTimeout is 30 s (the default)"), "\(message)")
    }

    @Test func eventSourceMappingsFeedQueuesToo() throws {
        let mapping = "  Mapping:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt Jobs.Arn\n      FunctionName: !Ref Worker\n      MaximumBatchingWindowInSeconds: 10\n"
        // 6 × 20 + 10 = 130.
        #expect(try boundaryFindings(samTemplate(Self.queue(visibility: "130") + mapping + function("Worker", timeout: "20"))).isEmpty)
        #expect(try boundaryFindings(samTemplate(Self.queue(visibility: "129") + mapping + function("Worker", timeout: "20"))) == ["Jobs sqs-visibility-short"])
        #expect(try boundaryFindings(samTemplate(Self.queue(visibility: "129", redrive: false) + mapping + function("Worker", timeout: "20")))
                == ["Jobs sqs-visibility-short", "Jobs sqs-no-dead-letter-queue"])
    }

    @Test func aQueueThatFeedsNothingOrAnUnknownTimeoutIsNotJudged() throws {
        #expect(try boundaryFindings(samTemplate(Self.queue(visibility: "1", redrive: false))).isEmpty)
        // The timeout cannot be known: no visibility finding, but the missing dead-letter queue still counts.
        #expect(try boundaryFindings(samTemplate(Self.queue(visibility: "1", redrive: false) + function("Worker", timeout: "!FindInMap [T, prod, s]", events: Self.sqsEvent())))
                == ["Jobs sqs-no-dead-letter-queue"])
        // A queue ARN spelled out is not followed.
        let spelled = "        Work:\n          Type: SQS\n          Properties:\n            Queue: !Sub arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs\n"
        #expect(try boundaryFindings(samTemplate(Self.queue(visibility: "1", redrive: false) + function("Worker", timeout: "60", events: spelled))).isEmpty)
    }
}

@Suite struct TemplateSourceTests {
    @Test func failurePathsFromEveryPlaceSPECNames() throws {
        let s3 = "        Upload:\n          Type: S3\n          Properties:\n            Bucket: !Ref Bucket\n            Events: s3:ObjectCreated:*\n"
        let bucket = "  Bucket:\n    Type: AWS::S3::Bucket\n"
        let dlq = "      DeadLetterQueue:\n        Type: SQS\n        TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq\n"
        let destination = "      EventInvokeConfig:\n        DestinationConfig:\n          OnFailure:\n            Type: SQS\n            Destination: arn:aws:sqs:us-east-1:123456789012:dlq\n"
        let emptyOnFailure = "      EventInvokeConfig:\n        MaximumRetryAttempts: 0\n        DestinationConfig:\n          OnFailure:\n"
        #expect(try boundaryFindings(samTemplate(bucket + function("Fn", events: s3))) == ["Fn async-no-failure-destination"])
        #expect(try boundaryFindings(samTemplate(bucket + function("Fn", properties: dlq, events: s3))).isEmpty)
        #expect(try boundaryFindings(samTemplate(bucket + function("Fn", properties: destination, events: s3))).isEmpty)
        #expect(try boundaryFindings(samTemplate(bucket + function("Fn", properties: emptyOnFailure, events: s3))) == ["Fn async-no-failure-destination"])
        #expect(try boundaryFindings(samTemplate(bucket + function("Fn", events: s3), globals: dlq.replacingOccurrences(of: "      ", with: "    "))).isEmpty)
    }

    @Test func streamEventsWithoutOnFailure() throws {
        let kinesis = "        Clicks:\n          Type: Kinesis\n          Properties:\n            Stream: arn:aws:kinesis:us-east-1:123456789012:stream/clicks\n            StartingPosition: LATEST\n"
        let guarded = kinesis + "            DestinationConfig:\n              OnFailure:\n                Destination: arn:aws:sqs:us-east-1:123456789012:failed\n"
        #expect(try boundaryFindings(samTemplate(function("Fn", events: kinesis))) == ["Fn stream-no-failure-destination"])
        #expect(try boundaryFindings(samTemplate(function("Fn", events: guarded))).isEmpty)
        let message = try templateFindings(samTemplate(function("Fn", events: kinesis)))[0].message
        #expect(message.hasPrefix("Kinesis event 'Clicks' has no DestinationConfig.OnFailure"), "\(message)")
    }

    static let durableQueue = "  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 5400\n      RedrivePolicy: {deadLetterTargetArn: arn:aws:sqs:us-east-1:123456789012:dlq, maxReceiveCount: 3}\n"

    @Test(arguments: [("900", false), ("901", true)])
    func durableExecutionsStartedSynchronously(_ execution: String, _ fires: Bool) throws {
        let durable = "      DurableConfig:\n        ExecutionTimeout: \(execution)\n"
        let sqs = "        Work:\n          Type: SQS\n          Properties: {Queue: !GetAtt Jobs.Arn}\n"
        #expect(try boundaryFindings(samTemplate(Self.durableQueue + function("Flow", timeout: "900", properties: durable, events: sqs))) == (fires ? ["Flow durable-sync-cap"] : []))
        // Started only asynchronously (with a failure path), the long execution is fine.
        let schedule = "        Tick:\n          Type: ScheduleV2\n          Properties: {ScheduleExpression: rate(1 day)}\n"
        let dlq = durable + "      DeadLetterQueue: {Type: SQS, TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq}\n"
        #expect(try boundaryFindings(samTemplate(function("Flow", timeout: "900", properties: dlq, events: schedule))).isEmpty)
        if fires {
            let message = try templateFindings(samTemplate(Self.durableQueue + function("Flow", timeout: "900", properties: durable, events: sqs)))[0].message
            #expect(message.hasPrefix("DurableConfig.ExecutionTimeout is 901 s, but SQS event 'Work' invokes 'Flow' synchronously"), "\(message)")
        }
    }

    @Test func durableStreamsAndDoorsCapToo() throws {
        let durable = "      DurableConfig: {ExecutionTimeout: 3600}\n"
        let kinesis = "        Clicks:\n          Type: Kinesis\n          Properties:\n            Stream: arn:aws:kinesis:us-east-1:123456789012:stream/clicks\n            StartingPosition: LATEST\n            DestinationConfig: {OnFailure: {Destination: arn:aws:sqs:us-east-1:123456789012:failed}}\n"
        #expect(try boundaryFindings(samTemplate(function("Flow", timeout: "10", properties: durable, events: kinesis))) == ["Flow durable-sync-cap"])
        #expect(try boundaryFindings(samTemplate(function("Flow", timeout: "10", properties: durable, events: apiEvent()))) == ["Flow durable-sync-cap"])
    }
}

@Suite struct TemplateSuppressionTests {
    @Test func metadataIgnoresTheListedIDsForThatResourceOnly() throws {
        let ignored = "    Metadata:\n      async-advisor:\n        ignore: [door-closes-first]\n"
        let quiet = function("Quiet", timeout: "60", events: apiEvent()).replacingOccurrences(of: "AWS::Serverless::Function\n", with: "AWS::Serverless::Function\n" + ignored)
        let resources = quiet + function("Loud", timeout: "60", events: apiEvent())
        #expect(try boundaryFindings(samTemplate(resources)) == ["Loud door-closes-first"])
        let otherID = resources.replacingOccurrences(of: "[door-closes-first]", with: "[timeout-over-limit, sqs-no-dead-letter-queue]")
        #expect(try boundaryFindings(samTemplate(otherID)) == ["Quiet door-closes-first", "Loud door-closes-first"])
    }
}

@Suite struct TemplateReferenceTests {
    @Test(arguments: [
        ("{Ref: Fn}", true), ("{Ref: Fn.Alias}", true), ("{Ref: Fn.Version}", true), ("!GetAtt Fn.Arn", true), ("!GetAtt [Fn, Arn]", true),
        ("!Sub '${Fn.Arn}/invocations'", true), ("!Sub '${Fn}'", true), ("!Sub '${!Fn.Arn}'", false), ("!Sub ['${Target}', {Target: x}]", false),
        ("!Sub ['${Fn.Arn}', {Other: x}]", true), ("!Sub ['${X}', {X: !GetAtt Fn.Arn}]", true), ("!Join ['', [a, !Ref Fn]]", true),
        ("!If [Prod, !Ref Fn, !Ref Other]", true), ("arn:aws:lambda:us-east-1:123456789012:function:Fn", false), ("!Ref Fnord", false),
        ("!Sub 'arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:Fn'", false),
    ])
    func whatRefersToAResource(_ value: String, _ refers: Bool) throws {
        let node = try #require(try YAML.parse("v: \(value)"))?.cloudFormationLongForm()["v"]
        #expect(References.ids(in: node).contains("Fn") == refers, "\(value)")
    }
}
