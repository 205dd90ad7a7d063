import Foundation
import Testing
@testable import AdvisorCore

/// What SPEC §7 reads before the model: `Fn::ForEach` expanded, resources it cannot read passed over with a
/// note, local files included in place (never outside the folder, never the network); and the messages that
/// fit the configuration.
@Suite struct TemplateModelTests {
    static let forEach = """
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
    Parameters:
      Topics: {Type: CommaDelimitedList, Default: "orders, invoices"}
      Unknown: {Type: CommaDelimitedList}
    Resources:
      Fn::ForEach::Workers:
        - Name
        - !Ref Topics
        - ${Name}Queue:
            Type: AWS::SQS::Queue
          ${Name}Worker:
            Type: AWS::Serverless::Function
            Properties:
              Timeout: 60
              Environment: {Variables: {TOPIC: !Ref Name}}
              Events:
                Work: {Type: SQS, Properties: {Queue: !GetAtt "${Name}Queue.Arn"}}
      Fn::ForEach::Apis:
        - Route
        - [a-b, c]
        - Api&{Route}:
            Type: AWS::Serverless::Function
            Properties:
              Timeout: 45
              Events:
                Get: {Type: Api, Properties: {Path: "/${Route}", Method: get}}
      Fn::ForEach::Later:
        - Item
        - !Ref Unknown
        - ${Item}Bucket: {Type: AWS::S3::Bucket}

    """

