import YAML

/// A file `check` can read. Telling the kinds apart happens here and only here: a top-level mapping with
/// `Resources` is an AWS SAM or CloudFormation template (YAML or JSON, SPEC §7), one with `workloads` a
/// design file (JSON). JSON goes through the located JSON reader and YAML through the YAML reader; both
/// give the check the same nodes, with the line and column of every key.
public enum CheckDocument: Sendable {
    case design(DesignFile)
    case template(TemplateFile)

    public static let acceptedKinds = "\(TemplateFile.shape), or a design file \(DesignFile.shape)"

    /// Reads a file's text; an invalid file throws every problem found, each with its line and column.
    /// A `.json` file always goes to the JSON reader, whatever its first character (SPEC §7); other files
    /// by their first character.
    public static func read(_ text: String, path: String, rules: RuleSet) throws(DesignFileError) -> CheckDocument {
        func problem(_ location: SourceLocation, _ message: String) -> DesignFileError {
            DesignFileError(problems: [DesignProblem(file: path, location: location, message: message)])
        }
        guard path.lowercased().hasSuffix(".json") || looksLikeJSON(text) else {
            let root: Node?
            do { root = try YAML.parse(text) } catch {
                throw problem(SourceLocation(error.mark), "invalid YAML: \(error.message)")
            }
            guard let root else {
                throw problem(SourceLocation(line: 1, column: 1), "the file is empty (nothing but blanks or comments); expected \(acceptedKinds)")
            }
            let keys = root.entries?.compactMap { $0.key.string } ?? []
            if keys.contains("Resources") { return .template(try TemplateFile.read(root, path: path, tagged: true)) }
            if keys.contains("workloads") {
                throw problem(SourceLocation(root.mark), "a design file is JSON, not YAML: \(DesignFile.shape)")
            }
            let found: String
            switch root.kind {
            case .mapping(let entries) where entries.isEmpty: found = "an empty mapping"
            case .mapping: found = "a mapping with " + keys.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (keys.count > 5 ? ", …" : "")
            case .sequence: found = "a sequence"
            case .scalar: found = root.isNull ? "null" : root.double != nil ? "a single number" : root.bool != nil ? "a single boolean" : "a single string"
            }
            throw problem(SourceLocation(root.mark), "not a file check can read: found \(found) at the top level; expected \(acceptedKinds)")
        }
        if text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw problem(SourceLocation(line: 1, column: 1), "the file is empty; expected \(acceptedKinds)")
        }
        let json: LocatedJSON
        do {
            json = try JSONReader.read(text)
        } catch {
            // A duplicate key is valid JSON that a template or design file may not have: say only that.
            throw problem(error.location, error.message.hasPrefix("duplicate key") ? error.message : "invalid JSON: \(error.message)")
        }
        if case .object(let members) = json.kind, members.contains(where: { $0.key == "Resources" }), !members.contains(where: { $0.key == "workloads" }) {
            return .template(try TemplateFile.read(Node(json), path: path, tagged: false))
        }
        guard case .object(let members) = json.kind, members.contains(where: { $0.key == "workloads" }) else {
            let found: String
            switch json.kind {
            case .object(let members) where members.isEmpty: found = "an empty object"
            case .object(let members): found = "an object with " + members.prefix(5).map { "\"\($0.key)\"" }.joined(separator: ", ") + (members.count > 5 ? ", …" : "")
            case .array: found = "an array"
            default: found = "a single \(json.value.kindName)"
            }
            throw problem(json.location, "not a file check can read: found \(found) at the top level; expected \(acceptedKinds)")
        }
        return .design(try DesignFile.read(json, path: path, rules: rules))
    }

    /// What reading and checking one file of a run gave: its workloads, its template's report, nothing (a
    /// walked file that is no template), or the problems that kept it from being checked.
    public enum Outcome: Sendable {
        case design(DesignFile)
        case template(TemplateCheck.Report)
        case passedOver
        /// `design`: the file is a design file (JSON with `workloads`), so its problems are a design file's.
        case problems([DesignProblem], design: Bool)
    }

    /// Reads one file of a run and, when it is a template, checks it: every file on its own, so one that
    /// cannot be read costs only its own findings.
    /// `contents`: the file's bytes when they were read already.
    public static func check(_ input: CheckFiles.Input, rules: RuleSet, findings: TemplateRules, keeping named: Set<String>? = nil,
                             contents: [UInt8]? = nil) -> Outcome {
        func problem(_ message: String) -> Outcome {
            .problems([DesignProblem(file: input.path, location: SourceLocation(line: 1, column: 1), message: message)], design: false)
        }
        guard let bytes = contents ?? FileSystem.bytes(input.path) else {
            return problem(FileSystem.exists(input.path) ? "cannot be read (no permission, or not a regular file)" : "no such file or folder")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return input.walked && !input.namedTemplate ? .passedOver : problem("is not UTF-8 text; expected \(acceptedKinds)")
        }
        if input.walked && !input.namedTemplate && !CheckFiles.declaresTemplate(text) { return .passedOver }
        do {
            switch try read(text, path: input.path, rules: rules) {
            case .design(let file): return .design(file)
            case .template(var template):
                template.include(from: input.root)
                return .template(TemplateCheck.check(template, rules: findings, keeping: named))
            }
        } catch {
            // A JSON template is not called a design file: only a file that has "workloads" is one.
            let design = (input.path.lowercased().hasSuffix(".json") || looksLikeJSON(text)) && text.contains("\"workloads\"")
            return .problems(error.problems, design: design)
        }
    }

    /// Reads and checks many files at once, on every core, in order.
    public static func check(_ inputs: [CheckFiles.Input], rules: RuleSet, findings: TemplateRules, keeping named: Set<String>? = nil) -> [Outcome] {
        Parallel.map(inputs, minimumChunk: 8) { check($0, rules: rules, findings: findings, keeping: named) }
    }

    /// Reads many files' texts at once, on every core (a repository's templates are independent), in order.
    public static func read(_ files: [(path: String, text: String)], rules: RuleSet) -> [Result<CheckDocument, DesignFileError>] {
        let indices = Array(files.indices)
        return Parallel.map(indices, minimumChunk: 16) { index in
            Result { () throws(DesignFileError) in try read(files[index].text, path: files[index].path, rules: rules) }
        }
    }

    /// JSON when the first character that is not whitespace (after a byte-order mark) opens an object or
    /// an array, or the text is empty; YAML otherwise. (YAML flow mappings also start with `{`, and a JSON
    /// reader gives better messages for the JSON files that are meant.)
    public static func looksLikeJSON(_ text: String) -> Bool {
        for byte in text.utf8 {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF: continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return false
    }

    /// The workloads to check, whatever the kind of file.
    public var workloads: [Workload] {
        switch self {
        case .design(let file): return file.workloads
        case .template: return []
        }
    }

    /// The template to check, when the file is one.
    public var template: TemplateFile? {
        if case .template(let file) = self { return file }
        return nil
    }
}

extension JSONValue {
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
