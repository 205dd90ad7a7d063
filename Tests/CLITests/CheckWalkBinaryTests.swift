import Foundation
import Testing

/// `check` over folders and lists (SPEC §7): what a walk yields and passes over, and a run with broken
/// files among good ones, in every format — the broken ones reported and exit 2, the rest in full.
@Suite(.serialized) struct CheckWalkBinaryTests: CheckFolder {
    let folder: String

    init() throws {
        folder = try scratchFolder("check-walk")
        for sub in ["svc/a", "svc/b", "cdk.out", "node_modules/lib", ".aws-sam/build", ".hidden", "docs"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
        }
        try write("svc/a/template.yaml", Self.slowApi)
        try write("svc/b/template.yml", "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Timeout: 3\n")
        try write("cdk.out/Stack.template.json", #"{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 901}}}}"#)
        try write("svc/stack.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: 1000}\n")
        try write("svc/serverless.json", "{\n  \"Transform\": \"AWS::Serverless-2016-10-31\",\n  \"Resources\": {\n    \"Fn\": {\"Type\": \"AWS::Serverless::Function\", \"Properties\": {\"Timeout\": 20}}\n  }\n}\n")
        // Passed over: not a template by name or top level, or in a folder a walk skips.
        try write("docs/workflow.yml", "name: ci\non: [push\n")
        try write("docs/package.json", "{\"name\": \"x\"")
        try write("node_modules/lib/template.yaml", Self.slowApi)
        try write(".aws-sam/build/template.yaml", Self.slowApi)
        try write(".hidden/template.yaml", Self.slowApi)
        try FileManager.default.createSymbolicLink(atPath: folder + "/svc/linked", withDestinationPath: folder + "/svc/a")
    }

    static let slowApi = """
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Report:
        Type: AWS::Serverless::Function
        Properties:
          Timeout: 60
          Events:
            Get: {Type: Api, Properties: {Path: /report, Method: get}}

    """

    @Test func aWalkYieldsTemplatesAndReportsTheBrokenOnes() throws {
        let run = try check(["."])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            "cdk.out/Stack.template.json:1: Fn: error: timeout-over-limit: " + lines[0].dropFirst("cdk.out/Stack.template.json:1: Fn: error: timeout-over-limit: ".count),
            "svc/a/template.yaml:3: Report: warning: door-closes-first: " + lines[1].dropFirst("svc/a/template.yaml:3: Report: warning: door-closes-first: ".count),
            "svc/stack.yaml:3: Fn: error: timeout-over-limit: " + lines[2].dropFirst("svc/stack.yaml:3: Fn: error: timeout-over-limit: ".count),
            "4 templates: 2 errors, 1 warning, 1 ok; 1 file could not be read",
        ], "\(lines)")
        #expect(run.stderr == "svc/b/template.yml:5:1: error: invalid YAML: expected '}' to close flow mapping opened at 4:17\n"
                + "1 problem in the file, which was not checked; the other 4 files were checked in full\n", "\(run.stderr)")
    }

    @Test func everyFormatCarriesTheProblemAndTheRest() throws {
        let json = try check([".", "--format", "json"])
        #expect(json.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["templates"] as? [Any])?.count == 4)
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.count == 1 && problems[0]["file"] as? String == "svc/b/template.yml" && problems[0]["line"] as? Int == 5
                && problems[0]["column"] as? Int == 1 && (problems[0]["message"] as? String)?.hasPrefix("invalid YAML") == true, "\(problems)")
        #expect((object["summary"] as? [String: Int])?["problems"] == 1)

        let sarif = try check([".", "--format", "sarif"])
        #expect(sarif.status == 2)
        try sarif.stdout.write(toFile: folder + "/results.sarif", atomically: true, encoding: .utf8)
        let validation = try Validator.run(folder + "/results.sarif")
        #expect(validation.status == 0, "SARIF invalid:\n\(validation.stdout)\(validation.stderr)")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let sarifRun = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect((sarifRun["results"] as? [Any])?.count == 3)
        let invocation = try #require((sarifRun["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == false)
        let notification = try #require((invocation["toolExecutionNotifications"] as? [[String: Any]])?.first)
        let location = try #require(((notification["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "svc/b/template.yml")
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 5)
        // Only the broken file is an error notification; passed-over resources would be notes.
        #expect((invocation["toolExecutionNotifications"] as? [[String: Any]])?.allSatisfy { $0["level"] as? String == "error" } == true)

        let markdown = try check([".", "--format", "markdown"])
        #expect(markdown.status == 2)
        #expect(markdown.stdout.contains("svc/b/template.yml:5:1") && markdown.stdout.contains("`svc/a/template.yaml`"), "\(markdown.stdout)")
        #expect(markdown.stdout.contains("1 template without findings"), "\(markdown.stdout)")
        #expect(!markdown.stdout.contains("`svc/serverless.json`"), "clean templates are counted, not listed")
    }

    @Test func sarifCarriesWhatWasPassedOverAsNotes() throws {
        try write("rain.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Vpc:\n    Type: !Rain::Module ./vpc.yml\n")
        let run = try check(["rain.yaml", "--format", "sarif"])
        #expect(run.status == 0, "\(run.stderr)")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let invocation = try #require((((log["runs"] as? [[String: Any]])?.first?["invocations"]) as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == true)
        let notes = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
        #expect(notes.count == 1 && notes[0]["level"] as? String == "note", "\(notes)")
        #expect(((notes[0]["message"] as? [String: Any])?["text"] as? String)?.hasPrefix("Resource 'Vpc': passed over") == true)
        try run.stdout.write(toFile: folder + "/notes.sarif", atomically: true, encoding: .utf8)
        #expect(try Validator.run(folder + "/notes.sarif").status == 0)
    }

    @Test func aFolderWithNothingToCheckIsAUsageError() throws {
        let run = try check(["docs"])
        #expect(run.status == 2 && run.stdout.isEmpty, "\(run.stdout)")
        #expect(run.stderr.contains("nothing to check in 'docs': a folder yields template.{yaml,yml,json}"), "\(run.stderr)")
    }

    @Test func aBrokenJSONTemplateIsNotCalledADesignFile() throws {
        try write("broken.template.json", "{\"Resources\": {\"Fn\": {\"Type\": \"AWS::Lambda::Function\",}}}")
        let run = try check(["broken.template.json"])
        #expect(run.status == 2 && run.stderr.hasSuffix("1 problem in the file; nothing was checked\n"), "\(run.stderr)")
        #expect(!run.stderr.contains("design"), "\(run.stderr)")
    }

    @Test func filesFromAListOrStdin() throws {
        try write("list.txt", "svc/a/template.yaml\n\n  svc/stack.yaml  \n")
        let fromFile = try check(["--files-from", "list.txt"])
        #expect(fromFile.status == 1 && fromFile.stdout.hasSuffix("2 templates: 1 error, 1 warning, 0 ok\n"), "\(fromFile.stdout)")
        let fromStdin = try Binary.run(["check", "--files-from", "-", "cdk.out"], stdin: "svc/a/template.yaml\n", directory: folder)
        #expect(fromStdin.stdout.hasSuffix("2 templates: 1 error, 1 warning, 0 ok\n"), "\(fromStdin.stdout)")
        let missing = try check(["--files-from", "nothere.txt"])
        #expect(missing.status == 2 && missing.stderr.contains("--files-from") && missing.stderr.contains("one path a line"), "\(missing.stderr)")
        let gone = try check(["svc/a/template.yaml", "svc/gone.yaml"])
        #expect(gone.status == 2 && gone.stderr.hasPrefix("svc/gone.yaml:1:1: error: no such file or folder"), "\(gone.stderr)")
        #expect(gone.stdout.contains("svc/a/template.yaml:3: Report: warning: door-closes-first"))
    }

    @Test func aDesignWorkloadIsHeldAgainstTheFunctionItNamesAndSARIFLinksEachFindingsPage() throws {
        try write("svc/async-advisor.json", #"{"workloads": [{"name": "export", "pattern": "sqs-queue", "duration": "2m", "response": "ack", "memory": 1024, "function": "Report"}]}"#)
        let run = try check(["svc/async-advisor.json", "svc/a/template.yaml"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.contains("svc/a/template.yaml:3: Report: error: workload-timeout-short: Workload 'export' (sqs-queue) runs each task in one invocation of 'Report' and takes up to 2m, but Timeout is 60 s"), "\(run.stdout)")
        #expect(run.stdout.contains("svc/a/template.yaml:3: Report: note: workload-memory-differs: MemorySize is 128 MB"), "\(run.stdout)")
        let sarif = try check(["svc/async-advisor.json", "svc/a/template.yaml", "--format", "sarif"])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let driver = try #require((((log["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"]) as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let timeoutRule = try #require(rules.first { $0["id"] as? String == "workload-timeout-short" })
        #expect((timeoutRule["helpUri"] as? String)?.hasSuffix("/docs/findings/workload-timeout-short.md") == true)
        #expect(((timeoutRule["help"] as? [String: Any])?["text"] as? String)?.contains("Set Timeout to the duration with headroom") == true)
        #expect(rules.first { $0["id"] as? String == "workload-memory-differs" }.flatMap { ($0["defaultConfiguration"] as? [String: Any])?["level"] as? String } == "note")
        try sarif.stdout.write(toFile: folder + "/workload.sarif", atomically: true, encoding: .utf8)
        #expect(try Validator.run(folder + "/workload.sarif").status == 0)
    }
}