    @Test func forEachExpandsLiteralListsAndCommaDelimitedDefaults() throws {
        let template = try #require(try CheckDocument.read(Self.forEach, path: "t.yaml", rules: shippedRules).template)
        #expect(template.resources.map(\.id) == ["ordersQueue", "ordersWorker", "invoicesQueue", "invoicesWorker", "Apiab", "Apic"])
        let found = TemplateCheck.check(template, rules: shippedTemplateRules)
        #expect(found.findings.map { "\($0.resource) \($0.id) \($0.location.line)" } == [
            "ordersQueue sqs-visibility-below-timeout 10", "ordersQueue sqs-no-dead-letter-queue 10",
            "invoicesQueue sqs-visibility-below-timeout 10", "invoicesQueue sqs-no-dead-letter-queue 10",
            "Apiab door-closes-first 22", "Apic door-closes-first 22",
        ], "\(found.findings)")
        #expect(found.notes.map(\.resource) == ["Fn::ForEach::Later"] && found.notes[0].message.contains("collection of Fn::ForEach::Later is not known"))
        // The same template as JSON expands the same way.
        let json = try templateFindings(try jsonText(ofYAML: Self.forEach), path: "t.json")
        #expect(json.map(\.resource) == found.findings.map(\.resource))
    }

    @Test func onlyAListParameterIsACollection() throws {
        let text = "Transform: AWS::LanguageExtensions\nParameters:\n  Plain: {Type: String, Default: 'a,b'}\n  Ids: {Type: 'List<AWS::EC2::Subnet::Id>', Default: 'x,y'}\n"
            + "Resources:\n  Fn::ForEach::A:\n    - N\n    - !Ref Plain\n    - ${N}Q: {Type: AWS::SQS::Queue}\n"
            + "  Fn::ForEach::B:\n    - N\n    - !Ref Ids\n    - ${N}Q: {Type: AWS::SQS::Queue}\n"
        let template = try #require(try CheckDocument.read(text, path: "t.yaml", rules: shippedRules).template)
        #expect(template.resources.map(\.id) == ["xQ", "yQ"])
        #expect(template.notes.map(\.resource) == ["Fn::ForEach::A"])
    }

    @Test func unreadableResourcesArePassedOverNotRefused() throws {
        let text = samTemplate(function("Slow", timeout: "60", events: apiEvent()) + "  Module:\n    Type: !Rain::Module ./vpc.yaml\n  Nested:\n    Type: {Rain::Module: ./x.yaml}\n  Bare:\n    Properties: {}\n  Scalar: 3\n")
        let template = try #require(try CheckDocument.read(text, path: "t.yaml", rules: shippedRules).template)
        #expect(template.notes.map(\.resource) == ["Module", "Nested", "Bare", "Scalar"])
        #expect(TemplateCheck.check(template, rules: shippedTemplateRules).findings.map(\.id) == ["door-closes-first"])
    }

    @Test func aJSONFileIsReadAsJSONAndADuplicateKeyIsNotInvalidJSON() throws {
        // Leading blanks and a comment-like first line do not send a .json file to the YAML reader.
        do {
            _ = try CheckDocument.read("\n\n  {\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\"}, \"A\": {}}}", path: "t.json", rules: shippedRules)
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.problems.map(\.message) == ["duplicate key \"A\" (first at 3:18)"], "\(error.problems)")
        }
        #expect(throws: DesignFileError.self) { try CheckDocument.read("Resources: {}", path: "t.json", rules: shippedRules) }
    }

    /// A template and the files it includes, written into a scratch folder.
    func folder(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("includes-\(UUID().uuidString)").path
        for (name, text) in files {
            let path = root + "/" + name
            try FileSystem.createDirectories(CheckFiles.folderOf(path))
            try FileSystem.write(text, to: path)
        }
        return root
    }

    func report(_ root: String, _ path: String, walkedFrom: String? = nil) throws -> TemplateCheck.Report {
        let input = CheckFiles.Input(path: root + "/" + path, root: walkedFrom ?? CheckFiles.folderOf(root + "/" + path), walked: walkedFrom != nil, namedTemplate: true)
        guard case .template(let report) = CheckDocument.check(input, rules: shippedRules, findings: shippedTemplateRules) else {
            Issue.record("\(path) was not checked as a template")
            return TemplateCheck.Report(path: path, findings: [])
        }
        return report
    }

    static let openAPI = """
    openapi: 3.0.1
    paths:
      /report:
        get:
          x-amazon-apigateway-integration:
            type: aws_proxy
            httpMethod: POST
            uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Report.Arn}/invocations

    """

    @Test(arguments: [
        "DefinitionBody:\n        Fn::Transform:\n          Name: AWS::Include\n          Parameters: {Location: api/openapi.yaml}",
        "DefinitionUri: api/openapi.yaml",
        // As aws-samples/serverless-samples writes it: a ./ path, the Include as a quoted long form.
        "DefinitionBody:\n        'Fn::Transform':\n          Name: 'AWS::Include'\n          Parameters:\n            Location: ./api/openapi.yaml",
    ])
    func includedOpenAPIFilesAreReadInPlace(_ definition: String) throws {
        let template = samTemplate(function("Report", timeout: "60") + "  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      \(definition)\n")
        let root = try folder(["svc/template.yaml": template, "svc/api/openapi.yaml": Self.openAPI])
        let found = try report(root, "svc/template.yaml")
        #expect(found.findings.map(\.id) == ["door-closes-first"], "\(found.findings) \(found.notes)")
        // The door names the included file and the integration's line there.
        #expect(found.findings.first?.message.contains("x-amazon-apigateway-integration /report get of 'Api' (\(root)/svc/api/openapi.yaml:6)") == true,
                "\(found.findings.first?.message ?? "")")
    }

    @Test func bodyS3LocationAsALocalFileIsReadToo() throws {
        let template = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + function("Report", timeout: "60", type: "AWS::Lambda::Function")
            + "  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      BodyS3Location: openapi.json\n"
        let body = #"{"paths": {"/report": {"get": {"x-amazon-apigateway-integration": {"uri": {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Report.Arn}/invocations"}}}}}}"#
        let root = try folder(["template.yaml": template, "openapi.json": body])
        #expect(try report(root, "template.yaml").findings.map(\.id) == ["door-closes-first"])
    }

    @Test func filesOutsideTheFolderOrOnTheNetworkAreNeverRead() throws {
        let template = samTemplate(function("Report", timeout: "60")
            + "  Outside:\n    Type: AWS::Serverless::Api\n    Properties:\n      DefinitionUri: ../shared/openapi.yaml\n"
            + "  Remote:\n    Type: AWS::Serverless::Api\n    Properties:\n      DefinitionUri: s3://bucket/openapi.yaml\n"
            + "  Missing:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      DefinitionUri: nothere.yaml\n")
        let root = try folder(["svc/template.yaml": template, "shared/openapi.yaml": Self.openAPI])
        let found = try report(root, "svc/template.yaml")
        #expect(found.findings.isEmpty, "\(found.findings)")
        #expect(found.notes.map(\.resource) == ["Outside", "Remote", "Missing"])
        #expect(found.notes[0].message.contains("outside the folder") && found.notes[1].message.contains("never the network")
                && found.notes[2].message.contains("no such file"), "\(found.notes)")
        // Walked from the folder above, the shared file is inside: it is read.
        #expect(try report(root, "svc/template.yaml", walkedFrom: root).findings.map(\.id) == ["door-closes-first"])
    }

    @Test func asyncMessagesFitTheConfiguration() throws {
        let folder = TemplateFixtureTests.folder
        let found = try templateFindings(try FileSystem.read(folder + "/cfn-async-more.yaml"), path: "cfn-async-more.yaml")
        let messages = Dictionary(uniqueKeysWithValues: found.map { ($0.resource, $0.message) })
        #expect(messages["Mailer"]?.hasPrefix("The sns.amazonaws.com permission 'MailerPermission' invokes 'Mailer' asynchronously") == true)
        #expect(messages["Mailer"]?.contains("The source is inferred from the permission") == true)
        #expect(messages["Router"]?.contains("catches only events EventBridge could not deliver") == true)
        #expect(messages["Billing"]?.contains("MaximumRetryAttempts is 0") == true)
        #expect(messages["Thumbnails"]?.contains("The source is inferred") == false && messages["Thumbnails"]?.contains("AWS::Lambda::EventInvokeConfig") == true)
    }
}

