import Foundation
import Testing

/// `check` on templates end to end: the built binary, templates and design files in a temporary folder,
/// exit codes, the text line format, JSON beside workloads, SARIF at the resource's line.
@Suite(.serialized) struct TemplateBinaryTests: CheckFolder {
    let folder: String

    init() throws {
        folder = try scratchFolder("template-check")
    }

    /// Line 5: Report (door-closes-first, warning); line 14: Jobs (below-timeout error and no DLQ).
    static let failing = """
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31
    Resources:
      # A 60 s report behind a 29 s REST API.
      Report:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.13
          Timeout: 60
          Events:
            Get: {Type: Api, Properties: {Path: /report, Method: get}}

      Jobs:
        Type: AWS::SQS::Queue
      Worker:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.13
          Timeout: 45
          Events:
            Work: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}

    """

    static let warnsOnly = """
    Resources:
      Report:
        Type: AWS::Serverless::Function
        Properties:
          Timeout: 60
          Events:
            Get: {Type: Api, Properties: {Path: /report, Method: get}}

    """

    static let clean = """
    {
      "Resources": {
        "Quick": {
          "Type": "AWS::Serverless::Function",
          "Properties": {"Timeout": 10, "Events": {"Get": {"Type": "Api", "Properties": {"Path": "/q", "Method": "get"}}}}
        }
      }
    }

    """

    static let design = #"{"workloads": [{"name": "export", "pattern": "sync", "duration": "4m", "response": "result"}]}"# + "\n"

