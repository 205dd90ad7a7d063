/// The files one `check` run reads (SPEC §7): the files given, and what a folder yields when it is walked —
/// `template.{yaml,yml,json}`, `*.template.{json,yaml,yml}` (CDK's `cdk.out`), and any other YAML or JSON
/// file whose top level declares a template. Folders are walked sorted, never through a link, skipping
/// `.git`, `node_modules`, `.aws-sam` and hidden folders.
public enum CheckFiles {
    /// One file to read, and the folder a file it includes (`AWS::Include`, `DefinitionUri`) may not leave.
    public struct Input: Sendable, Equatable {
        /// The path as given, or as found under the folder given.
        public var path: String
        /// The folder given, for a file found by walking it; the file's own folder for a file given.
        public var root: String
        /// Found by walking: read only when its name or its top level says it is a template.
        public var walked: Bool
        /// Named like a template (`template.yaml`, `x.template.json`): reported when it cannot be read.
        public var namedTemplate: Bool

        public init(path: String, root: String, walked: Bool, namedTemplate: Bool) {
            self.path = path; self.root = root; self.walked = walked; self.namedTemplate = namedTemplate
        }
    }

    public static let skippedFolders: Set<String> = [".git", "node_modules", ".aws-sam"]
    static let extensions = [".yaml", ".yml", ".json"]

    /// The files the paths given stand for, in order: a file is itself, a folder every template below it.
    public static func expand(_ paths: [String]) -> [Input] {
        var inputs: [Input] = []
        for path in paths {
            if FileSystem.isDirectory(path) {
                let folder = trimmedFolder(path)
                for relative in walk(folder) {
                    let name = relative.split(separator: "/").last.map(String.init) ?? relative
                    guard let named = namedTemplate(name) else { continue }
                    let joined = folder == "." ? relative : folder + "/" + relative
                    inputs.append(Input(path: joined, root: folder, walked: true, namedTemplate: named))
                }
            } else {
                inputs.append(Input(path: path, root: folderOf(path), walked: false, namedTemplate: true))
            }
        }
        return inputs
    }

    /// The paths of a `--files-from` list: one a line, blank lines and surrounding spaces ignored.
    public static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// `true` for a template by its name, `false` for a YAML or JSON file that may be one by its top level,
    /// `nil` for a file a walk passes over.
    static func namedTemplate(_ name: String) -> Bool? {
        let lower = name.lowercased()
        guard extensions.contains(where: lower.hasSuffix) else { return nil }
        if ["template.yaml", "template.yml", "template.json"].contains(lower) { return true }
        if [".template.json", ".template.yaml", ".template.yml"].contains(where: lower.hasSuffix) { return true }
        return false
    }

    /// Whether a walked YAML or JSON file not named like a template declares one at its top level:
    /// `AWSTemplateFormatVersion`, or a `Transform` naming `AWS::Serverless-2016-10-31`. A look at the text,
    /// not a parse, so a repository's other YAML (workflows, configs) costs a scan and nothing more; the
    /// parse then confirms it.
    public static func declaresTemplate(_ text: String) -> Bool {
        var sawTransform = false
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: true) {
            // YAML: a key at column 0; JSON: a key written first on its line, quoted, after any indent or `{`.
            var rest = line[...]
            while let first = rest.first, first == 0x20 || first == 0x09 || first == UInt8(ascii: "{") { rest = rest.dropFirst() }
            if rest.first == UInt8(ascii: "\"") { rest = rest.dropFirst() }
            if rest.starts(with: "AWSTemplateFormatVersion".utf8) { return true }
            if rest.starts(with: "Transform".utf8) { sawTransform = true }
        }
        return sawTransform && text.contains("AWS::Serverless-2016-10-31")
    }

    /// Every file below a folder, as paths relative to it, sorted; links and skipped folders are not entered.
    static func walk(_ folder: String) -> [String] {
        var found: [String] = []
        func visit(_ relative: String) {
            let full = relative.isEmpty ? folder : folder + "/" + relative
            for name in FileSystem.contents(ofDirectory: full) {
                let child = relative.isEmpty ? name : relative + "/" + name
                switch FileSystem.kind(folder + "/" + child) {
                case .folder:
                    if !name.hasPrefix(".") && !skippedFolders.contains(name) { visit(child) }
                case .file:
                    found.append(child)
                case .link, .other:
                    continue
                }
            }
        }
        visit("")
        return found
    }

    /// `infra/` → `infra`, `./` → `.`.
    static func trimmedFolder(_ path: String) -> String {
        var folder = Substring(path)
        while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
        return folder.isEmpty ? "." : String(folder)
    }

    /// The folder a path is in: `a/b/t.yaml` → `a/b`, `t.yaml` → `.`.
    public static func folderOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
