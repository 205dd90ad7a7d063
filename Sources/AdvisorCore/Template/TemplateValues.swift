import YAML

/// What a template's values mean, as far as a check can know without deploying it (SPEC §7): a
/// `{"Ref": P}` to a parameter takes P's `Default`; anything else that is not a literal (`Fn::If`,
/// `Fn::FindInMap`, a parameter without a default) stays unknown, and the checks that need it are skipped.
extension TemplateFile {
    /// The node a value stands for: a parameter's default for a `Ref` to it, the value itself otherwise;
    /// `nil` for a `Ref` to a parameter without a default.
    func resolve(_ node: Node?) -> Node? {
        guard let node else { return nil }
        if let entries = node.entries, entries.count == 1, entries[0].key.string == "Ref", let name = entries[0].value.string,
           parameterNames.contains(name) {
            return parameterDefaults[name]
        }
        return node
    }

    /// A number written plain or quoted (`30`, `"30"`), directly or as a parameter's default.
    func number(_ node: Node?) -> Double? {
        guard let text = resolve(node)?.string?.trimmingSpaces, !text.isEmpty else { return nil }
        guard text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Text written as a literal, directly or as a parameter's default.
    func text(_ node: Node?) -> String? { resolve(node)?.string }

    /// How a number was found, for messages: the parameter whose default it is, or nothing for a literal.
    func parameter(behind node: Node?) -> String? {
        guard let entries = node?.entries, entries.count == 1, entries[0].key.string == "Ref",
              let name = entries[0].value.string, parameterNames.contains(name) else { return nil }
        return name
    }

    /// Whether a key is set to something: present and not null (`OnFailure:` with nothing under it is unset).
    static func isSet(_ node: Node?) -> Bool {
        guard let node else { return false }
        if case .mapping(let entries) = node.kind { return !entries.isEmpty }
        return !node.isNull
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

/// The logical ids a value refers to (SPEC §7): anywhere inside it, `Ref X` (or SAM's `Ref X.Alias` and
/// `X.Version`), `Fn::GetAtt [X, …]` or `X.Attr`, or a `Fn::Sub` string with `${X}` or `${X.Attr}` (not
/// `${!X}`, and not a name the `Fn::Sub` defines itself). ARNs spelled out from names are not followed.
enum References {
    static func ids(in node: Node?) -> Set<String> {
        var ids: Set<String> = []
        if let node { collect(node, into: &ids, depth: 0) }
        return ids
    }

    private static func collect(_ node: Node, into ids: inout Set<String>, depth: Int) {
        guard depth < YAML.maximumDepth else { return }
        switch node.kind {
        case .scalar:
            return
        case .sequence(let items):
            for item in items { collect(item, into: &ids, depth: depth + 1) }
        case .mapping(let entries):
            for (key, value) in entries {
                switch key.string {
                case "Ref":
                    if let name = value.string { ids.insert(name); ids.insert(logicalID(name)) }
                case "Fn::GetAtt":
                    if let name = value[0]?.string ?? value.string { ids.insert(logicalID(name)) }
                case "Fn::Sub":
                    if let text = value.string {
                        substitutions(in: text, into: &ids, except: [])
                    } else if let text = value[0]?.string {
                        let defined = Set(value[1]?.entries?.compactMap { $0.key.string } ?? [])
                        substitutions(in: text, into: &ids, except: defined)
                        if let variables = value[1] { collect(variables, into: &ids, depth: depth + 1) }
                        continue
                    }
                default:
                    break
                }
                collect(value, into: &ids, depth: depth + 1)
            }
        }
    }

    /// `X` of `X`, `X.Arn` or `X.Alias`.
    private static func logicalID(_ name: String) -> String {
        guard let dot = name.firstIndex(of: ".") else { return name }
        return String(name[..<dot])
    }

    /// The `X` of every `${X}` and `${X.Attr}` in a `Fn::Sub` string; `${!X}` is a literal `${X}`.
    private static func substitutions(in text: String, into ids: inout Set<String>, except defined: Set<String>) {
        let bytes = Array(text.utf8)
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{") else { index += 1; continue }
            var end = index + 2
            while end < bytes.count && bytes[end] != UInt8(ascii: "}") { end += 1 }
            guard end < bytes.count else { return }
            let inside = String(decoding: bytes[(index + 2)..<end], as: UTF8.self).trimmingSpaces
            if !inside.hasPrefix("!") && !inside.isEmpty && !defined.contains(inside) {
                let id = logicalID(inside)
                if !defined.contains(id) { ids.insert(id) }
            }
            index = end + 1
        }
    }
}
