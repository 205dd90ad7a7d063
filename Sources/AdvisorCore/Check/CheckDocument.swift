/// A file `check` can read. Telling the kinds apart happens here and only here: a top-level object with
/// `workloads` is a design file. (SPEC §7's AWS SAM and CloudFormation templates — an object with
/// `Resources`, in YAML or JSON — become a second case with their own issue.)
public enum CheckDocument: Sendable {
    case design(DesignFile)

    public static let acceptedKinds = "a design file \(DesignFile.shape)"

    /// Reads a file's text; an invalid file throws every problem found, each with its line and column.
    public static func read(_ text: String, path: String, rules: RuleSet) throws(DesignFileError) -> CheckDocument {
        let json: LocatedJSON
        do {
            json = try JSONReader.read(text)
        } catch {
            throw DesignFileError(problems: [DesignProblem(file: path, location: error.location, message: "invalid JSON: \(error.message)")])
        }
        guard case .object(let members) = json.kind, members.contains(where: { $0.key == "workloads" }) else {
            let found: String
            switch json.kind {
            case .object(let members) where members.isEmpty: found = "an empty object"
            case .object(let members): found = "an object with " + members.prefix(5).map { "\"\($0.key)\"" }.joined(separator: ", ") + (members.count > 5 ? ", …" : "")
            case .array: found = "an array"
            default: found = "a single \(json.value.kindName)"
            }
            throw DesignFileError(problems: [DesignProblem(file: path, location: json.location,
                message: "not a file check can read: found \(found) at the top level; expected \(acceptedKinds)")])
        }
        return .design(try DesignFile.read(json, path: path, rules: rules))
    }

    /// The workloads to check, whatever the kind of file.
    public var workloads: [Workload] {
        switch self {
        case .design(let file): return file.workloads
        }
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
