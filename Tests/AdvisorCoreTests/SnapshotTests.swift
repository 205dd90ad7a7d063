import Testing
@testable import AdvisorCore

/// The built-in rules load from a compiled snapshot (RuleSnapshot); these hold the snapshot to the rules.
@Suite struct SnapshotTests {
    @Test func theSnapshotIsOfTheRulesBuiltIn() {
        #expect(RuleSnapshot.digest(RuleFiles.builtIn) == EmbeddedRules.digest,
                "rules-embedder and RuleSnapshot.digest disagree on the digest of the same files")
        #expect(RuleSnapshot.builtInIsCurrent,
                "rules/ changed since Sources/AdvisorCore/Rules/BuiltInSnapshot.swift was made: run scripts/update-snapshot")
    }

    /// The built-in files are two sorted arrays searched in place: every file is found by its path, no other
    /// path is, and a folder lists exactly the files under it.
    @Test func theEmbeddedFilesAreFoundByPath() throws {
        let files = RuleFiles.builtIn
        #expect(files.count == EmbeddedRules.paths.count && files.count > 100)
        for (path, text) in files { #expect(try RuleFiles.embedded.text(path) == text, "\(path)") }
        for missing in ["", "no-such-file.json", "tree.jsonx", "scaffolds/", "zzz"] { #expect(try RuleFiles.embedded.text(missing) == nil) }
        for prefix in ["scaffolds/sqs-queue/", "scaffolds/", "scaffolds/_shared/python/", "tree", "zzz", ""] {
            #expect(RuleFiles.embedded.files(under: prefix) == files.keys.filter { $0.hasPrefix(prefix) }.sorted(), "\(prefix)")
        }
    }

    /// The snapshot holds every pattern's scaffold manifest, each read back as the manifest file gives it.
    @Test func theSnapshotsManifestsAreTheFiles() throws {
        let rules = try RuleSnapshot.decode(BuiltInSnapshot.text, digest: BuiltInSnapshot.digest, files: .embedded)
        for pattern in rules.patterns {
            let held = try #require(rules.manifests.part(pattern.id), "\(pattern.id)")
            var a = SnapshotWriter(), b = SnapshotWriter()
            held.write(&a)
            try Scaffold.manifest(pattern.id, files: .embedded).write(&b)
            #expect(a.bytes == b.bytes && a.table == b.table, "\(pattern.id)")
        }
        #expect(rules.manifests.part("no-such-pattern") == nil)
    }

    @Test func theSnapshotIsExactlyWhatCompilingTheRulesGives() throws {
        let compiled = try RuleSet.compile(.embedded)
        #expect(RuleSnapshot.encode(compiled, digest: EmbeddedRules.digest) == BuiltInSnapshot.text,
                "the snapshot differs from what the rules compile to now: run scripts/update-snapshot")
    }

    @Test func readingAndWritingASnapshotGivesItBack() throws {
        let rules = try RuleSnapshot.decode(BuiltInSnapshot.text, digest: BuiltInSnapshot.digest, files: .embedded)
        #expect(RuleSnapshot.encode(rules, digest: BuiltInSnapshot.digest) == BuiltInSnapshot.text)
        // What `finish` works out is the same either way.
        let compiled = try RuleSet.compile(.embedded)
        #expect(rules.inputIDs == compiled.inputIDs && rules.patternIndex == compiled.patternIndex)
        #expect(rules.defaultValues == compiled.defaultValues)
    }

    @Test func loadingTheBuiltInRulesUsesTheSnapshotAndOtherRulesCompile() throws {
        #expect(RuleSnapshot.builtInIsCurrent)
        // A snapshot of other rules, or of another format, is refused rather than misread.
        #expect(throws: RuleSnapshot.Failure.self) { try RuleSnapshot.decode(BuiltInSnapshot.text, digest: "0000000000000000", files: .embedded) }
        #expect(throws: RuleSnapshot.Failure.self) { try RuleSnapshot.decode("9;" + BuiltInSnapshot.text.drop(while: { $0 != ";" }).dropFirst(), digest: BuiltInSnapshot.digest, files: .embedded) }
        // Rules in memory never touch the snapshot: a changed limit shows.
        var files = RuleFiles.builtIn
        files["patterns.json"] = files["patterns.json"]!.replacing("\"Synchronous invocation (RequestResponse)\"", with: "\"Changed name\"")
        let changed = try RuleSet.load(.memory(files))
        #expect(changed.pattern("sync")?.name == "Changed name")
        #expect(try RuleSet.load().pattern("sync")?.name == "Synchronous invocation (RequestResponse)")
    }

    /// A damaged snapshot (a flipped, dropped or added byte anywhere, or cut short) is refused or read
    /// without crashing; it never loads silently wrong in a way that crashes later.
    @Test func damagedSnapshotsNeverCrash() {
        var rng = SeededRandom(23)
        let bytes = Array(BuiltInSnapshot.text.utf8)
        var refused = 0
        for round in 0..<400 {
            var damaged = bytes
            let at = Int.random(in: 0..<damaged.count, using: &rng)
            switch round % 4 {
            case 0: damaged[at] = UInt8.random(in: 0x20...0x7E, using: &rng)
            case 1: damaged.remove(at: at)
            case 2: damaged.insert(UInt8.random(in: 0x20...0x7E, using: &rng), at: at)
            default: damaged.removeLast(damaged.count - at)
            }
            do {
                let rules = try RuleSnapshot.decode(String(decoding: damaged, as: UTF8.self), digest: BuiltInSnapshot.digest, files: .embedded)
                _ = RuleSnapshot.encode(rules, digest: BuiltInSnapshot.digest)
            } catch {
                refused += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(refused > 200)
    }
}
