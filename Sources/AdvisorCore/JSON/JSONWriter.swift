/// Writes `JSONValue` as pretty JSON: two-space indent, keys in the order given, integers without ".0".
public enum JSONWriter {
    public static func write(_ value: JSONValue, indent: Int = 2) -> String {
        // Bytes, not a String: appending to a byte buffer is a copy, appending to a String is a call.
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        var pads: [[UInt8]] = [[]]
        write(value, level: 0, indent: indent, pads: &pads, into: &out, flush: nil)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the JSON in pieces of about 64 KB, each ending between two values: a SARIF log of 10,000
    /// workloads is some 11 MB, which need never be held whole, twice, as bytes and as a String.
    public static func stream(_ value: JSONValue, indent: Int = 2, to write: (String) -> Void) {
        var out: [UInt8] = []
        out.reserveCapacity(Self.piece + 4096)
        var pads: [[UInt8]] = [[]]
        withoutActuallyEscaping(write) { write in
            let flush: (inout [UInt8]) -> Void = { bytes in
                write(String(decoding: bytes, as: UTF8.self))
                bytes.removeAll(keepingCapacity: true)
            }
            Self.write(value, level: 0, indent: indent, pads: &pads, into: &out, flush: flush)
            out.append(UInt8(ascii: "\n"))
            flush(&out)
        }
    }

    private static let piece = 65_536

    /// Appends `value` as it is written at nesting `level` of a larger document (its inner lines indented
    /// for that level, the first line not): the bytes `write` gives the same value in place, so a document
    /// can be written piece by piece, an array's items as they come.
    public static func append(_ value: JSONValue, level: Int, indent: Int = 2, to out: inout [UInt8]) {
        var pads: [[UInt8]] = (0...level).map { Array(repeating: UInt8(ascii: " "), count: $0 * indent) }
        write(value, level: level, indent: indent, pads: &pads, into: &out, flush: nil)
    }

    /// `pads[n]` is the indent of level n, made once per level rather than once per container. `flush`, when
    /// given, takes the bytes so far at the end of a line once they pass `piece` (never inside a character).
    private static func write(_ value: JSONValue, level: Int, indent: Int, pads: inout [[UInt8]], into out: inout [UInt8],
                              flush: ((inout [UInt8]) -> Void)?) {
        while pads.count <= level + 1 { pads.append(Array(repeating: UInt8(ascii: " "), count: pads.count * indent)) }
        switch value {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])  // null
        case .bool(let b): out.append(contentsOf: b ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .number(let n): out.append(contentsOf: formatNumber(n).utf8)
        case .string(let s): appendQuoted(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            if items.isEmpty { out.append(UInt8(ascii: "]")); return }
            out.append(UInt8(ascii: "\n"))
            for (index, item) in items.enumerated() {
                out.append(contentsOf: pads[level + 1])
                write(item, level: level + 1, indent: indent, pads: &pads, into: &out, flush: flush)
                if index != items.count - 1 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
                if let flush, out.count >= piece { flush(&out) }
            }
            out.append(contentsOf: pads[level])
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            if members.isEmpty { out.append(UInt8(ascii: "}")); return }
            out.append(UInt8(ascii: "\n"))
            for (index, member) in members.enumerated() {
                out.append(contentsOf: pads[level + 1])
                appendQuoted(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                out.append(UInt8(ascii: " "))
                write(member.value, level: level + 1, indent: indent, pads: &pads, into: &out, flush: flush)
                if index != members.count - 1 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
                if let flush, out.count >= piece { flush(&out) }
            }
            out.append(contentsOf: pads[level])
            out.append(UInt8(ascii: "}"))
        }
    }

    public static func formatNumber(_ n: Double) -> String {
        guard n.isFinite else { return "null" }
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return "\(n)"
    }

    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: copy them whole, scanning their bytes in place.
        let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
