import Foundation
import Testing

/// The questionnaire's version-2 habits in a real terminal (tmux): the "usual defaults" shortcut after the
/// required answers, `back` offering the answer given before, Ctrl-D (exit 1) and Ctrl-C (exit 130) with
/// nothing written, and saving the workload to a design file that `check` then reads. Part of the serialized
/// AskTerminalTests suite: one tmux server, one session at a time.
extension AskTerminalTests {
    /// A session whose working folder is `folder`, where the design file is saved.
    static func session(in folder: String) throws -> TmuxSession {
        try TmuxSession("ask", environment: "cd '\(folder)' &&")
    }

    @Test func theUsualDefaultsTakeTheRest() throws {
        let s = try TmuxSession("ask")
        defer { s.close() }
        try s.waitFor("1. How long"); try s.type("4m")
        try s.waitFor("2. Who starts"); try s.type("")
        try s.waitFor("3. What does the caller"); try s.type("ack")
        try s.waitFor("4. Use the usual defaults for the rest?"); try s.type("yes")
        try s.waitFor("Write a starter project for async-invoke now?")
        let screen = s.screen
        #expect(!screen.contains("Which front door"), "no further question is asked")
        #expect(screen.contains("   --entry api-gateway") && screen.contains("   --retry automatic"), "the defaults taken are shown")
        let same = try Binary.json(["recommend", "--duration", "4m", "--response", "ack", "--format", "json"])
        #expect((same["pattern"] as? [String: Any])?["id"] as? String == "async-invoke", "the same answer as recommend with those flags")
        try s.type("no")
        try s.declineSave()
        try s.waitFor("EXIT=0")
    }

    @Test func backOffersTheAnswerGivenBefore() throws {
        let s = try TmuxSession("ask")
        defer { s.close() }
        try s.waitFor("1. How long"); try s.type("4m")
        try s.waitFor("2. Who starts"); try s.type("webhook")
        try s.waitFor("3. What does the caller"); try s.type("back")
        try s.waitFor("> [webhook] ")
        try s.type("")                                   // Enter keeps it
        try s.waitFor("3. What does the caller"); try s.type("back")
        try s.waitFor("> [webhook] "); try s.type("back")
        try s.waitFor("> [4m] ")                         // the first question too
        try s.type("")
        try s.waitFor("> [webhook] "); try s.type("")
        try s.waitFor("3. What does the caller need back?"); try s.type("ack")
        try s.waitFor("4. Use the usual defaults"); try s.type("yes")
        // Still 4 minutes and a webhook: the answers kept through `back` decide.
        try s.waitFor("Write a starter project for lambda-self-invoke now?")
        #expect(s.screen.contains("async-advisor recommend --duration 4m --trigger webhook --response ack --explain"), "\(s.screen)")
        try s.key("C-c")
        try s.waitFor("EXIT=130")
    }

    @Test func ctrlDAndCtrlCAtTheShortcutAndTheOffers() throws {
        let d = try TmuxSession("ask")
        defer { d.close() }
        try d.waitFor("1. How long"); try d.type("4m")
        try d.waitFor("2. Who starts"); try d.type("")
        try d.waitFor("3. What does the caller"); try d.type("ack")
        try d.waitFor("4. Use the usual defaults"); try d.key("C-d")
        var screen = try d.waitFor("EXIT=")
        #expect(screen.contains("Ended (end of input); nothing written.") && screen.contains("EXIT=1"), "\(screen)")

        let c = try TmuxSession("ask")
        defer { c.close() }
        try c.waitFor("1. How long"); try c.type("4m")
        try c.waitFor("2. Who starts"); try c.type("")
        try c.waitFor("3. What does the caller"); try c.type("ack")
        try c.waitFor("4. Use the usual defaults"); try c.key("C-c")
        screen = try c.waitFor("EXIT=")
        #expect(screen.contains("Interrupted; nothing written.") && screen.contains("EXIT=130"), "\(screen)")

        let offer = try TmuxSession("ask")
        defer { offer.close() }
        try offer.waitFor("1. How long"); try offer.type("4m")
        try offer.waitFor("2. Who starts"); try offer.type("")
        try offer.waitFor("3. What does the caller"); try offer.type("ack")
        try offer.waitFor("4. Use the usual defaults"); try offer.type("yes")
        try offer.waitFor("Write a starter project"); try offer.key("C-d")
        screen = try offer.waitFor("EXIT=")
        #expect(screen.contains("Ended (end of input); nothing written.") && screen.contains("EXIT=1"), "\(screen)")
    }

