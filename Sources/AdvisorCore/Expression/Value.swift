/// What an expression evaluates to. Numbers are in base units: seconds, per-second rates, MB, dollars.
public enum Value: Equatable, Sendable, CustomStringConvertible {
    case number(Double)
    case string(String)
    case bool(Bool)
    case list([Value])

    public var description: String {
        switch self {
        case .number(let n): return Value.formatNumber(n)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .list(let items): return items.map(\.description).joined(separator: ", ")
        }
    }

    var typeName: String {
        switch self {
        case .number: return "a number"
        case .string: return "a string"
        case .bool: return "a boolean"
        case .list: return "a list"
        }
    }

    /// `1234.5` → `1,234.5`; up to 4 decimals, trailing zeros dropped.
    public static func formatNumber(_ n: Double) -> String {
        guard n.isFinite else { return n > 0 ? "∞" : "-∞" }
        guard abs(n) < 1e15 else { return "\(n.rounded())" }
        let rounded = (n * 10_000).rounded() / 10_000
        let negative = rounded < 0
        let magnitude = abs(rounded)
        let whole = magnitude.rounded(.down)
        var fraction = magnitude - whole
        var decimals = ""
        if fraction > 0 {
            for _ in 0..<4 {
                fraction *= 10
                let digit = Int(fraction.rounded(.down) + 1e-9 >= 10 ? 9 : (fraction + 1e-9).rounded(.down))
                decimals.append(Character(String(digit)))
                fraction -= Double(digit)
                if fraction < 1e-9 { break }
            }
            while decimals.hasSuffix("0") { decimals.removeLast() }
        }
        let text = groupThousands(String(Int64(whole))) + (decimals.isEmpty ? "" : "." + decimals)
        return negative ? "-" + text : text
    }

    public static func groupThousands(_ digits: String) -> String {
        var out = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return String(out.reversed())
    }
}
