/// Text with `{expression}` holes: `"needs ≈ {int(concurrency)} concurrent executions"`.
public struct MessageTemplate: Sendable, Equatable {
    enum Part: Sendable, Equatable { case text(String), hole(Expression) }
    let parts: [Part]
    public let source: String

    public init(_ source: String) throws(Expression.Error) {
        self.source = source
        var parts: [Part] = []
        var text = ""
        var index = source.startIndex
        while index < source.endIndex {
            let c = source[index]
            if c == "{" {
                guard let close = source[index...].firstIndex(of: "}") else {
                    throw Expression.Error("unclosed '{' in message \"\(source)\"")
                }
                if !text.isEmpty { parts.append(.text(text)); text = "" }
                parts.append(.hole(try Expression.parse(String(source[source.index(after: index)..<close]))))
                index = source.index(after: close)
                continue
            }
            text.append(c)
            index = source.index(after: index)
        }
        if !text.isEmpty { parts.append(.text(text)) }
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
