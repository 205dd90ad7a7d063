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
        // At most 4 decimals, read off the whole number of ten-thousandths: peeling digits off the binary
        // fraction drifts for large numbers (1234.29 came out as 1234.2899).
        let units = (abs(n) * 10_000).rounded()
        guard units < 9e18 else { return "\(n.rounded())" }
        let scaled = Int64(units)
        var decimals = scaled % 10_000 == 0 ? "" : String(scaled % 10_000)
        while !decimals.isEmpty && decimals.count < 4 { decimals = "0" + decimals }
        while decimals.hasSuffix("0") { decimals.removeLast() }
        let text = groupThousands(String(scaled / 10_000)) + (decimals.isEmpty ? "" : "." + decimals)
        return n < 0 && scaled > 0 ? "-" + text : text
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
