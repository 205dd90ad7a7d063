import Foundation
import Testing

/// The hook of `.pre-commit-hooks.yaml`, run the way a team's pre-commit runs it: `pre-commit try-repo` on
/// this repository builds the package (`language: swift`, offline) and checks the files of a commit. Its
/// environment is cached under `.build/pre-commit-home` by commit, so only the first run builds.
@Suite(.serialized) struct PreCommitHookTests {
    func run(_ arguments: [String], in folder: String) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["PRE_COMMIT_HOME"] = Binary.packageRoot.appendingPathComponent(".build/pre-commit-home").path
        environment["GIT_AUTHOR_NAME"] = "test"; environment["GIT_AUTHOR_EMAIL"] = "test@example.com"
        environment["GIT_COMMITTER_NAME"] = "test"; environment["GIT_COMMITTER_EMAIL"] = "test@example.com"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }

    @Test func theHookChecksTheTemplatesOfACommit() throws {
        let folder = try scratchFolder("pre-commit")
        let hooks = try String(contentsOf: Binary.packageRoot.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        #expect(hooks.contains("language: swift") && hooks.contains("entry: async-advisor check"))
        try "Transform: AWS::Serverless-2016-10-31\nResources:\n  Report:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: 1000\n"
            .write(toFile: folder + "/template.yaml", atomically: true, encoding: .utf8)
        try "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n".write(toFile: folder + "/clean.template.yaml", atomically: true, encoding: .utf8)
        try "name: ci\non: [push\n".write(toFile: folder + "/workflow.yml", atomically: true, encoding: .utf8)
        #expect(try run(["git", "init", "-q"], in: folder).status == 0)
        #expect(try run(["git", "add", "."], in: folder).status == 0)
        #expect(try run(["git", "commit", "-qm", "templates"], in: folder).status == 0)
        let root = Binary.packageRoot.path
        let failing = try run(["pre-commit", "try-repo", root, "async-advisor-check", "--all-files"], in: folder)
        #expect(failing.status == 1, "\(failing.stdout)")
        #expect(failing.stdout.contains("template.yaml:3: Report: error: timeout-over-limit: Timeout is 1000 s"), "\(failing.stdout)")
        // The hook's files pattern passes over other YAML (a broken workflow would otherwise exit 2).
        #expect(!failing.stdout.contains("workflow.yml"), "\(failing.stdout)")
        let clean = try run(["pre-commit", "try-repo", root, "async-advisor-check", "--files", "clean.template.yaml"], in: folder)
        #expect(clean.status == 0, "\(clean.stdout)")
    }
}
