import YAML

/// An AWS SAM or CloudFormation template as `check` reads it (SPEC §7): its resources in file order, each
/// with the line of its logical id, plus what values may point at — parameter defaults and SAM's
/// `Globals.Function`. Short forms (`!Ref`, `!GetAtt A.B`, `!Sub`…) are already their long forms here, so
/// YAML and JSON templates look the same to the check.
public struct TemplateFile: Sendable {
    public var path: String
    public var resources: [Resource]
    /// Each parameter's `Default`, the value a `{"Ref": P}` stands for.
    var parameterDefaults: [String: Node]
    /// Every parameter name, with or without a default: a `Ref` to one without a default is unknown.
    var parameterNames: Set<String>
    /// SAM's `Globals.Function`, which fills in properties an `AWS::Serverless::Function` leaves out.
    var functionGlobals: Node?
    /// Where `Globals.Function.Timeout` is written, for the one finding about it.
    var globalTimeoutLocation: SourceLocation?
    /// What the check passed over, and why: resources it cannot read, collections it cannot expand, files
    /// it did not include.
    public var notes: [TemplateNote] = []
    /// The local files the template includes (`AWS::Include`, `DefinitionUri`, `BodyS3Location`), by the
    /// location written in the template; filled by `include(from:)`.
    var included: [String: IncludedFile] = [:]

    /// One entry of `Resources`.
    public struct Resource: Sendable {
        public var id: String
        public var type: String
        /// Where the logical id is written: every finding about the resource points here.
        public var location: SourceLocation
        var properties: Node?
        var metadata: Node?
    }

    /// The shape named in errors about a file that is neither kind.
    public static let shape = "an AWS SAM or CloudFormation template (YAML or JSON with a top-level \"Resources\" mapping)"

    /// Reads a template from its root node; a template whose `Resources` is missing, empty or not a
    /// mapping of resources throws every such problem, located. Short forms become long forms in the parts
    /// the check reads (`tagged`: only YAML has tags to convert).
    static func read(_ root: Node, path: String, tagged: Bool) throws(DesignFileError) -> TemplateFile {
        func long(_ node: Node?) -> Node? { tagged ? node?.cloudFormationLongForm() : node }
        var problems: [DesignProblem] = []
        func problem(_ mark: Mark, _ message: String) {
            problems.append(DesignProblem(file: path, location: SourceLocation(mark), message: message))
        }
        var resources: [Resource] = []
        var notes: [TemplateNote] = []
        var defaults: [String: Node] = [:]
        var names: Set<String> = []
        var lists: Set<String> = []
        for (key, value) in root["Parameters"]?.entries ?? [] {
            guard let name = key.string else { continue }
            names.insert(name)
            if let value = value["Default"] { defaults[name] = long(value) }
            if let type = value["Type"]?.string, type == "CommaDelimitedList" || type.hasPrefix("List<") { lists.insert(name) }
        }
        let resourcesKey = root.entries?.first { $0.key.string == "Resources" }
        if let resourcesKey, let written = resourcesKey.value.entries {
            if written.isEmpty { problem(resourcesKey.value.mark, "\"Resources\" is empty: a template declares at least one resource") }
            // Only `Fn::ForEach` entries are turned into long forms whole (their collections and templates hold
            // `!Ref`s); other resources only in the properties the model reads.
            let hasForEach = written.contains { $0.key.string?.hasPrefix(ForEach.prefix) == true }
            let entries = hasForEach
                ? ForEach.expand(written.map { ($0.key, $0.key.string?.hasPrefix(ForEach.prefix) == true ? long($0.value) ?? $0.value : $0.value) },
                                 defaults: defaults, lists: lists, notes: &notes)
                : written
            for (key, value) in entries {
                guard let id = key.string, !id.isEmpty else {
                    problem(key.mark, "a resource's logical id must be a name, found a \(key.kindName)")
                    continue
                }
                let location = SourceLocation(key.mark)
                guard value.entries != nil else {
                    notes.append(TemplateNote(resource: id, location: location, message: "passed over: a resource is a mapping with \"Type\" and \"Properties\", found a \(value.kindName)"))
                    continue
                }
                guard let typeNode = value["Type"] else {
                    notes.append(TemplateNote(resource: id, location: location, message: "passed over: it has no \"Type\""))
                    continue
                }
                guard let type = typeNode.string, typeNode.tag == nil, !type.isEmpty else {
                    let found = typeNode.tag.map { "a value tagged \($0) (such as a Rain module)" } ?? "a \(typeNode.kindName)"
                    notes.append(TemplateNote(resource: id, location: location, message: "passed over: its \"Type\" is \(found), not a resource type name"))
                    continue
                }
                resources.append(Resource(id: id, type: type, location: location,
                                          properties: long(value["Properties"]), metadata: value["Metadata"]))
            }
        } else if let resourcesKey {
            let found = resourcesKey.value.isNull ? "nothing under it" : "a \(resourcesKey.value.kindName)"
            problem(resourcesKey.key.mark, "\"Resources\" must be a mapping of logical ids to resources, found \(found)")
        }
        guard problems.isEmpty else { throw DesignFileError(problems: problems) }

        let function = root["Globals"]?["Function"]
        let timeoutKey = function?.entries?.first { $0.key.string == "Timeout" }?.key
        var template = TemplateFile(path: path, resources: resources, parameterDefaults: defaults, parameterNames: names,
                                    functionGlobals: long(function), globalTimeoutLocation: timeoutKey.map { SourceLocation($0.mark) })
        template.notes = notes
        return template
    }
}
extension SourceLocation {
    init(_ mark: Mark) { self.init(line: mark.line, column: mark.column) }
}

extension Node {
    /// `scalar`, `sequence` or `mapping`, for messages.
    var kindName: String {
        switch kind {
        case .scalar: return isNull ? "null" : "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        }
    }

    /// A JSON value read with locations, as the node the YAML reader would give for the same document, so
    /// JSON templates carry the lines of their keys exactly as YAML ones do.
    init(_ json: LocatedJSON) {
        let mark = Mark(line: json.location.line, column: json.location.column)
        switch json.kind {
        case .null: self.init(.scalar("null", style: .plain), mark: mark)
        case .bool(let value): self.init(.scalar(value ? "true" : "false", style: .plain), mark: mark)
        case .number(let value):
            let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
            self.init(.scalar(text, style: .plain), mark: mark)
        case .string(let value): self.init(.scalar(value, style: .doubleQuoted), mark: mark)
        case .array(let items): self.init(.sequence(items.map(Node.init)), mark: mark)
        case .object(let members):
            self.init(.mapping(members.map { member in
                (key: Node(.scalar(member.key, style: .doubleQuoted),
                           mark: Mark(line: member.keyLocation.line, column: member.keyLocation.column)),
                 value: Node(member.value))
            }), mark: mark)
        }
    }
}
