import Synchronization

/// The scaffold manifests a rule snapshot holds, each decoded the first time a command asks for it:
/// `recommend` previews one pattern's handler, and reading its `scaffold.json` as JSON at every start cost
/// more than deciding the workload. A rule set without a snapshot has none here; its manifests are read from
/// the rule files (`Scaffold.manifest(_:rules:)`).
final class ManifestSource: Sendable {
    private struct State {
        var decoded: [String: Scaffold.Manifest] = [:]
        var pending: [String: Range<Int>] = [:]
    }
    private let state: Mutex<State>
    private let text: String
    /// The snapshot's string table, which the manifests' strings are places in.
    private let strings: [String]

    init() {
        state = Mutex(State())
        text = ""
        strings = []
    }

    init(text: String, ranges: [String: Range<Int>], strings: [String]) {
        state = Mutex(State(pending: ranges))
        self.text = text
        self.strings = strings
    }

    /// The snapshot's manifest of `pattern`; nil when the snapshot holds none for it.
    func manifest(_ pattern: String) -> Scaffold.Manifest? {
        state.withLock { state in
            if let manifest = state.decoded[pattern] { return manifest }
            guard let range = state.pending.removeValue(forKey: pattern), let manifest = decode(range) else { return nil }
            state.decoded[pattern] = manifest
            return manifest
        }
    }

    private func decode(_ range: Range<Int>) -> Scaffold.Manifest? {
        var text = text
        return text.withUTF8 { bytes in
            var reader = SnapshotReader(bytes: UnsafeBufferPointer(rebasing: bytes[range]), table: strings)
            guard let manifest = try? Scaffold.Manifest(snapshot: &reader), reader.atEnd else { return nil }
            return manifest
        }
    }
}

extension Scaffold.Manifest {
    func write(_ w: inout SnapshotWriter) {
        w.int(version)
        w.string(pattern)
        w.map(main) { $0.string($1) }
        w.list(functions) { w, f in w.string(f.logicalId); w.string(f.role) }
        w.optional(shared) { w, shared in w.map(shared) { $0.strings($1) } }
        w.optionalString(task)
        w.list(workload) { w, pair in w.string(pair.key); w.string(pair.value) }
        w.strings(answers)
        w.strings(triggers)
        w.strings(entries)
        w.optional(sharedAs) { w, sharedAs in
            w.map(sharedAs) { w, files in w.map(files) { w, file in w.string(file.from); w.optionalString(file.when) } }
        }
        w.optional(when) { w, when in w.map(when) { w, files in w.map(files) { $0.strings($1) } } }
        w.optional(mutations) { w, mutations in
            w.map(mutations) { w, list in
                w.list(list) { w, m in w.string(m.name); w.string(m.file); w.string(m.find); w.string(m.replace) }
            }
        }
    }

    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        version = try r.int()
        pattern = try r.string()
        main = try r.map { r throws(F) in try r.string() }
        functions = try r.list { r throws(F) in Function(logicalId: try r.string(), role: try r.string()) }
        shared = try r.optional { r throws(F) in try r.map { r throws(F) in try r.strings() } }
        task = try r.optionalString()
        workload = try r.list { r throws(F) in (key: try r.string(), value: try r.string()) }
        answers = try r.strings()
        triggers = try r.strings()
        entries = try r.strings()
        sharedAs = try r.optional { r throws(F) in
            try r.map { r throws(F) in try r.map { r throws(F) in Scaffold.SharedFile(from: try r.string(), when: try r.optionalString()) } }
        }
        when = try r.optional { r throws(F) in try r.map { r throws(F) in try r.map { r throws(F) in try r.strings() } } }
        mutations = try r.optional { r throws(F) in
            try r.map { r throws(F) in
                try r.list { r throws(F) in Scaffold.Mutation(name: try r.string(), file: try r.string(), find: try r.string(), replace: try r.string()) }
            }
        }
    }
}
