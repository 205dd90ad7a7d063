import Foundation
import Testing

/// `scaffold` through the built binary: what lands on disk, and every refusal leaving the disk as it was.
@Suite struct ScaffoldBinaryTests {
    func scratch() throws -> String { try scratchFolder("scaffold") }

    func tree(_ folder: String) -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    @Test func writesTheProjectTheJSONListNames() throws {
        let folder = try scratch()
        let listed = try Binary.json(["scaffold", "task-manager", "--lang", "typescript", "--name", "orders", "--dry-run", "--format", "json"])
        #expect(tree(folder).isEmpty, "--dry-run writes nothing")
        let run = try Binary.run(["scaffold", "task-manager", "--lang", "typescript", "--name", "orders"], directory: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let written = tree(folder + "/orders")
        #expect(written == (listed["files"] as? [String])?.sorted())
        #expect(written.contains(".gitignore") && written.contains("tsconfig.json") && written.contains("template.yaml"))
        #expect(run.stdout.contains("Wrote \(written.count) files to ./orders (task-manager, typescript)"))
        #expect(run.stdout.contains("sam build && sam deploy --guided"))
        let package = try String(contentsOfFile: folder + "/orders/package.json", encoding: .utf8)
        #expect(package.contains("\"name\": \"orders\""))
        #expect(listed["command"] as? String == "async-advisor scaffold task-manager --lang typescript --name orders")
    }

    @Test(arguments: ["python", "typescript"])
    func aWebhookProjectChecksItsSendersSignatureInsteadOfIAM(_ language: String) throws {
        let folder = try scratch()
        let module = language == "python" ? "webhook_auth.py" : "webhook-auth.ts"
        let run = try Binary.run(["scaffold", "sqs-queue", "--lang", language, "--sender", "slack-command", "--out", folder + "/hook"])
        #expect(run.status == 0, "\(run.stderr)")
        let written = tree(folder + "/hook")
        #expect(written.contains("src/producer/" + module) && written.contains("src/worker/" + module), "\(written)")
        let template = try String(contentsOfFile: folder + "/hook/template.yaml", encoding: .utf8)
        #expect(template.contains("WEBHOOK_SENDER: slack-command") && template.contains("SigningSecret:") && template.contains("NoEcho: true"))
        #expect(!template.contains("DefaultAuthorizer: AWS_IAM"), "a sender cannot sign with SigV4")
        let producer = try String(contentsOfFile: folder + "/hook/src/producer/" + (language == "python" ? "app.py" : "core.ts"), encoding: .utf8)
        #expect(producer.contains("verify("))

        // Without a sender the same pattern is the IAM-authorized API, with no webhook module.
        let plain = try Binary.run(["scaffold", "sqs-queue", "--lang", language, "--out", folder + "/api"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!tree(folder + "/api").contains { $0.hasSuffix(module) })
        #expect(try String(contentsOfFile: folder + "/api/template.yaml", encoding: .utf8).contains("DefaultAuthorizer: AWS_IAM"))
    }

    @Test func recommendWritesTheWebhookProjectOfItsSender() throws {
        let folder = try scratch()
        let run = try Binary.run(["recommend", "--duration", "2m", "--trigger", "webhook", "--response", "ack", "--sender", "stripe",
                                  "--scaffold", folder + "/p", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let template = try String(contentsOfFile: folder + "/p/template.yaml", encoding: .utf8)
        #expect(template.contains("WEBHOOK_SENDER: stripe"), "\(template.prefix(400))")
        #expect(run.stdout.contains("--sender stripe"))
    }

    @Test func anUnknownSenderExitsTwoAndWritesNothing() throws {
        let folder = try scratch()
        let run = try Binary.run(["scaffold", "sqs-queue", "--sender", "gitlab", "--out", folder + "/p"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("slack-events, slack-command, github, stripe, generic"), "\(run.stderr)")
        #expect(tree(folder).isEmpty)
    }

    @Test func scriptsAreWrittenExecutableAndNothingElseIs() throws {
        let folder = try scratch()
        let run = try Binary.run(["scaffold", "sync-stream", "--lang", "python", "--out", folder + "/p"])
        #expect(run.status == 0, "\(run.stderr)")
        for file in tree(folder + "/p") {
            let executable = FileManager.default.isExecutableFile(atPath: folder + "/p/" + file)
            // The Lambda Web Adapter executes the handler file itself.
            #expect(executable == (file == "src/stream/run.sh"), "\(file) executable: \(executable)")
        }
    }

    @Test func refusesANonEmptyFolderAndLeavesItAlone() throws {
        let folder = try scratch()
        try "mine\n".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        let run = try Binary.run(["scaffold", "sqs-queue", "--out", folder])
        #expect(run.status == 2)
        #expect(run.stderr.contains("exists and is not empty") && run.stderr.contains("--force") && run.stderr.contains("nothing was written"))
        #expect(tree(folder) == ["notes.txt"])
        #expect(run.stdout.isEmpty)
    }

    @Test func forceOverwritesTheScaffoldsFilesAndKeepsOthers() throws {
        let folder = try scratch()
        try "mine\n".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        try "old\n".write(toFile: folder + "/template.yaml", atomically: true, encoding: .utf8)
        let run = try Binary.run(["scaffold", "sqs-queue", "--out", folder, "--force"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(tree(folder).contains("notes.txt") && tree(folder).contains("src/worker/app.py"))
        let template = try String(contentsOfFile: folder + "/template.yaml", encoding: .utf8)
        #expect(template.contains("AWS::Serverless-2016-10-31"))
        #expect(!tree(folder).contains { $0.contains(".async-advisor-") }, "no staging left behind")
        #expect(!((try? FileManager.default.contentsOfDirectory(atPath: (folder as NSString).deletingLastPathComponent)) ?? []).contains { $0.contains(".async-advisor-") })
    }

    @Test func createsMissingParentFolders() throws {
        let folder = try scratch()
        let run = try Binary.run(["scaffold", "sync", "--out", folder + "/a/b/c"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(tree(folder + "/a/b/c").contains("template.yaml"))
    }

    @Test(arguments: [
        (["--name", "My Job"], "lowercase letters, digits and dashes"),
        (["--name", "../etc"], "lowercase letters, digits and dashes"),
        (["--lang", "go"], "python, typescript"),
        (["--name"], "needs a value"),
    ])
    func badOptionsWriteNothing(_ extra: [String], _ expected: String) throws {
        let folder = try scratch()
        let run = try Binary.run(["scaffold", "sync"] + extra, directory: folder)
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(tree(folder).isEmpty)
    }

    @Test func unknownPatternSuggestsTheNearest() throws {
        let run = try Binary.run(["scaffold", "sqs-queu"])
        #expect(run.status == 2 && run.stderr.contains("Did you mean 'sqs-queue'?"))
    }

    @Test func aTemplateThatFailsWritesNothing() throws {
        // A rule set whose README template names an undefined variable: everything else renders, nothing lands.
        let folder = try scratch()
        let rules = folder + "/rules"
        try FileManager.default.copyItem(atPath: Binary.packageRoot.appendingPathComponent("rules").path, toPath: rules)
        let readme = rules + "/scaffolds/sync/python/README.md"
        try (try String(contentsOfFile: readme, encoding: .utf8) + "\n{{projectTitle}}\n").write(toFile: readme, atomically: true, encoding: .utf8)
        let run = try Binary.run(["scaffold", "sync", "--rules", rules, "--out", folder + "/out"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("scaffolds/sync/python/README.md") && run.stderr.contains("'projectTitle' is not defined"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["rules"], "no staging folder left")
    }

    @Test func aFileWhereAFolderMustGoIsRefusedBeforeWriting() throws {
        let folder = try scratch()
        try "x\n".write(toFile: folder + "/src", atomically: true, encoding: .utf8)
        let run = try Binary.run(["scaffold", "sync", "--out", folder, "--force"])
        #expect(run.status == 2 && run.stderr.contains("is a file, and the scaffold needs a folder there"), "\(run.stderr)")
        #expect(tree(folder) == ["src"])
    }
}

/// `recommend` ends with the starter code: a preview that is the start of the file the scaffold writes,
/// the command that writes it, and `--scaffold DIR` to write it in the same step.
@Suite struct RecommendStarterCodeTests {
    let flags = ["recommend", "--duration", "4m", "--response", "ack", "--retry", "guaranteed"]

    func scratch() throws -> String { try scratchFolder("starter") }

    @Test(arguments: ["python", "typescript"])
    func previewIsTheStartOfTheWrittenFile(_ language: String) throws {
        let folder = try scratch()
        let json = try Binary.json(flags + ["--lang", language, "--format", "json", "--scaffold", folder + "/p"])
        let scaffold = try #require(json["scaffold"] as? [String: Any])
        let main = try #require(scaffold["main"] as? String)
        let preview = try #require(scaffold["preview"] as? String)
        let written = try String(contentsOfFile: folder + "/p/" + main, encoding: .utf8)
        #expect(written.hasPrefix(preview) && preview.contains("BUSINESS LOGIC:"))
        // The command writes the same project again: sized for the same workload (SPEC §9).
        #expect(scaffold["command"] as? String == "async-advisor scaffold sqs-queue --lang \(language) --out \(folder)/p --duration 4m --response ack --retry guaranteed")
        let files = try #require(scaffold["files"] as? [String])
        for file in files { #expect(FileManager.default.fileExists(atPath: folder + "/p/" + file), "\(file)") }
        #expect(scaffold["written"] as? String == folder + "/p")

        let text = try Binary.run(flags + ["--lang", language, "--explain"])
        #expect(text.status == 0)
        // Off a terminal the width is 100: longer code lines are cut with '…'.
        let indented = preview.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { "  " + ($0.count > 98 ? $0.prefix(97) + "…" : $0) }.joined(separator: "\n")
        #expect(text.stdout.contains(indented), "the text shows the same preview")
        #expect(text.stdout.hasSuffix("The whole project (handlers, AWS SAM template, events, tests, README):\n  async-advisor scaffold sqs-queue --lang \(language) --duration 4m --response ack --retry guaranteed\n"))
    }

    @Test func scaffoldedProjectPassesCfnLint() throws {
        let folder = try scratch()
        let run = try Binary.run(flags + ["--scaffold", folder + "/svc", "--name", "svc"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Wrote ") && run.stdout.contains("files to \(folder)/svc."))
        let lint = Process()
        lint.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        lint.arguments = ["cfn-lint", folder + "/svc/template.yaml"]
        let out = Pipe()
        lint.standardOutput = out
        lint.standardError = out
        lint.standardInput = FileHandle.nullDevice
        try lint.run()
        let report = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        lint.waitUntilExit()
        #expect(lint.terminationStatus == 0, "cfn-lint (pip install -r .ci/requirements.txt): \(report)")
    }

    @Test func aRefusedFolderPrintsNothingButTheError() throws {
        let folder = try scratch()
        try "x\n".write(toFile: folder + "/keep", atomically: true, encoding: .utf8)
        let run = try Binary.run(flags + ["--scaffold", folder])
        #expect(run.status == 2 && run.stdout.isEmpty)
        #expect(run.stderr.contains("--scaffold: '\(folder)' exists and is not empty"))
        let forced = try Binary.run(flags + ["--force"])
        #expect(forced.status == 2 && forced.stderr.contains("--force applies only with --scaffold"))
    }
}
