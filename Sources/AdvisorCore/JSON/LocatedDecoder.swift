/// Decodes `Decodable` models from a `LocatedJSON` tree.
///
/// A failure carries the JSON path and the line and column of the node at fault, so a rule file that
/// has `"maxDuration": 15` instead of `"15m"` is reported as `patterns.json:41:22: $.patterns[3]...`.
public struct LocatedDecodingError: Error, Sendable, CustomStringConvertible {
    public var path: [JSONPathComponent]
    public var location: SourceLocation
    public var message: String
    public var description: String { "\(location): \(path.rendered): \(message)" }
}

public enum LocatedDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from node: LocatedJSON) throws(LocatedDecodingError) -> T {
        do {
            return try T(from: NodeDecoder(node: node, path: []))
        } catch let error as LocatedDecodingError {
            throw error
        } catch {
            throw LocatedDecodingError(path: [], location: node.location, message: "\(error)")
        }
    }
}

private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { self.stringValue = "\(intValue)"; self.intValue = intValue }
}

private func component(_ key: CodingKey) -> JSONPathComponent {
    if let index = key.intValue { return .index(index) }
    return .key(key.stringValue)
}

private func typeName(_ node: LocatedJSON) -> String {
    switch node.kind {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string(let s): return "the string \"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
    case .array: return "an array"
    case .object: return "an object"
    }
}

private struct NodeDecoder: Decoder {
    let node: LocatedJSON
    let path: [JSONPathComponent]
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func fail(_ message: String) -> LocatedDecodingError {
        LocatedDecodingError(path: path, location: node.location, message: message)
    }

    func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
        guard case .object(let members) = node.kind else { throw fail("expected an object, found \(typeName(node))") }
        return KeyedDecodingContainer(ObjectContainer<K>(decoder: self, members: members))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let items) = node.kind else { throw fail("expected an array, found \(typeName(node))") }
        return ArrayContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { ValueContainer(decoder: self) }
}

private struct ObjectContainer<K: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let members: [(key: String, keyLocation: SourceLocation, value: LocatedJSON)]
    var codingPath: [CodingKey] { [] }
    var allKeys: [K] { members.compactMap { K(stringValue: $0.key) } }

    func contains(_ key: K) -> Bool { members.contains { $0.key == key.stringValue } }

    func child(_ key: K) throws -> NodeDecoder {
        guard let member = members.first(where: { $0.key == key.stringValue }) else {
            throw decoder.fail("missing required key \"\(key.stringValue)\"")
        }
        return NodeDecoder(node: member.value, path: decoder.path + [.key(key.stringValue)])
    }

    func decodeNil(forKey key: K) throws -> Bool {
        guard let member = members.first(where: { $0.key == key.stringValue }) else { return true }
        if case .null = member.value.kind { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: K) throws -> T { try T(from: child(key)) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: K) throws -> T? {
        if try decodeNil(forKey: key) { return nil }
        return try T(from: child(key))
    }

    func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: K) throws -> KeyedDecodingContainer<N> {
        try child(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: K) throws -> UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
    func superDecoder() throws -> Decoder { decoder }
    func superDecoder(forKey key: K) throws -> Decoder { try child(key) }
}

private struct ArrayContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [LocatedJSON]
    var codingPath: [CodingKey] { [] }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }
    var currentIndex = 0

    init(decoder: NodeDecoder, items: [LocatedJSON]) { self.decoder = decoder; self.items = items }

    mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else { throw decoder.fail("expected more items in the array") }
        defer { currentIndex += 1 }
        return NodeDecoder(node: items[currentIndex], path: decoder.path + [.index(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if case .null = items[currentIndex].kind { currentIndex += 1; return true }
        return false
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }
    mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { try next() }
}

private struct ValueContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [CodingKey] { [] }
    var node: LocatedJSON { decoder.node }

    func decodeNil() -> Bool { if case .null = node.kind { return true }; return false }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = node.kind else { throw decoder.fail("expected true or false, found \(typeName(node))") }
        return b
    }
    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = node.kind else { throw decoder.fail("expected a string, found \(typeName(node))") }
        return s
    }
    func decode(_ type: Double.Type) throws -> Double {
        guard case .number(let n) = node.kind else { throw decoder.fail("expected a number, found \(typeName(node))") }
        return n
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        let n = try decode(Double.self)
        guard n == n.rounded(), let value = I(exactly: n) else { throw decoder.fail("expected a whole number, found \(n)") }
        return value
    }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: decoder) }
}

/// Lets a model decode a raw JSON sub-tree (for example a branch's `when`, which is a string or a list).
extension JSONValue: Decodable {
    public init(from decoder: Decoder) throws {
        guard let nodeDecoder = decoder as? NodeDecoder else {
            let container = try decoder.singleValueContainer()
            self = .string(try container.decode(String.self))
            return
        }
        self = nodeDecoder.node.value
    }
}

/// A decoded value together with where it was in the file, for problems found after decoding.
public struct Located<Value: Decodable & Sendable>: Decodable, Sendable {
    public var value: Value
    public var location: SourceLocation
    public var path: [JSONPathComponent]

    public init(_ value: Value, location: SourceLocation = SourceLocation(line: 0, column: 0), path: [JSONPathComponent] = []) {
        self.value = value; self.location = location; self.path = path
    }

    public init(from decoder: Decoder) throws {
        value = try Value(from: decoder)
        if let nodeDecoder = decoder as? NodeDecoder {
            location = nodeDecoder.node.location
            path = nodeDecoder.path
        } else {
            location = SourceLocation(line: 0, column: 0)
            path = []
        }
    }
}