/// The `workload-*` findings: a design workload naming a template's function is held against it.
@Suite struct WorkloadFindingTests {
    func held(_ workload: String, _ resources: String) throws -> [TemplateFinding] {
        let design = try #require(try CheckDocument.read("{\"workloads\": [\(workload)]}", path: "design.json", rules: shippedRules).workloads.first)
        let template = try #require(try CheckDocument.read(samTemplate(resources), path: "t.yaml", rules: shippedRules).template)
        var reports = [TemplateCheck.check(template, rules: shippedTemplateRules)]
        TemplateCheck.hold([design], against: &reports, rules: shippedRules, findings: shippedTemplateRules)
        return reports[0].findings
    }

    @Test func aWorkloadIsHeldAgainstTheFunctionItNames() throws {
        let workload = #"{"name": "export", "pattern": "sqs-queue", "duration": "2m", "response": "ack", "throughput": "5/s", "memory": 2048, "function": "Export"}"#
        let queue = "  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 900\n      RedrivePolicy: {deadLetterTargetArn: x, maxReceiveCount: 5}\n"
        let events = "        Work:\n          Type: SQS\n          Properties: {Queue: !GetAtt Jobs.Arn, ScalingConfig: {MaximumConcurrency: 100}}\n"
        let found = try held(workload, queue + function("Export", timeout: "60", properties: "      MemorySize: 1024\n", events: events))
        #expect(found.map(\.id) == ["workload-timeout-short", "workload-concurrency-cap", "workload-memory-differs"], "\(found.map(\.message))")
        #expect(found[0].message.contains("takes up to 2m, but Timeout is 60 s") && found[0].message.contains("at least 132 s"), "\(found[0].message)")
        #expect(found[1].message.hasPrefix("ScalingConfig.MaximumConcurrency of SQS event 'Work' is 100, below the 600 concurrent executions"), "\(found[1].message)")
        #expect(found[2].severity == .note && found[2].message.hasPrefix("MemorySize is 1,024 MB but workload 'export' assumes 2,048 MB"), "\(found[2].message)")
        // 3 min + 10 % is 198 s, though 180 × 1.1 is 198.00000000000003 in binary (the sizing rounds alike).
        let three = try held(workload.replacingOccurrences(of: "\"2m\"", with: "\"3m\""), queue + function("Export", timeout: "60", properties: "      MemorySize: 2048\n", events: events))
        #expect(three.first { $0.id == "workload-timeout-short" }?.message.contains("at least 198 s") == true, "\(three.map(\.message))")
        // A workload naming another function, or none, holds nothing against this one.
        #expect(try held(workload.replacingOccurrences(of: "\"Export\"", with: "\"Other\""), queue + function("Export", timeout: "60")).isEmpty)
    }

    @Test func theDoorMustBeTheWorkloadsEntry() throws {
        let workload = #"{"name": "report", "pattern": "sync", "duration": "10s", "response": "result", "entry": "http-api", "memory": 128, "function": "Report"}"#
        let found = try held(workload, function("Report", timeout: "20", events: apiEvent()))
        #expect(found.map(\.id) == ["workload-door-mismatch"])
        #expect(found[0].message.contains("enters through http-api, but 'Report' has only a rest door"), "\(found[0].message)")
        #expect(try held(workload, function("Report", timeout: "20", events: apiEvent(type: "HttpApi"))).isEmpty)
        // Suppressed on the function, it is not reported.
        let ignored = "  Report:\n    Type: AWS::Serverless::Function\n    Metadata: {async-advisor: {ignore: [workload-door-mismatch]}}\n    Properties:\n      Timeout: 20\n      Events:\n" + apiEvent()
        #expect(try held(workload, ignored).isEmpty)
    }

    @Test func reservedConcurrencyBelowThroughputTimesDuration() throws {
        let workload = #"{"name": "a", "pattern": "async-invoke", "duration": "20s", "response": "ack", "throughput": "10/s", "memory": 128, "function": "Fn"}"#
        #expect(try held(workload, function("Fn", timeout: "30", properties: "      ReservedConcurrentExecutions: 199\n")).map(\.id) == ["workload-concurrency-cap"])
        #expect(try held(workload, function("Fn", timeout: "30", properties: "      ReservedConcurrentExecutions: 200\n")).isEmpty)
    }
}
