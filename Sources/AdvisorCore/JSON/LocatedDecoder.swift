/// Reads rule-file models from a `LocatedJSON` tree, by hand.
///
/// A failure carries the JSON path and the line and column of the node at fault, so a rule file that
/// has `"maxDuration": 15` instead of `"15m"` is reported as `patterns.json:41:22: $.patterns[3]...`.
///
/// Models spell out their keys (`JSONReadable`) rather than use `Decodable`: Codable's containers are
/// generic types the runtime must look up by name on first use, each lookup a scan of every protocol
/// conformance in the process, and that alone cost more than reading all the rule files.
public struct LocatedDecodingError: Error, Sendable, CustomStringConvertible {
    public var path: [JSONPathComponent]
    public var location: SourceLocation
    public var message: String
    public var description: String { "\(location): \(path.rendered): \(message)" }
}

/// A model that reads itself from a JSON node.
protocol JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError)
}

/// A node of a located JSON tree with the path that led to it: what a `JSONReadable` reads its fields from.
struct JSONNode {
    let node: LocatedJSON
    let path: [JSONPathComponent]

    init(_ node: LocatedJSON, path: [JSONPathComponent] = []) { self.node = node; self.path = path }

    var location: SourceLocation { node.location }

    func fail(_ message: String) -> LocatedDecodingError {
        LocatedDecodingError(path: path, location: node.location, message: message)
    }

    var typeName: String {
        switch node.kind {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string(let s): return "the string \"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    // Values

    func string() throws(LocatedDecodingError) -> String {
        guard case .string(let s) = node.kind else { throw fail("expected a string, found \(typeName)") }
        return s
    }

    func number() throws(LocatedDecodingError) -> Double {
        guard case .number(let n) = node.kind else { throw fail("expected a number, found \(typeName)") }
        return n
    }

    func int() throws(LocatedDecodingError) -> Int {
        let n = try number()
        guard n == n.rounded(), let value = Int(exactly: n) else { throw fail("expected a whole number, found \(n)") }
        return value
    }

    func bool() throws(LocatedDecodingError) -> Bool {
        guard case .bool(let b) = node.kind else { throw fail("expected true or false, found \(typeName)") }
        return b
    }

    /// The value of a closed set of words (an enum's raw values).
    func word<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(LocatedDecodingError) -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else {
            throw fail("'\(text)' is not accepted (accepted: \(T.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return value
    }

    func located<T: JSONReadable>(_ type: T.Type = T.self) throws(LocatedDecodingError) -> Located<T> {
        Located(try T(json: self), location: node.location, path: path)
    }

    func items() throws(LocatedDecodingError) -> [JSONNode] {
        guard case .array(let items) = node.kind else { throw fail("expected an array, found \(typeName)") }
        var result: [JSONNode] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() { result.append(JSONNode(item, path: path + [.index(index)])) }
        return result
    }

    func members() throws(LocatedDecodingError) -> [(key: String, value: JSONNode)] {
        guard case .object(let members) = node.kind else { throw fail("expected an object, found \(typeName)") }
        return members.map { ($0.key, JSONNode($0.value, path: path + [.key($0.key)])) }
    }

    // Fields of an object

    /// The member `key`, or nil when it is absent or null (an optional field).
    func field(_ key: String) throws(LocatedDecodingError) -> JSONNode? {
        guard case .object(let members) = node.kind else { throw fail("expected an object, found \(typeName)") }
        guard let member = members.first(where: { $0.key == key }) else { return nil }
        if case .null = member.value.kind { return nil }
        return JSONNode(member.value, path: path + [.key(key)])
    }

    func required(_ key: String) throws(LocatedDecodingError) -> JSONNode {
        guard case .object(let members) = node.kind else { throw fail("expected an object, found \(typeName)") }
        guard let member = members.first(where: { $0.key == key }) else { throw fail("missing required key \"\(key)\"") }
        return JSONNode(member.value, path: path + [.key(key)])
    }

    func string(_ key: String) throws(LocatedDecodingError) -> String { try required(key).string() }
    func string(ifPresent key: String) throws(LocatedDecodingError) -> String? { try field(key)?.string() }
    func number(_ key: String) throws(LocatedDecodingError) -> Double { try required(key).number() }
    func number(ifPresent key: String) throws(LocatedDecodingError) -> Double? { try field(key)?.number() }
    func int(_ key: String) throws(LocatedDecodingError) -> Int { try required(key).int() }
    func bool(_ key: String) throws(LocatedDecodingError) -> Bool { try required(key).bool() }
    func bool(ifPresent key: String) throws(LocatedDecodingError) -> Bool? { try field(key)?.bool() }

    func strings(_ key: String) throws(LocatedDecodingError) -> [String] {
        var result: [String] = []
        for item in try required(key).items() { result.append(try item.string()) }
        return result
    }

    func strings(ifPresent key: String) throws(LocatedDecodingError) -> [String]? {
        guard try field(key) != nil else { return nil }
        return try strings(key)
    }

    func read<T: JSONReadable>(_ key: String, as type: T.Type = T.self) throws(LocatedDecodingError) -> T { try T(json: required(key)) }

    func read<T: JSONReadable>(ifPresent key: String, as type: T.Type = T.self) throws(LocatedDecodingError) -> T? {
        guard let node = try field(key) else { return nil }
        return try T(json: node)
    }

    func list<T: JSONReadable>(_ key: String, of type: T.Type = T.self) throws(LocatedDecodingError) -> [T] {
        var result: [T] = []
        for item in try required(key).items() { result.append(try T(json: item)) }
        return result
    }

    func list<T: JSONReadable>(ifPresent key: String, of type: T.Type = T.self) throws(LocatedDecodingError) -> [T]? {
        guard try field(key) != nil else { return nil }
        return try list(key, of: type)
    }

    func locatedList<T: JSONReadable>(_ key: String, of type: T.Type = T.self) throws(LocatedDecodingError) -> [Located<T>] {
        var result: [Located<T>] = []
        for item in try required(key).items() { result.append(try item.located(T.self)) }
        return result
    }

    func locatedList<T: JSONReadable>(ifPresent key: String, of type: T.Type = T.self) throws(LocatedDecodingError) -> [Located<T>]? {
        guard try field(key) != nil else { return nil }
        return try locatedList(key, of: type)
    }

    /// An object of strings keyed by name, in file order of the keys.
    func stringMap(_ key: String) throws(LocatedDecodingError) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in try required(key).members() { result[name] = try value.string() }
        return result
    }
}

/// A decoded value together with where it was in the file, for problems found after decoding.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation
    public var path: [JSONPathComponent]

    public init(_ value: Value, location: SourceLocation = SourceLocation(line: 0, column: 0), path: [JSONPathComponent] = []) {
        self.value = value; self.location = location; self.path = path
    }
}
