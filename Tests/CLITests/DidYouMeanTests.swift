import Foundation
import Testing

/// "Did you mean" for every option — async-advisor's own (`--verison`, `-v`), each command's, and the values
/// of choices — in flags, design files and the questionnaire; exit 2, and the accepted values named once.
@Suite struct DidYouMeanTests {
    @Test(arguments: [
        (["--verison"], "unknown option '--verison'. Did you mean '--version'?"),
        (["-v"], "unknown option '-v'. Did you mean '--version'?"),
        (["--hlep"], "unknown option '--hlep'. Did you mean '--help'?"),
        (["--duration", "4m"], "a command's options go after it (e.g. async-advisor recommend --duration …)"),
        (["recomend"], "unknown command 'recomend'. Did you mean 'recommend'?"),
        (["recommend", "--durtion", "4m"], "unknown option '--durtion'. Did you mean '--duration'?"),
        (["recommend", "--version"], "The version is an option of async-advisor itself: async-advisor --version"),
        (["recommend", "--duration", "4m", "--trigger", "webhok"], "--trigger: 'webhok' is not one of request, webhook, event, schedule; did you mean 'webhook'?"),
        (["recommend", "--duration", "4m", "--response", "ack", "--format", "jsn"], "--format: 'jsn' is not one of text, json, markdown; did you mean 'json'?"),
        (["recommend", "--duration", "4m", "--response", "akc"], "did you mean 'ack'?"),
        (["cost", "--duration", "4m", "--response", "ack", "--arch", "arm"], "did you mean 'arm64'?"),
        (["check", "--pattern", "sqs-queue", "--duration", "4m", "--response", "ack", "--retry", "guaranted"], "did you mean 'guaranteed'?"),
        (["scaffold", "sqs-queue", "--lang", "pyton"], "did you mean 'python'?"),
        (["recommend", "--duration", "40 minutes", "--response", "ack"], "did you mean 40m?"),
        (["recommend", "--duration", "4m", "--response", "ack", "--memory", "2 gigs"], "did you mean 2GB?"),
    ])
    func flags(_ arguments: [String], _ expected: String) throws {
        let run = try Binary.run(arguments)
        #expect(run.status == 2, "\(arguments): \(run.stdout)")
        #expect(run.stderr.contains(expected), "\(arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.components(separatedBy: "accepted").count <= 2, "what is accepted is named once: \(run.stderr)")
    }

    @Test func designFileValues() throws {
        let folder = try scratchFolder("did-you-mean")
        let path = folder + "/design.json"
        try #"{"workloads": [{"name": "a", "pattern": "sqs-queue", "duration": "4m", "trigger": "webhok", "response": "ack"}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let run = try Binary.run(["check", path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\"trigger\": 'webhok' is not one of request, webhook, event, schedule; did you mean 'webhook'?"), "\(run.stderr)")
        try #"{"workloads": [{"name": "a", "pattern": "sqs-queue", "duraton": "4m", "response": "ack"}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let key = try Binary.run(["check", path])
        #expect(key.status == 2 && key.stderr.contains("Did you mean \"duration\"?"), "\(key.stderr)")
    }

    @Test func questionnaireAnswers() throws {
        let run = try Binary.run(["ask"], stdin: "40 minutes\n40m\nwebhok\nrequest\n")
        #expect(run.stdout.contains("did you mean 40m?"), "\(run.stdout)")
        #expect(run.stdout.contains("'webhok' is not one of the choices here; did you mean 'webhook'?"), "\(run.stdout)")
        let refusals = run.stdout.split(separator: "\n").filter { $0.contains("webhok") || $0.contains("40 minutes") }
        #expect(!refusals.isEmpty)
        // Each refusal names what is accepted once (the message and the list were both printed before).
        let block = run.stdout.components(separatedBy: "> [request] webhok\n").last ?? ""
        let reply = block.components(separatedBy: "\n> ").first ?? ""
        #expect(reply.components(separatedBy: "accepted").count == 2, "\(reply)")
    }
}
