import YAML

/// `Fn::ForEach::Name` entries under `Resources` (`Transform: AWS::LanguageExtensions`), expanded before the
/// model reads the resources (SPEC §7): `[Identifier, Collection, {OutputKey: OutputValue}]` becomes one
/// resource per item of the collection, `${Identifier}` and `&{Identifier}` (the item without its
/// non-alphanumeric characters) substituted in the logical ids and values, and `Ref Identifier` read as
/// the item. The collection is a literal list or a `Ref` to a parameter whose `Default` is a comma-delimited
/// list; one that stays unknown is passed over with a note.
enum ForEach {
    static let prefix = "Fn::ForEach::"

    static func expand(_ entries: [(key: Node, value: Node)], defaults: [String: Node], lists: Set<String>,
                       notes: inout [TemplateNote], depth: Int = 0) -> [(key: Node, value: Node)] {
        var expanded: [(key: Node, value: Node)] = []
        for (key, value) in entries {
            guard let name = key.string, name.hasPrefix(prefix) else { expanded.append((key, value)); continue }
            let location = SourceLocation(key.mark)
            func passOver(_ why: String) {
                notes.append(TemplateNote(resource: name, location: location, message: "passed over: \(why)"))
            }
            guard depth < 8 else { passOver("Fn::ForEach nested more than 8 deep"); continue }
            guard let parts = value.elements, parts.count == 3, let identifier = parts[0].string, !identifier.isEmpty,
                  let outputs = parts[2].entries else {
                passOver("Fn::ForEach takes [Identifier, Collection, {OutputKey: OutputValue}]")
                continue
            }
            guard let items = collection(parts[1], defaults: defaults, lists: lists) else {
                passOver("the collection of \(name) is not known (a literal list, or a Ref to a CommaDelimitedList parameter with a Default, can be expanded)")
                continue
            }
            for item in items {
                let substituted = outputs.map { (substitute($0.key, identifier, item), substitute($0.value, identifier, item)) }
                expanded += expand(substituted, defaults: defaults, lists: lists, notes: &notes, depth: depth + 1)
            }
        }
        return expanded
    }

    /// The items of a collection: a list of strings, or the `Default` of the list parameter
    /// (`CommaDelimitedList`, `List<…>`) a `Ref` names (`"a, b"` or a list).
    static func collection(_ node: Node, defaults: [String: Node], lists: Set<String>) -> [String]? {
        if let items = node.elements {
            let strings = items.compactMap(\.string)
            return strings.count == items.count ? strings : nil
        }
        guard let entries = node.entries, entries.count == 1, entries[0].key.string == "Ref",
              let parameter = entries[0].value.string, lists.contains(parameter), let value = defaults[parameter] else { return nil }
        if let text = value.string {
            return text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        }
        return collection(value, defaults: [:], lists: [])
    }

    /// The node with `${identifier}` and `&{identifier}` replaced in every text and `Ref identifier` by the item.
    static func substitute(_ node: Node, _ identifier: String, _ item: String) -> Node {
        var node = node
        switch node.kind {
        case .scalar(let text, let style):
            if text.contains("{") { node.kind = .scalar(replace(text, identifier, item), style: style) }
        case .sequence(let items):
            node.kind = .sequence(items.map { substitute($0, identifier, item) })
        case .mapping(let entries):
            if entries.count == 1, entries[0].key.string == "Ref", entries[0].value.string == identifier {
                return Node(.scalar(item, style: .plain), mark: node.mark)
            }
            node.kind = .mapping(entries.map { (substitute($0.key, identifier, item), substitute($0.value, identifier, item)) })
        }
        return node
    }

    static func replace(_ text: String, _ identifier: String, _ item: String) -> String {
        let alphanumeric = String(item.unicodeScalars.filter { ($0.value < 128) && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        return text.replacing("${\(identifier)}", with: item).replacing("&{\(identifier)}", with: alphanumeric)
    }
}

/// Something a template check passed over, and why: shown beside the findings, never counted.
public struct TemplateNote: Sendable, Equatable {
    public var resource: String
    public var location: SourceLocation
    public var message: String

    public init(resource: String, location: SourceLocation, message: String) {
        self.resource = resource; self.location = location; self.message = message
    }
}
