import YAML

/// A local file a template reads in place (SPEC §7): an OpenAPI definition or snippet named by
/// `Fn::Transform` `AWS::Include`, `DefinitionUri` or `BodyS3Location`. Read relative to the template, never
/// outside the folder given (or walked), never over the network.
struct IncludedFile: Sendable {
    /// The path as the template's folder and the location make it, for messages (`api/openapi.yaml`).
    var path: String
    /// The file's content, short forms as long forms; `nil` when it could not be read.
    var root: Node?
}

extension TemplateFile {
    /// The properties that name a whole definition by a local path, by resource type.
    static let definitionFiles: [String: String] = [
        "AWS::Serverless::Api": "DefinitionUri", "AWS::Serverless::HttpApi": "DefinitionUri",
        "AWS::Serverless::StateMachine": "DefinitionUri",
        "AWS::ApiGateway::RestApi": "BodyS3Location", "AWS::ApiGatewayV2::Api": "BodyS3Location",
    ]

    /// Reads every local file the resources include, within `root`; a file that cannot be read, or lies
    /// outside `root`, is passed over with a note on the resource that names it.
    mutating func include(from root: String) {
        var locations: [(resource: Resource, location: String)] = []
        for resource in resources {
            if let key = Self.definitionFiles[resource.type], let location = resource.properties?[key]?.string {
                locations.append((resource, location))
            }
            for location in Self.includeLocations(in: resource.properties, depth: 0) { locations.append((resource, location)) }
        }
        guard !locations.isEmpty else { return }
        let folder = CheckFiles.folderOf(path)
        let boundary = FileSystem.realPath(root)
        for (resource, location) in locations where included[location] == nil {
            func passOver(_ why: String) {
                notes.append(TemplateNote(resource: resource.id, location: resource.location, message: "\(location) was not read: \(why)"))
                included[location] = IncludedFile(path: location, root: nil)
            }
            if location.contains("://") || location.hasPrefix("s3:") {
                passOver("only local files are read, never the network")
                continue
            }
            var relative = Substring(location)
            while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
            let joined = location.hasPrefix("/") ? location : (folder == "." ? String(relative) : folder + "/" + relative)
            guard let real = FileSystem.realPath(joined), let boundary,
                  real.hasPrefix(boundary.hasSuffix("/") ? boundary : boundary + "/") else {
                passOver(FileSystem.exists(joined) ? "it is outside the folder \(root) that was given" : "no such file")
                continue
            }
            guard let bytes = FileSystem.bytes(real), let text = String(validating: bytes, as: UTF8.self) else {
                passOver("it cannot be read as UTF-8 text")
                continue
            }
            do {
                let node: Node?
                if joined.lowercased().hasSuffix(".json") || CheckDocument.looksLikeJSON(text) {
                    node = Node(try JSONReader.read(text))
                } else {
                    node = try YAML.parse(text)?.cloudFormationLongForm()
                }
                included[location] = IncludedFile(path: joined, root: node)
            } catch let error as YAMLError {
                passOver("\(joined):\(error.mark): invalid YAML: \(error.message)")
            } catch let error as JSONReader.SyntaxError {
                passOver("\(joined):\(error.location): invalid JSON: \(error.message)")
            } catch {
                passOver("\(error)")
            }
        }
    }

    /// The `Location` of every `Fn::Transform` `AWS::Include` inside a value.
    static func includeLocations(in node: Node?, depth: Int) -> [String] {
        guard let node, depth < 64 else { return [] }
        if let location = includeLocation(node) { return [location] }
        if let entries = node.entries { return entries.flatMap { includeLocations(in: $0.value, depth: depth + 1) } }
        if let items = node.elements { return items.flatMap { includeLocations(in: $0, depth: depth + 1) } }
        return []
    }

    /// `{Fn::Transform: {Name: AWS::Include, Parameters: {Location: L}}}` → `L`.
    static func includeLocation(_ node: Node) -> String? {
        guard let transform = node["Fn::Transform"], transform["Name"]?.string == "AWS::Include" else { return nil }
        return transform["Parameters"]?["Location"]?.string
    }

    /// The content a value stands for, with the file it comes from when it is an included one.
    func including(_ node: Node?) -> (node: Node, file: String?)? {
        guard let node else { return nil }
        if let location = Self.includeLocation(node) {
            guard let file = included[location], let root = file.root else { return nil }
            return (root, file.path)
        }
        return (node, nil)
    }

    /// A resource's API or state-machine definition: inline, included, or in the local file it names.
    func definition(of resource: Resource, inline key: String) -> (node: Node, file: String?)? {
        if let body = including(resource.properties?[key]) { return body }
        if let fileKey = Self.definitionFiles[resource.type], let location = resource.properties?[fileKey]?.string,
           let file = included[location], let root = file.root {
            return (root, file.path)
        }
        return nil
    }
}
