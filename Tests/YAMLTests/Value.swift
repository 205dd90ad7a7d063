import YAML

/// A YAML tree without marks, styles or tags, so that tests can state expected content as literals:
/// `["Key": ["a", "b"]]`.
indirect enum Value: Equatable, Sendable, CustomStringConvertible {
    case scalar(String)
    case sequence([Value])
    case mapping([Pair])

    struct Pair: Equatable, Sendable {
        var key: Value
        var value: Value
    }

    init(_ node: Node) {
        switch node.kind {
        case .scalar(let text, _):
            self = .scalar(text)
        case .sequence(let items):
            self = .sequence(items.map(Value.init))
        case .mapping(let entries):
            self = .mapping(entries.map { Pair(key: Value($0.key), value: Value($0.value)) })
        }
    }

    var description: String {
        switch self {
        case .scalar(let text):
            return "\"" + text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined() + "\""
        case .sequence(let items):
            return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    init(stringLiteral text: String) {
        self = .scalar(text)
    }

    init(arrayLiteral items: Value...) {
        self = .sequence(items)
    }

    init(dictionaryLiteral pairs: (Value, Value)...) {
        self = .mapping(pairs.map { Pair(key: $0.0, value: $0.1) })
    }
}

/// Reads `text` and returns its content as a `Value`, or `nil` for an empty document.
func read(_ text: String) throws -> Value? {
    try YAML.parse(text).map(Value.init)
}

/// The error reading `text` throws, or `nil` when it reads.
func readingError(_ text: String) -> YAMLError? {
    do {
        _ = try YAML.parse(text)
        return nil
    } catch {
        return error
    }
}
