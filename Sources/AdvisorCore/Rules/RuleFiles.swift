/// Where rule files come from: the set built into the binary, or a folder given with `--rules`.
public enum RuleFiles: Sendable {
    case embedded
    case directory(String)
    /// Files held in memory, path → text (a fuzzer's mutated rule sets; a tool embedding its own rules).
    case memory([String: String])

    /// The text of a rule file, or nil when it does not exist.
    public func text(_ path: String) throws(RuleSetError) -> String? {
        switch self {
        case .embedded:
            let place = EmbeddedRules.firstPlace(notBefore: path)
            return place < EmbeddedRules.paths.count && EmbeddedRules.paths[place] == path ? EmbeddedRules.texts[place] : nil
        case .memory(let files):
            return files[path]
        case .directory(let root):
            let full = root + "/" + path
            guard FileSystem.exists(full) else { return nil }
            guard let bytes = FileSystem.bytes(full) else {
                throw RuleSetError(problems: [RuleProblem(file: path, message: "cannot be read")])
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw RuleSetError(problems: [RuleProblem(file: path, message: "is not UTF-8 text")])
            }
            return text
        }
    }

    /// Every file path (relative to the rule set's root) under a folder such as `scaffolds/sqs-queue/`.
    public func files(under prefix: String) -> [String] {
        switch self {
        case .embedded:
            // The paths are sorted, so those under a prefix follow one another from its place on.
            return Array(EmbeddedRules.paths[EmbeddedRules.firstPlace(notBefore: prefix)...].prefix { $0.hasPrefix(prefix) })
        case .memory(let files):
            return files.keys.filter { $0.hasPrefix(prefix) }.sorted()
        case .directory(let root):
            let base = root + "/" + prefix
            let found = FileSystem.files(under: base).filter { relative in
                !relative.split(separator: "/").contains(where: { Self.isJunk($0) })
            }.map { prefix + $0 }
            return found.sorted()
        }
    }

    /// Files and folders that are never rules: caches and editor or VCS litter. Dotfiles such as a
    /// scaffold's `.gitignore` are rules. (rules-embedder keeps the same list for the built-in set.)
    static func isJunk(_ component: Substring) -> Bool {
        ["__pycache__", "node_modules", ".git", ".DS_Store", ".pytest_cache", ".test-build", ".aws-sam"].contains(component)
            || component.hasSuffix("~") || component.hasSuffix(".swp")
    }

    /// Every file of the built-in rule set, path → text (a starting point for `.memory`).
    public static var builtIn: [String: String] { Dictionary(uniqueKeysWithValues: zip(EmbeddedRules.paths, EmbeddedRules.texts)) }

    public var label: String {
        switch self {
        case .embedded: return "built-in rules"
        case .memory: return "rules in memory"
        case .directory(let root): return root
        }
    }

    /// Reads and decodes one rule file; a missing, invalid or ill-typed file becomes located problems.
    /// Decodes one rule file. Citations of a source document by id (`"dt-14 § …"`) become its short title
    /// (`"DT-14 § …"`) first, so every rule carries the name output shows, never a file name.
    func decode<T: JSONReadable>(_ type: T.Type, from path: String, citations: [(id: String, short: String)] = []) throws(RuleSetError) -> (T, LocatedJSON) {
        guard var text = try text(path) else {
            throw RuleSetError(problems: [RuleProblem(file: path, message: "is missing from \(label)")])
        }
        for citation in citations where text.contains("\"\(citation.id) § ") {
            text = text.replacing("\"\(citation.id) § ", with: "\"\(citation.short) § ")
        }
        let tree: LocatedJSON
        do { tree = try JSONReader.read(text) } catch {
            throw RuleSetError(problems: [RuleProblem(file: path, location: error.location, message: "invalid JSON: \(error.message)")])
        }
        if let version = tree["version"]?.value.number, version > Double(RuleSet.supportedVersion) {
            throw RuleSetError(problems: [RuleProblem(file: path, path: [.key("version")], location: tree["version"]?.location,
                message: "version \(Int(version)) is newer than this async-advisor understands (\(RuleSet.supportedVersion)); upgrade async-advisor")])
        }
        do { return (try T(json: JSONNode(tree)), tree) } catch {
            throw RuleSetError(problems: [RuleProblem(file: path, path: error.path, location: error.location, message: error.message)])
        }
    }
}

extension EmbeddedRules {
    /// The first place in `paths` whose path is not before `path` (where it is, or would be).
    static func firstPlace(notBefore path: String) -> Int {
        var low = 0, high = paths.count
        while low < high {
            let middle = (low + high) / 2
            if paths[middle] < path { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
