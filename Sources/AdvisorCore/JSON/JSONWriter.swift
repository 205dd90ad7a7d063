/// Writes `JSONValue` as pretty JSON: two-space indent, keys in the order given, integers without ".0".
public enum JSONWriter {
    public static func write(_ value: JSONValue, indent: Int = 2) -> String {
        var out = ""
        var pads = [""]
        write(value, level: 0, indent: indent, pads: &pads, into: &out)
        return out
    }

    /// `pads[n]` is the indent of level n, made once per level rather than once per container.
    private static func write(_ value: JSONValue, level: Int, indent: Int, pads: inout [String], into out: inout String) {
        while pads.count <= level + 1 { pads.append(String(repeating: " ", count: pads.count * indent)) }
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += formatNumber(n)
        case .string(let s): appendQuoted(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += pads[level + 1]
                write(item, level: level + 1, indent: indent, pads: &pads, into: &out)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += pads[level]
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (index, member) in members.enumerated() {
                out += pads[level + 1]
                appendQuoted(member.key, to: &out)
                out += ": "
                write(member.value, level: level + 1, indent: indent, pads: &pads, into: &out)
                out += index == members.count - 1 ? "\n" : ",\n"
            }
            out += pads[level]
            out += "}"
        }
    }

    public static func formatNumber(_ n: Double) -> String {
        guard n.isFinite else { return "null" }
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return "\(n)"
    }

    public static func quote(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }

    private static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        // Most strings need no escape: copy them whole (a SARIF log of 10,000 workloads is mostly messages).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
