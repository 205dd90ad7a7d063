import Foundation
import Testing

/// The questionnaire in a real pseudo-terminal: tmux runs the binary, send-keys types, capture-pane reads.
struct TmuxSession {
    let name = "aa-\(UUID().uuidString.prefix(8))"

    /// A tmux server of our own (not the user's), started with no configuration.
    static let socket = "async-advisor-tests-\(ProcessInfo.processInfo.processIdentifier)"

    /// Runs one tmux client command. Foundation's `Process` learns that a child ended when a socket it hands
    /// the child closes; the first client forks the tmux *server*, which would inherit that socket and keep it
    /// open for as long as any session lives, so `waitUntilExit` would never return (this hung CI for 90
    /// minutes on a machine with no tmux server running yet). bash closes every inherited descriptor above
    /// stderr before exec'ing tmux, and `timeout` bounds each client call.
    @discardableResult
    static func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let closeInherited = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; done 2>/dev/null; "#
        process.arguments = ["-c", closeInherited + #"exec timeout 20 tmux -L "$0" -f /dev/null "$@""#, socket] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    init(_ arguments: String, environment: String = "") throws {
        // The first client starts the tmux server; a session asked for while another client is starting it
        // can be lost, so make sure it exists (a few tries) before any test types into it.
        for _ in 0..<5 {
            try Self.tmux(["new-session", "-d", "-s", name, "-x", "100", "-y", "200",
                           "\(environment) \(Binary.path) \(arguments); echo EXIT=$?; sleep 60"])
            if (try? Self.tmux(["list-sessions", "-F", "#{session_name}"]))?.split(separator: "\n").contains(Substring(name)) == true { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// The screen with its escape sequences (colours) kept.
    var rawScreen: String { (try? Self.tmux(["capture-pane", "-p", "-e", "-t", name])) ?? "" }

    func type(_ text: String) throws { try Self.tmux(["send-keys", "-t", name, "-l", text]); try Self.tmux(["send-keys", "-t", name, "Enter"]) }
    func key(_ key: String) throws { try Self.tmux(["send-keys", "-t", name, key]) }
    var screen: String { (try? Self.tmux(["capture-pane", "-p", "-J", "-t", name, "-S", "-500"])) ?? "" }

    /// Waits until the screen shows `text` (up to 30 s) and returns the screen.
    @discardableResult
    func waitFor(_ text: String) throws -> String {
        for _ in 0..<600 {
            let now = screen
            if now.contains(text) { return now }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for '\(text)'; screen:\n\(screen)")
        return screen
    }

    /// Takes the default (Enter) at every question from number `first` on, one Enter per question shown, until
    /// the offer to write the scaffold appears. Waiting for each question before answering keeps a slow machine
    /// from sending an Enter meant for a question to the offer.
    func acceptDefaults(from first: Int) throws {
        var number = first
        for _ in 0..<600 {
            let now = screen
            if now.contains("Write a starter project") { return }
            if now.contains("\n\(number). ") || now.hasPrefix("\(number). ") {
                try type("")
                number += 1
                continue
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out answering defaults from question \(first); screen:\n\(screen)")
    }

    /// Declines the last offer, to save the workload to a design file.
    func declineSave() throws {
        try waitFor("Save this workload to a design file")
        try type("")
    }

    func close() { _ = try? Self.tmux(["kill-session", "-t", name]) }
}

@Suite(.serialized) struct AskTerminalTests {
    @Test func webhookThatNeedsAnAck() throws {
        let s = try TmuxSession("ask")
        defer { s.close() }
        try s.waitFor("1. How long")
        try s.type("90s")
        try s.waitFor("2. Who starts the work?")
        try s.type("webhook")
        try s.waitFor("3. What does the caller need back?")
        let screen = try s.waitFor("3) status")
        #expect(!screen.contains("none —"), "'none' is offered only for events and schedules")
        try s.type("2")
        try s.acceptDefaults(from: 4)
        try s.waitFor("Write a starter project for lambda-self-invoke now?")
        try s.type("no")
        try s.declineSave()
        let done = try s.waitFor("EXIT=0")
        #expect(done.contains("Nothing written. Later: async-advisor scaffold lambda-self-invoke --lang python"))
        #expect(done.contains("Recommended: ") && done.contains("(lambda-self-invoke)"))
        #expect(done.contains("async-advisor recommend --duration 1m30s --trigger webhook --response ack"))
        #expect(!done.contains("ack deadline"), "a 90 s task misses any ack deadline: not asked")
    }

    @Test func statusPageThatPolls() throws {
        let s = try TmuxSession("ask")
        defer { s.close() }
        try s.waitFor("1. How long"); try s.type("4m")
        try s.waitFor("2. Who starts"); try s.type("")          // default: request
        try s.waitFor("3. What does the caller"); try s.type("status")
        try s.waitFor("4. Use the usual defaults for the rest?"); try s.type("")   // default: no
        try s.waitFor("5. Which front door"); try s.type("")
        // Version 2, rule 5: the shape decides between a job record and a workflow with a job companion.
        try s.waitFor("6. What shape is the work?"); try s.type("")
        try s.waitFor("7. How does the person watching"); try s.type("poll")
        try s.acceptDefaults(from: 8)
        try s.waitFor("Write a starter project for task-manager now?")
        try s.type("")
        try s.declineSave()
        let done = try s.waitFor("EXIT=0")
        #expect(done.contains("(task-manager)"))
        #expect(!done.contains("stop and resume in slices"), "a status needs no slicing question")
        #expect(!done.contains("read the response as it is streamed"), "streaming is asked only for a result")
        #expect(done.contains("async-advisor recommend --duration 4m --response status --updates poll"))
    }

    @Test func aScheduleIsAskedHowOftenItRuns() throws {
        let s = try TmuxSession("ask")
        defer { s.close() }
        try s.waitFor("1. How long"); try s.type("3m")
        try s.waitFor("2. Who starts"); try s.type("schedule")
        // A schedule needs no response: the required answers are in after the trigger.
        try s.waitFor("3. Use the usual defaults for the rest?"); try s.type("no")
        try s.waitFor("4. What shape"); try s.type("")
        try s.waitFor("5. How often does it run?"); try s.type("?")
        try s.waitFor("1/day for a nightly job"); try s.type("24/day")
        try s.acceptDefaults(from: 6)
        try s.waitFor("Write a starter project for eventbridge-schedule now?")
        try s.type("no")
        try s.declineSave()
        let done = try s.waitFor("EXIT=0")
        #expect(done.contains("async-advisor recommend --duration 3m --trigger schedule --throughput 1/h"), "\(done)")
        #expect(!done.contains("peak arrival rate"))
    }

    /// Answers the questionnaire up to and including the front door for a 45 s request that wants its result.
    static func resultRequest(through door: String) throws -> TmuxSession {
        let s = try TmuxSession("ask")
        try s.waitFor("1. How long"); try s.type("45s")
        try s.waitFor("2. Who starts"); try s.type("")
        try s.waitFor("3. What does the caller"); try s.type("result")
        try s.waitFor("4. Use the usual defaults for the rest?"); try s.type("no")
        try s.waitFor("5. Which front door"); try s.type(door)
        return s
    }

    @Test func aStreamedResultIsAskedOnlyWhereTheDoorStreams() throws {
        let s = try Self.resultRequest(through: "")
        defer { s.close() }
        try s.waitFor("6. Can the client read the response as it is streamed?"); try s.type("yes")
        try s.acceptDefaults(from: 7)
        try s.waitFor("Write a starter project for sync-stream now?")
        try s.type("no")
        try s.declineSave()
        let done = try s.waitFor("EXIT=0")
        #expect(done.contains("(sync-stream)"))
        let http = try Self.resultRequest(through: "http-api")
        defer { http.close() }
        try http.acceptDefaults(from: 6)
        try http.waitFor("Write a starter project for")
        #expect(!http.screen.contains("streamed?"), "an HTTP API cannot stream: not asked")
    }

    @Test func helpBackAndBadAnswers() throws {
        let s = try TmuxSession("ask")
        defer { s.close() }
        try s.waitFor("1. How long")
        try s.type("90")
        var screen = try s.waitFor("no unit")
        #expect(screen.contains("90s") && screen.contains("accepted:"))
        try s.type("?")
        screen = try s.waitFor("source: DT-14 §")
        try s.type("2m")
        try s.waitFor("2. Who starts the work?")
        try s.type("carrier pigeon")
        screen = try s.waitFor("is not one of")
        #expect(screen.contains("1 or request"))
        try s.type("back")
        try s.waitFor("1. How long does one task take at worst (p99)?\n> ") // asked again
        try s.type("10s")
        try s.waitFor("2. Who starts the work?")
    }

    @Test func ctrlDEndsCleanly() throws {
        let s = try TmuxSession("ask")
        defer { s.close() }
        try s.waitFor("1. How long")
        try s.type("4m")
        try s.waitFor("2. Who starts")
        try s.key("C-d")
        let screen = try s.waitFor("EXIT=")
        // SPEC §2: Ctrl-D exits 1 (the same end of input on a pipe, before every answer, is exit 2).
        #expect(screen.contains("Ended (end of input); nothing written.") && screen.contains("EXIT=1"), "\(screen)")
    }

    @Test func ctrlCExits130() throws {
        let s = try TmuxSession("ask")
        defer { s.close() }
        try s.waitFor("1. How long")
        try s.key("C-c")
        let screen = try s.waitFor("EXIT=")
        #expect(screen.contains("Interrupted; nothing written.") && screen.contains("EXIT=130"))
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        let coloured = try TmuxSession("ask", environment: "env -u NO_COLOR TERM=xterm-256color")
        defer { coloured.close() }
        try coloured.waitFor("1. How long")
        #expect(coloured.rawScreen.contains("\u{1B}["), "bold/colour on a terminal")
        let plain = try TmuxSession("ask", environment: "env NO_COLOR=1 TERM=xterm-256color")
        defer { plain.close() }
        try plain.waitFor("1. How long")
        #expect(!plain.rawScreen.contains("\u{1B}["), "no escape sequences with NO_COLOR")
    }

    @Test func writesTheScaffoldItOffers() throws {
        let folder = try scratchFolder("ask")
        try FileManager.default.createDirectory(atPath: folder + "/taken", withIntermediateDirectories: true)
        try "x\n".write(toFile: folder + "/taken/file", atomically: true, encoding: .utf8)
        let s = try TmuxSession("ask")
        defer { s.close() }
        try s.waitFor("1. How long"); try s.type("4m")
        try s.waitFor("2. Who starts"); try s.type("request")
        try s.waitFor("3. What does the caller"); try s.type("ack")
        try s.waitFor("4. Use the usual defaults for the rest?"); try s.type("")
        try s.waitFor("5. Which front door"); try s.type("")
        try s.waitFor("6. What if a task fails"); try s.type("guaranteed")
        try s.acceptDefaults(from: 7)
        try s.waitFor("Write a starter project for sqs-queue now?")
        try s.type("perl")
        try s.waitFor("accepted: python, typescript, no")
        try s.type("typescript")
        try s.waitFor("Folder")
        try s.type(folder + "/taken")
        try s.waitFor("exists and is not empty")
        try s.type(folder + "/orders")
        try s.declineSave()
        let done = try s.waitFor("EXIT=0")
        #expect(done.contains("The same again: async-advisor scaffold sqs-queue --lang typescript --out"), "\(done)")
        #expect(FileManager.default.fileExists(atPath: folder + "/orders/src/worker/app.ts"))
        #expect(FileManager.default.fileExists(atPath: folder + "/orders/template.yaml"))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder + "/taken")) == ["file"])
    }

    @Test func noArgumentsOnATerminalStartsTheQuestionnaire() throws {
        let s = try TmuxSession("")
        defer { s.close() }
        try s.waitFor("1. How long does one task take")
    }
}

@Suite(.serialized) struct AskPipedTests {
    @Test func pipedAnswersGiveTheSameAnswerAsRecommend() throws {
        let run = try Binary.run(["ask"], stdin: "4m\nrequest\nack\n\nguaranteed\n\n\n\n\n\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("(sqs-queue)"))
        #expect(run.stdout.contains("Starter code (python): src/worker/app.py, up to where your code goes:"), "the final screen ends with the code")
        #expect(run.stdout.contains("async-advisor scaffold sqs-queue --lang python"))
        #expect(!run.stdout.contains("Write a starter project"), "the offer needs a terminal")
        // A command wider than the screen goes on with ' \' lines.
        let text = run.stdout.replacingOccurrences(of: " \\\n      ", with: " ")
        let line = try #require(text.split(separator: "\n").first { $0.contains("async-advisor recommend ") })
        #expect(line.hasSuffix(" --explain"), "the final screen names the command that gives the whole answer")
        let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ").dropFirst().map(String.init)
        let again = try Binary.json(words + ["--format", "json"])
        #expect((again["pattern"] as? [String: Any])?["id"] as? String == "sqs-queue")
    }

    @Test func inputRunningOutNamesTheQuestion() throws {
        let run = try Binary.run(["ask"], stdin: "4m\n")
        #expect(run.status == 2)
        #expect(run.stderr.contains("Who starts the work?") && run.stderr.contains("--trigger"))
    }

    @Test func garbageNeverHangs() throws {
        let run = try Binary.run(["ask"], stdin: String(repeating: "\u{7}zz\n?\nback\n-1\n99\n", count: 50))
        #expect(run.status == 2 && !run.stderr.isEmpty)
    }

    @Test func closedOutputDoesNotCrash() throws {
        // stdout closed by the reader (like `| head -1`): the process ends without a signal death.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '4m\\nrequest\\nack\\n\\n\\n\\n\\n\\n\\n\\n' | '\(Binary.path)' ask | head -1 >/dev/null; echo ${PIPESTATUS:-done}"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
    }
}
