/// Reading values out of nodes without switching on `kind` everywhere.
///
/// Scalars resolve by the YAML 1.2 core schema, and only when written plain (or tagged with a core tag such
/// as `!!int`): `30` is a number, `"30"` is text. Every accessor returns `nil` when the node is not of the
/// asked-for kind, so callers can report a located "expected a number" instead of crashing.
extension Node {
    /// The scalar's text, whatever it resolves to (`30`, `true` and `"x"` all have one); `nil` for
    /// collections.
    public var string: String? {
        guard case .scalar(let text, _) = kind else { return nil }
        return text
    }

    /// The items of a sequence; `nil` for other kinds.
    public var elements: [Node]? {
        guard case .sequence(let items) = kind else { return nil }
        return items
    }

    /// The entries of a mapping, in document order; `nil` for other kinds.
    public var entries: [(key: Node, value: Node)]? {
        guard case .mapping(let entries) = kind else { return nil }
        return entries
    }

    /// The value for the scalar key whose text is `key`, when this node is a mapping.
    public subscript(key: String) -> Node? {
        entries?.first { $0.key.string == key }?.value
    }

    /// The item at `index`, when this node is a sequence and the index is in range.
    public subscript(index: Int) -> Node? {
        guard let items = elements, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// Whether the node is null: an empty value, `~`, `null`, `Null` or `NULL`.
    public var isNull: Bool {
        guard let text = resolvableText(tag: "!!null") else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// `true`, `True`, `TRUE`, `false`, `False` or `FALSE`; `nil` for anything else (YAML 1.1's `yes` and
    /// `on` are text in YAML 1.2).
    public var bool: Bool? {
        switch resolvableText(tag: "!!bool") {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// A decimal (`-12`, `+7`), octal (`0o17`) or hexadecimal (`0x1F`) integer that fits in `Int`.
    public var int: Int? {
        guard let text = resolvableText(tag: "!!int") else { return nil }
        if text.hasPrefix("0o") {
            return Int(text.dropFirst(2), radix: 8)
        }
        if text.hasPrefix("0x") {
            return Int(text.dropFirst(2), radix: 16)
        }
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : text[...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// A number: any integer `int` reads, a float such as `1.5`, `-2e3` or `.5`, or `.inf`, `-.inf`, `.nan`.
    public var double: Double? {
        if let int {
            return Double(int)
        }
        guard let text = resolvableText(tag: "!!float") else { return nil }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: return Self.isDecimalFloat(text) ? Double(text) : nil
        }
    }

    /// The text of a plain scalar that is untagged or tagged `coreTag`, which is what the core schema
    /// resolves.
    private func resolvableText(tag coreTag: String) -> String? {
        guard case .scalar(let text, style: .plain) = kind, tag == nil || tag == coreTag else { return nil }
        return text
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    private static func isDecimalFloat(_ text: String) -> Bool {
        var characters = text.utf8[...]
        func skipDigits() -> Int {
            let count = characters.prefix { (0x30...0x39).contains($0) }.count
            characters = characters.dropFirst(count)
            return count
        }
        if characters.first == UInt8(ascii: "-") || characters.first == UInt8(ascii: "+") {
            characters = characters.dropFirst()
        }
        var mantissaDigits = skipDigits()
        if characters.first == UInt8(ascii: ".") {
            characters = characters.dropFirst()
            mantissaDigits += skipDigits()
        }
        guard mantissaDigits > 0 else { return false }
        if characters.first == UInt8(ascii: "e") || characters.first == UInt8(ascii: "E") {
            characters = characters.dropFirst()
            if characters.first == UInt8(ascii: "-") || characters.first == UInt8(ascii: "+") {
                characters = characters.dropFirst()
            }
            guard skipDigits() > 0 else { return false }
        }
        return characters.isEmpty
    }
}