    /// Answers a 4 m request that wants an ack with the usual defaults, declines the scaffold and says yes to
    /// saving; the caller answers the file and name prompts.
    static func reachTheSaveOffer(_ s: TmuxSession) throws {
        try s.waitFor("1. How long"); try s.type("4m")
        try s.waitFor("2. Who starts"); try s.type("")
        try s.waitFor("3. What does the caller"); try s.type("ack")
        try s.waitFor("4. Use the usual defaults"); try s.type("yes")
        try s.waitFor("Write a starter project"); try s.type("no")
        try s.waitFor("Save this workload to a design file"); try s.type("yes")
        try s.waitFor("File [async-advisor.json]")
    }

    @Test func savesTheWorkloadAndAddsToTheFile() throws {
        let folder = try scratchFolder("save")
        let first = try Self.session(in: folder)
        defer { first.close() }
        try Self.reachTheSaveOffer(first)
        try first.type("")
        try first.waitFor("Workload name [async-invoke]"); try first.type("resize")
        var screen = try first.waitFor("EXIT=")
        #expect(screen.contains("Wrote async-advisor.json with workload 'resize'. Check it: async-advisor check async-advisor.json") && screen.contains("EXIT=0"), "\(screen)")
        let check = try Binary.run(["check", "async-advisor.json", "--format", "json"], directory: folder)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let saved = try #require((report["workloads"] as? [[String: Any]])?.first)
        #expect(saved["name"] as? String == "resize" && saved["pattern"] as? String == "async-invoke" && saved["recommended"] as? String == "async-invoke")

        // A second run adds to the file; the name taken is refused and asked again.
        let second = try Self.session(in: folder)
        defer { second.close() }
        try Self.reachTheSaveOffer(second)
        try second.type("")
        try second.waitFor("Workload name"); try second.type("resize")
        try second.waitFor("already has a workload named \"resize\"")
        try second.waitFor("File [async-advisor.json]"); try second.type("")
        try second.waitFor("Workload name"); try second.type("thumbnails")
        screen = try second.waitFor("EXIT=")
        #expect(screen.contains("Added workload 'thumbnails' to async-advisor.json") && screen.contains("EXIT=0"), "\(screen)")
        let both = try Binary.run(["check", "async-advisor.json"], directory: folder)
        #expect(both.status == 0 && both.stdout.hasSuffix("2 workloads: 0 errors, 2 warnings, 0 ok\n"), "\(both.stdout)")
    }

    @Test func aFileThatIsNotADesignFileIsLeftAsItIs() throws {
        let folder = try scratchFolder("save")
        try "{\"name\": \"my-app\", \"version\": \"1.0.0\"}\n".write(toFile: folder + "/async-advisor.json", atomically: true, encoding: .utf8)
        try "not json at all\n".write(toFile: folder + "/notes.json", atomically: true, encoding: .utf8)
        let s = try Self.session(in: folder)
        defer { s.close() }
        try Self.reachTheSaveOffer(s)
        try s.type("")
        try s.waitFor("Workload name"); try s.type("")
        try s.waitFor("nothing written")
        try s.waitFor("File [async-advisor.json]"); try s.type("notes.json")
        try s.waitFor("Workload name"); try s.type("")
        try s.waitFor("is not JSON")
        try s.waitFor("File [async-advisor.json]"); try s.type("design.json")
        try s.waitFor("Workload name"); try s.type("")
        let screen = try s.waitFor("EXIT=")
        #expect(screen.contains("Wrote design.json with workload 'async-invoke'") && screen.contains("EXIT=0"), "\(screen)")
        #expect(try String(contentsOfFile: folder + "/async-advisor.json", encoding: .utf8) == "{\"name\": \"my-app\", \"version\": \"1.0.0\"}\n")
        #expect(try String(contentsOfFile: folder + "/notes.json", encoding: .utf8) == "not json at all\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["async-advisor.json", "design.json", "notes.json"], "no temporary file is left")
    }
}
