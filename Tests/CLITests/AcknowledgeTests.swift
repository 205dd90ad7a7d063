import Foundation
import Testing

/// SPEC §5 `acknowledge`: a warning a design file says is handled, with its reason, becomes a note — shown in
/// every format, not counted, not failing `--strict`; a missing reason, or an id that is not a warning, is exit 2.
@Suite(.serialized) struct AcknowledgeTests: CheckFolder {
    let folder: String

    init() throws { folder = try scratchFolder("acknowledge") }

    /// async-invoke's most common recommendation raises no-failure-destination: without an acknowledgement
    /// `--strict` can never pass on it.
    static let workload = #"{"name": "resize", "pattern": "async-invoke", "duration": "2s", "response": "ack""#
    static let reason = "failures go to the team's on-failure SQS queue"

    static func design(_ acknowledge: String?) -> String {
        "{\"workloads\": [" + workload + (acknowledge.map { ", \"acknowledge\": " + $0 } ?? "") + "}]}\n"
    }

    @Test func aHandledWarningIsANote() throws {
        try write("plain.json", Self.design(nil))
        let plain = try check(["plain.json", "--strict"])
        #expect(plain.status == 1, "the warning fails --strict: \(plain.stdout)")
        #expect(plain.stdout.contains(": warning: no-failure-destination: "))

        try write("design.json", Self.design(#"[{"id": "no-failure-destination", "reason": "\#(Self.reason)"}]"#))
        let run = try check(["design.json", "--strict"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("design.json:1: resize: note: no-failure-destination: acknowledged (\(Self.reason)): "), "\(run.stdout)")
        #expect(run.stdout.hasSuffix("1 workload: 0 errors, 0 warnings, 1 ok\n"), "a note is not counted: \(run.stdout)")

        let json = try check(["design.json", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let verdict = try #require((object["workloads"] as? [[String: Any]])?.first)
        #expect(verdict["status"] as? String == "ok")
        let finding = try #require((verdict["findings"] as? [[String: Any]])?.first)
        #expect(finding["severity"] as? String == "note" && finding["acknowledged"] as? String == Self.reason)
        #expect((object["summary"] as? [String: Any])?["warnings"] as? Double == 0)

        let sarif = try check(["design.json", "--format", "sarif", "--strict"])
        #expect(sarif.status == 0)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let result = try #require(((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first)
        #expect(result["level"] as? String == "note" && (result["properties"] as? [String: Any])?["acknowledged"] as? String == Self.reason)

        let markdown = try check(["design.json", "--format", "markdown"])
        #expect(markdown.stdout.contains("- **note** `no-failure-destination`: acknowledged (\(Self.reason)): "), "\(markdown.stdout)")
    }

    /// An entry whose warning the workload does not raise is shown, so a stale entry is seen.
    @Test func anEntryThatMatchesNothingIsANoteToo() throws {
        try write("design.json", Self.design(#"[{"id": "no-failure-destination", "reason": "handled"}, {"id": "near-lambda-limit", "reason": "checked"}]"#))
        let run = try check(["design.json", "--strict"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("resize: note: acknowledged-not-raised: the acknowledged warning near-lambda-limit is not raised"), "\(run.stdout)")
    }

    @Test(arguments: [
        (#"[{"id": "no-failure-destination"}]"#, #"the acknowledged warning "no-failure-destination" has no "reason": say why it is handled"#),
        (#"[{"id": "no-failure-destination", "reason": " "}]"#, #"an acknowledged "reason" must be a non-empty string"#),
        (#"[{"id": "no-failure-destinaton", "reason": "x"}]"#, #""no-failure-destinaton" is not a warning id. Did you mean "no-failure-destination"?"#),
        (#"[{"id": "exceeds-max-duration", "reason": "x"}]"#, #""exceeds-max-duration" is a hard limit, an error: it cannot be acknowledged"#),
        (#"[{"id": "concurrency", "resaon": "x"}]"#, #"unknown key "resaon" in an "acknowledge" entry. Did you mean "reason"?"#),
        (#"[{"reason": "x"}]"#, #"an "acknowledge" entry has no "id""#),
        (#"{"id": "concurrency", "reason": "x"}"#, #""acknowledge" must be an array"#),
        (#"[{"id": "concurrency", "reason": "x"}, {"id": "concurrency", "reason": "y"}]"#, #""concurrency" is acknowledged twice"#),
    ])
    func aBadEntryIsAUsageError(_ acknowledge: String, _ expected: String) throws {
        try write("design.json", Self.design(acknowledge))
        let run = try check(["design.json"])
        #expect(run.status == 2, "\(run.stdout)")
        #expect(run.stderr.contains("design.json:1:") && run.stderr.contains(expected), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "nothing is checked")
    }

    /// The ids an entry may name are exactly the warnings of the rules (and not-recommended), each once.
    @Test func theAcceptedIdsAreTheWarnings() throws {
        try write("design.json", Self.design(#"[{"id": "nope", "reason": "x"}]"#))
        let run = try check(["design.json"])
        let listed = try #require(run.stderr.components(separatedBy: "Warnings that can be acknowledged: ").last?.split(separator: "\n").first)
        let ids = listed.components(separatedBy: ", ")
        #expect(Set(ids).count == ids.count, "each id once: \(listed)")
        for id in ["no-failure-destination", "concurrency", "near-lambda-limit", "not-recommended"] { #expect(ids.contains(id)) }
        #expect(!ids.contains("exceeds-max-duration"))
    }
}
