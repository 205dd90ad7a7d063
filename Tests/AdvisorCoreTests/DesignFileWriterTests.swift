import Testing
@testable import AdvisorCore

/// Saving a workload from the questionnaire: a new file, an existing design file kept whole plus one
/// workload, and everything else refused (never overwritten).
@Suite struct DesignFileWriterTests {
    static func answers(_ raw: [String: String]) throws -> Answers { try Answers.resolve(raw, rules: shippedRules) }

    @Test func aNewFileHoldsTheWorkloadAsCheckReadsIt() throws {
        let answers = try Self.answers(["duration": "4m", "response": "ack", "memory": "2GB", "freeTier": "true"])
        let entry = DesignFileWriter.entry(name: "export", pattern: "sqs-queue", answers: answers, rules: shippedRules)
        let text = try DesignFileWriter.adding(entry, named: "export", to: nil, path: "new.json", rules: shippedRules)
        let file = try DesignFile.read(try JSONReader.read(text), path: "new.json", rules: shippedRules)
        #expect(file.workloads.map(\.name) == ["export"] && file.workloads.first?.pattern == "sqs-queue")
        let read = try #require(file.workloads.first?.answers)
        for id in ["duration", "response", "memory", "freeTier"] {
            #expect(read[id] == answers[id] && read.entries[id]?.defaulted == false, "\(id)")
        }
        #expect(read.entries["trigger"]?.defaulted == true, "defaults stay defaults")
    }

    @Test func anExistingDesignFileKeepsEveryWorkload() throws {
        let existing = #"{"workloads": [{"name": "a", "pattern": "sync", "duration": "2s", "response": "result", "acknowledge": [{"id": "near-sync-limit", "reason": "r"}]}]}"#
        let entry = DesignFileWriter.entry(name: "b", pattern: "async-invoke", answers: try Self.answers(["duration": "4m", "response": "ack"]), rules: shippedRules)
        let text = try DesignFileWriter.adding(entry, named: "b", to: existing, path: "d.json", rules: shippedRules)
        let file = try DesignFile.read(try JSONReader.read(text), path: "d.json", rules: shippedRules)
        #expect(file.workloads.map(\.name) == ["a", "b"])
        #expect(file.workloads.first?.acknowledged == [Workload.Acknowledgement(id: "near-sync-limit", reason: "r")])
        #expect(throws: DesignFileError.self) { try DesignFileWriter.adding(entry, named: "a", to: existing, path: "d.json", rules: shippedRules) }
    }

    @Test(arguments: ["", "not json", #"{"name": "my-app"}"#, #"[1, 2]"#, #"{"workloads": {}}"#,
                      #"{"workloads": [{"name": "x", "pattern": "nope", "duration": "4m"}]}"#])
    func anythingElseIsRefused(_ text: String) throws {
        let entry = DesignFileWriter.entry(name: "b", pattern: "async-invoke", answers: try Self.answers(["duration": "4m", "response": "ack"]), rules: shippedRules)
        #expect(throws: DesignFileError.self) { try DesignFileWriter.adding(entry, named: "b", to: text, path: "f.json", rules: shippedRules) }
    }

    /// A property over mutated design files: adding either refuses, or gives a design file with every
    /// workload it had and the new one last.
    @Test func mutatedFilesAreRefusedOrKeptWhole() throws {
        var rng = SeededRandom(31)
        let base = #"{"workloads": [{"name": "a", "pattern": "sync", "duration": "2s", "response": "result"}, {"name": "c", "pattern": "sqs-queue", "duration": "40s", "response": "ack"}]}"#
        let entry = DesignFileWriter.entry(name: "b", pattern: "async-invoke", answers: try Self.answers(["duration": "4m", "response": "ack"]), rules: shippedRules)
        let alphabet = Array("{}[],:\" abcnrs0123456789")
        for _ in 0..<1_500 {
            var characters = Array(base)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let index = Int.random(in: 0..<characters.count, using: &rng)
                if Bool.random(using: &rng) { characters[index] = alphabet.randomElement(using: &rng)! } else { characters.remove(at: index) }
            }
            let text = String(characters)
            guard let before = try? DesignFile.read(try JSONReader.read(text), path: "f.json", rules: shippedRules) else {
                #expect(throws: DesignFileError.self) { try DesignFileWriter.adding(entry, named: "b", to: text, path: "f.json", rules: shippedRules) }
                continue
            }
            guard let after = try? DesignFileWriter.adding(entry, named: "b", to: text, path: "f.json", rules: shippedRules) else {
                #expect(before.workloads.contains { $0.name == "b" }, "refused only for a name taken: \(text)")
                continue
            }
            let read = try DesignFile.read(try JSONReader.read(after), path: "f.json", rules: shippedRules)
            #expect(read.workloads.map(\.name) == before.workloads.map(\.name) + ["b"], "\(text)")
        }
    }
}
