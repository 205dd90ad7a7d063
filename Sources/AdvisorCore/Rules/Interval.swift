/// A range of an input written in interval notation: `[0, window)`, `(5m, 15m]`, `(10000, inf)`.
/// The bounds are expressions, so a bound can be another input (`window`, `ackDeadline`).
public struct Interval: Sendable, Equatable {
    public var lower: Expression
    public var lowerInclusive: Bool
    public var upper: Expression
    public var upperInclusive: Bool
    public let source: String

    public static func parse(_ text: String) throws(Expression.Error) -> Interval {
        let t = text.trimmed
        guard let open = t.first, let close = t.last, "[(".contains(open), "])".contains(close), t.count >= 5 else {
            throw Expression.Error("'\(text)' is not an interval; write e.g. [0, window) or (5m, 15m] or (10000, inf)")
        }
        let inner = Array(t.dropFirst().dropLast())
        var depth = 0
        var comma: Int?
        for (index, c) in inner.enumerated() {
            if c == "(" || c == "[" { depth += 1 } else if c == ")" || c == "]" { depth -= 1 }
            else if c == "," && depth == 0 {
                guard comma == nil else { throw Expression.Error("interval '\(text)' has more than two bounds") }
                comma = index
            }
        }
        guard let split = comma else { throw Expression.Error("interval '\(text)' needs two bounds separated by a comma") }
        let lower = try Expression.parse(String(inner[..<split]))
        let upper = try Expression.parse(String(inner[(split + 1)...]))
        return Interval(lower: lower, lowerInclusive: open == "[", upper: upper, upperInclusive: close == "]", source: t)
    }

    public var names: Set<String> { lower.names.union(upper.names) }

    public func contains(_ value: Double, _ scope: Scope) throws(Expression.Error) -> Bool {
        let low = try lower.evaluateNumber(scope)
        let high = try upper.evaluateNumber(scope)
        let aboveLow = lowerInclusive ? value >= low : value > low
        let belowHigh = upperInclusive ? value <= high : value < high
        return aboveLow && belowHigh
    }

    public func bounds(_ scope: Scope) throws(Expression.Error) -> (Double, Double) {
        (try lower.evaluateNumber(scope), try upper.evaluateNumber(scope))
    }

    public func describe(_ input: String) -> String { "\(input) in \(source)" }
}
