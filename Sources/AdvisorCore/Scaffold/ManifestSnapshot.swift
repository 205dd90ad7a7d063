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
