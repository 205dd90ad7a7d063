/// Text with `{expression}` holes: `"needs ≈ {int(concurrency)} concurrent executions"`.
public struct MessageTemplate: Sendable, Equatable {
    enum Part: Sendable, Equatable { case text(String), hole(Expression) }
    let parts: [Part]
    public let source: String

    init(parts: [Part], source: String) { self.parts = parts; self.source = source }

    public init(_ source: String) throws(Expression.Error) {
        self.source = source
        // Byte-wise over UTF-8 ('{' and '}' are ASCII): rule sets hold thousands of messages, parsed at load.
        var parts: [Part] = []
        let utf8 = source.utf8
        var textStart = utf8.startIndex
        var index = utf8.startIndex
        while let open = utf8[index...].firstIndex(of: UInt8(ascii: "{")) {
            guard let close = utf8[open...].firstIndex(of: UInt8(ascii: "}")) else {
                throw Expression.Error("unclosed '{' in message \"\(source)\"")
            }
            if textStart < open { parts.append(.text(String(source[textStart..<open]))) }
            parts.append(.hole(try Expression.parse(String(source[utf8.index(after: open)..<close]))))
            index = utf8.index(after: close)
            textStart = index
        }
        if textStart < utf8.endIndex { parts.append(.text(String(source[textStart...]))) }
        self.parts = parts
    }

    public var names: Set<String> {
        parts.reduce(into: []) { if case .hole(let e) = $1 { $0.formUnion(e.names) } }
    }

    public var functions: Set<String> {
        parts.reduce(into: []) { if case .hole(let e) = $1 { $0.formUnion(e.functions) } }
    }

    public func render(_ scope: Scope) throws(Expression.Error) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .hole(let e): out += try e.evaluate(scope).description
            }
        }
        return out
    }
}