    @Test func exitCodesFollowTheFindings() throws {
        try write("template.yaml", Self.failing)
        try write("warns.yaml", Self.warnsOnly)
        try write("clean.json", Self.clean)
        let failing = try check(["template.yaml"])
        #expect(failing.status == 1 && failing.stderr.isEmpty, "\(failing.stderr)")
        let lines = failing.stdout.split(separator: "\n").map(String.init)
        #expect(lines.dropLast().allSatisfy(CheckBinaryTests.matches), "\(lines)")
        #expect(lines.dropLast().map { $0.split(separator: ":").prefix(5).joined(separator: ":") } == [
            "template.yaml:5: Report: warning: door-closes-first",
            "template.yaml:14: Jobs: error: sqs-visibility-below-timeout",
            "template.yaml:14: Jobs: warning: sqs-no-dead-letter-queue",
        ])
        #expect(lines[0].contains("Timeout is 60 s but Api event 'Get' closes at 29 s"))
        #expect(lines[1].contains("VisibilityTimeout is 30 s (the default), shorter than the Timeout of 'Worker' (Timeout 45 s"))
        #expect(lines.last == "1 template: 1 error, 2 warnings, 0 ok")

        let warns = try check(["warns.yaml"])
        #expect(warns.status == 0 && warns.stdout.hasPrefix("warns.yaml:2: Report: warning: door-closes-first: "), "\(warns.stdout)")
        #expect(try check(["warns.yaml", "--strict"]).status == 1)
        let clean = try check(["clean.json", "--strict"])
        #expect(clean.status == 0 && clean.stdout == "1 template: 0 errors, 0 warnings, 1 ok\n", "\(clean.stdout)")
    }

    @Test(arguments: [
        ("broken.yaml", "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Timeout: 3\n", "broken.yaml:5:1: error: invalid YAML: "),
        ("duplicate.yaml", "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  Fn:\n    Type: AWS::Lambda::Function\n", "duplicate.yaml:4:3: error: invalid YAML: duplicate key 'Fn' (first at line 2)"),
        ("empty.yaml", "# nothing yet\n", "empty.yaml:1:1: error: the file is empty"),
        ("bare.yaml", "Resources:\n", "bare.yaml:1:1: error: \"Resources\" must be a mapping of logical ids to resources, found nothing under it"),
        ("other.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nOutputs: {}\n", "other.yaml:1:1: error: not a file check can read: found a mapping with \"AWSTemplateFormatVersion\", \"Outputs\""),
        ("design.yaml", "workloads:\n  - name: a\n", "design.yaml:1:1: error: a design file is JSON, not YAML"),
        ("broken.json", "{\"Resources\": {\"Fn\": }}\n", "broken.json:1:22: error: invalid JSON"),
    ])
    func unreadableFilesExitTwoWithTheirPlace(_ name: String, _ text: String, _ message: String) throws {
        try write(name, text)
        try write("template.yaml", Self.failing)
        let alone = try check(["template.yaml"])
        let run = try check(["template.yaml", name])
        // The broken file exits 2 and is named; the good one is still reported in full.
        #expect(run.status == 2)
        #expect(run.stdout == alone.stdout.replacingOccurrences(of: " ok\n", with: " ok; 1 file could not be read\n"), "\(run.stdout)")
        #expect(run.stderr.hasPrefix(message), "\(run.stderr)")
        #expect(run.stderr.hasSuffix("1 problem in the file, which was not checked; the other 1 file was checked in full\n"), "\(run.stderr)")
        if name == "other.yaml" || name == "empty.yaml" {
            #expect(run.stderr.contains(#"a top-level "Resources" mapping"#) && run.stderr.contains(#"{"workloads": "#))
        }
    }

    @Test func resourcesItCannotReadArePassedOverWithANote() throws {
        try write("template.yaml", Self.failing + "  Untyped:\n    Properties: {}\n  Module:\n    Type: !Rain::Module ./bucket.yaml\n  Scalar: 3\n")
        let run = try check(["template.yaml", "--format", "json"])
        #expect(run.status == 1, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let template = (json["templates"] as! [[String: Any]])[0]
        let notes = (template["notes"] as! [[String: Any]]).map { "\($0["resource"]!): \($0["message"]!)" }
        #expect(notes.count == 3 && notes[0].hasPrefix("Untyped: passed over: it has no \"Type\""), "\(notes)")
        #expect(notes[1].contains("tagged !Rain::Module") && notes[2].hasPrefix("Scalar: passed over"), "\(notes)")
        #expect((template["findings"] as! [Any]).count == 3)
    }

    @Test func binaryFilesAreRefused() throws {
        try Data([0x00, 0xFF, 0xFE, 0x13, 0x37, 0x0A, 0x80]).write(to: URL(fileURLWithPath: folder + "/blob.yaml"))
        try Data("Resources:\n  A: \u{01}\n".utf8).write(to: URL(fileURLWithPath: folder + "/control.yaml"))
        let run = try check(["blob.yaml", "control.yaml"])
        #expect(run.status == 2 && run.stdout.isEmpty)
        #expect(run.stderr.contains("blob.yaml:1:1: error: is not UTF-8 text") && run.stderr.contains("control.yaml:2:6: error: invalid YAML: invalid character U+0001"), "\(run.stderr)")
    }

    @Test func templatesAndDesignFilesInOneRun() throws {
        try write("template.yaml", Self.failing)
        try write("design.json", Self.design)
        let run = try check(["design.json", "template.yaml"])
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.dropLast().allSatisfy(CheckBinaryTests.matches), "\(lines)")
        #expect(lines.first?.hasPrefix("design.json:1: export: error: door-closes-first: ") == true)
        #expect(lines.filter { $0.hasPrefix("template.yaml:") }.count == 3)
        #expect(lines.last == "1 workload and 1 template in 2 files: 2 errors, 2 warnings, 0 ok")

        let json = try #require(try JSONSerialization.jsonObject(with: Data(try check(["design.json", "template.yaml", "--format", "json"]).stdout.utf8)) as? [String: Any])
        #expect((json["workloads"] as? [[String: Any]])?.count == 1)
        let templates = try #require(json["templates"] as? [[String: Any]])
        #expect(templates.count == 1 && templates[0]["file"] as? String == "template.yaml")
        let findings = try #require(templates[0]["findings"] as? [[String: Any]])
        #expect(findings.map { $0["id"] as? String } == ["door-closes-first", "sqs-visibility-below-timeout", "sqs-no-dead-letter-queue"])
        #expect(findings.map { $0["resource"] as? String } == ["Report", "Jobs", "Jobs"])
        #expect(findings.map { $0["line"] as? Int } == [5, 14, 14])
        #expect(findings.map { $0["severity"] as? String } == ["warning", "error", "warning"])
        #expect(findings.allSatisfy { ($0["message"] as? String)?.isEmpty == false } && findings.allSatisfy { $0.count == 5 })
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary == ["workloads": 1, "templates": 1, "errors": 2, "warnings": 2, "ok": 0])
    }

    @Test func sarifIsValidAndPointsAtTheResourceLine() throws {
        try write("template.yaml", Self.failing)
        try write("design.json", Self.design)
        try FileManager.default.createDirectory(atPath: folder + "/infra", withIntermediateDirectories: true)
        try write("infra/clean.json", Self.clean)
        let run = try check(["./template.yaml", "design.json", "infra/clean.json", "--format", "sarif"])
        #expect(run.status == 1)
        try run.stdout.write(toFile: folder + "/results.sarif", atomically: true, encoding: .utf8)
        let validation = try Validator.run(folder + "/results.sarif")
        #expect(validation.status == 0, "SARIF invalid:\n\(validation.stdout)\(validation.stderr)")

        let log = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let sarifRun = try #require((log["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((sarifRun["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == ["door-closes-first", "sqs-visibility-below-timeout", "sqs-no-dead-letter-queue"])
        let results = try #require(sarifRun["results"] as? [[String: Any]])
        #expect(results.count == 4)
        let templateResults = results.dropFirst()
        for result in templateResults {
            let location = try #require((result["locations"] as? [[String: Any]])?.first)
            let physical = try #require(location["physicalLocation"] as? [String: Any])
            #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "template.yaml")
            let line = (physical["region"] as? [String: Any])?["startLine"] as? Int
            #expect(line == (result["ruleId"] as? String == "door-closes-first" ? 5 : 14))
            #expect((physical["region"] as? [String: Any])?["startColumn"] as? Int == 3)
            #expect((location["logicalLocations"] as? [[String: Any]])?.first?["kind"] as? String == "resource")
        }
        #expect(templateResults.map { $0["level"] as? String } == ["warning", "error", "warning"])
        #expect(((templateResults.first?["message"] as? [String: Any])?["text"] as? String)?.hasPrefix("Resource 'Report': Timeout is 60 s") == true)

        // Templates alone: the rules are described as template rules.
        let alone = try check(["template.yaml", "--format", "sarif"])
        let aloneLog = try #require(try JSONSerialization.jsonObject(with: Data(alone.stdout.utf8)) as? [String: Any])
        let aloneRules = try #require((((aloneLog["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect((aloneRules.first?["defaultConfiguration"] as? [String: Any])?["level"] as? String == "warning")
        try alone.stdout.write(toFile: folder + "/alone.sarif", atomically: true, encoding: .utf8)
        #expect(try Validator.run(folder + "/alone.sarif").status == 0)
    }

    @Test func helpNamesTemplatesAndEveryTemplateFinding() throws {
        let run = try check(["--help"])
        for text in ["template.yaml", "Resources", "async-advisor", "timeout-over-limit", "door-closes-first", "async-no-failure-destination",
                     "sqs-visibility-below-timeout", "sqs-visibility-short", "sqs-no-dead-letter-queue", "stream-no-failure-destination", "durable-sync-cap"] {
            #expect(run.stdout.contains(text), "help misses \(text)")
        }
    }
}
