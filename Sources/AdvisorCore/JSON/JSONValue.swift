/// A JSON value that keeps object keys in file order and, when read from text, where it starts.
///
/// Rule files and design files are read into this tree rather than straight into models so that every
/// problem can name the file, the JSON path and the line and column a person needs to fix it.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var number: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var members: [(key: String, value: JSONValue)]? { if case .object(let m) = self { return m } else { return nil } }
}

/// Where a value starts in its text: 1-based line and column.
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}

/// A JSON value with the location of every node, as read from a file.
public struct LocatedJSON: Sendable {
    public indirect enum Kind: Sendable {
        case null, bool(Bool), number(Double), string(String)
        case array([LocatedJSON])
        case object([(key: String, keyLocation: SourceLocation, value: LocatedJSON)])
    }
    public var kind: Kind
    public var location: SourceLocation

    public subscript(key: String) -> LocatedJSON? {
        if case .object(let members) = kind { return members.first { $0.key == key }?.value }
        return nil
    }

    /// The plain value, without locations.
    public var value: JSONValue {
        switch kind {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(\.value))
        case .object(let members): return .object(members.map { ($0.key, $0.value.value) })
        }
    }

    /// The node at a JSON path such as `$.nodes[4].branches[1]`, or the deepest node found on the way.
    public func deepest(along path: [JSONPathComponent]) -> LocatedJSON {
        var node = self
        for component in path {
            switch (component, node.kind) {
            case let (.key(key), .object(members)):
                guard let next = members.first(where: { $0.key == key })?.value else { return node }
                node = next
            case let (.index(index), .array(items)) where items.indices.contains(index):
                node = items[index]
            default:
                return node
            }
        }
        return node
    }
}

public enum JSONPathComponent: Equatable, Sendable {
    case key(String)
    case index(Int)
}

extension Array where Element == JSONPathComponent {
    /// `$.nodes[4].when` — the form every problem report uses.
    public var rendered: String {
        var text = "$"
        for component in self {
            switch component {
            case .key(let key):
                let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                text += plain ? ".\(key)" : "[\"\(key)\"]"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
