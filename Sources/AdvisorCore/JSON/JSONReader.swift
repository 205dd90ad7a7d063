/// A strict JSON reader (RFC 8259) that records where every value starts and, on bad input, says where
/// and what it expected — JSONDecoder only says "not valid JSON", which helps nobody fix a design file.
///
/// It reads the text's UTF-8 in place: a 10,000-workload design file or the whole rule set is read in a
/// few milliseconds, which `check` and every command's start-up depend on.
public struct JSONReader {
    public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
        public var location: SourceLocation
        public var message: String
        public var description: String { "\(location): \(message)" }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    /// The column reached so far on the current line, so that a long line (a minified file) is scanned
    /// once rather than once per value.
    private var columnOffset = 0
    private var column = 1
    private static let maximumDepth = 512
    /// Objects with more members than this find duplicate keys through a hash table, smaller ones by scanning.
    private static let scanLimit = 12

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    public static func read(_ text: String) throws(SyntaxError) -> LocatedJSON {
        var text = text
        let result: Result<LocatedJSON, SyntaxError> = text.withUTF8 { bytes in
            var reader = JSONReader(bytes)
            do throws(SyntaxError) { return .success(try reader.readDocument()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Reads the items `a, b, c` of an array that starts before `bytes` (a piece of a larger file cut at
    /// an item boundary): reading starts at `offset`, on line `line` (which starts at offset 0 of `bytes`),
    /// at the nesting of the array's items (`depth` arrays and objects around them), and stops at the end
    /// of `bytes`, which may follow only whitespace. Locations and messages are those of the whole file
    /// for every valid piece; an invalid piece throws, and the caller reads the whole file for the error.
    static func readItems(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int, line: Int, depth: Int) throws(SyntaxError) -> [LocatedJSON] {
        var reader = JSONReader(bytes)
        reader.offset = offset
        reader.line = line
        reader.depth = depth
        var items: [LocatedJSON] = []
        while true {
            reader.skipWhitespace()
            items.append(try reader.readValue())
            reader.skipWhitespace()
            guard reader.offset < bytes.count else { return items }
            guard bytes[reader.offset] == UInt8(ascii: ",") else { throw reader.error("expected ',' between array items, found \(reader.describeCurrent())") }
            reader.offset += 1
        }
    }

    private mutating func readDocument() throws(SyntaxError) -> LocatedJSON {
        skipByteOrderMark()
        skipWhitespace()
        guard offset < bytes.count else { throw error("expected a JSON value, found an empty file") }
        let value = try readValue()
        skipWhitespace()
        if offset < bytes.count {
            throw error("expected end of file after the JSON value, found \(describeCurrent())")
        }
        return value
    }

    private mutating func location() -> SourceLocation {
        // Columns count characters, not bytes: continuation bytes of UTF-8 do not start a character.
        if columnOffset < lineStart || columnOffset > offset { columnOffset = lineStart; column = 1 }
        while columnOffset < offset {
            if bytes[columnOffset] & 0xC0 != 0x80 { column += 1 }
            columnOffset += 1
        }
        return SourceLocation(line: line, column: column)
    }

    private mutating func error(_ message: String) -> SyntaxError { SyntaxError(location: location(), message: message) }

    private func describeCurrent() -> String {
        guard offset < bytes.count else { return "end of file" }
        let byte = bytes[offset]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(UnicodeScalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func skipByteOrderMark() {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { offset = 3; lineStart = 3 }
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0D: offset += 1
            case 0x0A: offset += 1; line += 1; lineStart = offset
            default: return
            }
        }
    }

    private mutating func readValue() throws(SyntaxError) -> LocatedJSON {
        let start = location()
        guard offset < bytes.count else { throw error("expected a JSON value, found end of file") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try readObject(start)
        case UInt8(ascii: "["): return try readArray(start)
        case UInt8(ascii: "\""): return LocatedJSON(kind: .string(try readString()), location: start)
        case UInt8(ascii: "t"): try expectWord("true"); return LocatedJSON(kind: .bool(true), location: start)
        case UInt8(ascii: "f"): try expectWord("false"); return LocatedJSON(kind: .bool(false), location: start)
        case UInt8(ascii: "n"): try expectWord("null"); return LocatedJSON(kind: .null, location: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return LocatedJSON(kind: .number(try readNumber()), location: start)
        default:
            throw error("expected a JSON value (object, array, string, number, true, false or null), found \(describeCurrent())")
        }
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nesting deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func readObject(_ start: SourceLocation) throws(SyntaxError) -> LocatedJSON {
        try enter()
        offset += 1
        var members: [(key: String, keyLocation: SourceLocation, value: LocatedJSON)] = []
        var seen: [String: SourceLocation] = [:]  // filled only once an object outgrows scanning
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "}") {
            offset += 1; depth -= 1
            return LocatedJSON(kind: .object(members), location: start)
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw error("expected a quoted key in the object opened at \(start), found \(describeCurrent())")
            }
            let keyLocation = location()
            let key = try readString()
            if members.count < Self.scanLimit {
                if let first = members.first(where: { $0.key == key }) {
                    throw SyntaxError(location: keyLocation, message: "duplicate key \"\(key)\" (first at \(first.keyLocation))")
                }
            } else {
                if seen.isEmpty { for member in members { seen[member.key] = member.keyLocation } }
                if let first = seen[key] { throw SyntaxError(location: keyLocation, message: "duplicate key \"\(key)\" (first at \(first))") }
                seen[key] = keyLocation
            }
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
                throw error("expected ':' after the key \"\(key)\", found \(describeCurrent())")
            }
            offset += 1
            skipWhitespace()
            let value = try readValue()
            members.append((key, keyLocation, value))
            skipWhitespace()
            guard offset < bytes.count else { throw error("expected ',' or '}' to close the object opened at \(start), found end of file") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "}") { offset += 1; break }
            throw error("expected ',' or '}' in the object opened at \(start), found \(describeCurrent())")
        }
        depth -= 1
        return LocatedJSON(kind: .object(members), location: start)
    }

    private mutating func readArray(_ start: SourceLocation) throws(SyntaxError) -> LocatedJSON {
        try enter()
        offset += 1
        var items: [LocatedJSON] = []
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "]") {
            offset += 1; depth -= 1
            return LocatedJSON(kind: .array(items), location: start)
        }
        while true {
            skipWhitespace()
            items.append(try readValue())
            skipWhitespace()
            guard offset < bytes.count else { throw error("expected ',' or ']' to close the array opened at \(start), found end of file") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "]") { offset += 1; break }
            throw error("expected ',' or ']' in the array opened at \(start), found \(describeCurrent())")
        }
        depth -= 1
        return LocatedJSON(kind: .array(items), location: start)
    }

    private mutating func expectWord(_ word: String) throws(SyntaxError) {
        let start = location()
        for expected in word.utf8 {
            guard offset < bytes.count, bytes[offset] == expected else {
                throw SyntaxError(location: start, message: "expected '\(word)', found \(describeCurrent())")
            }
            offset += 1
        }
    }

    private mutating func readNumber() throws(SyntaxError) -> Double {
        let start = offset
        func digits() -> Int {
            let before = offset
            while offset < bytes.count, bytes[offset] >= 0x30, bytes[offset] <= 0x39 { offset += 1 }
            return offset - before
        }
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, bytes[offset] >= 0x30, bytes[offset] <= 0x39 else { throw error("expected a digit in the number") }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            if offset < bytes.count, bytes[offset] >= 0x30, bytes[offset] <= 0x39 { throw error("numbers cannot have leading zeros") }
        } else {
            _ = digits()
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits() > 0 else { throw error("expected a digit after the decimal point") }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent") }
        }
        // Whole numbers of up to 15 digits are exact as Double: add them up rather than go through text.
        if offset - start <= 15 {
            var whole = 0, index = start, negative = false
            if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
            while index < offset, bytes[index] >= 0x30, bytes[index] <= 0x39 { whole = whole * 10 + Int(bytes[index] - 0x30); index += 1 }
            if index == offset { return negative ? -Double(whole) : Double(whole) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw error("number \(text) is out of range") }
        return value
    }

    private mutating func readString() throws(SyntaxError) -> String {
        let open = location()
        offset += 1
        // Most strings have no escapes: read them in one piece.
        var end = offset
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
            offset = end + 1
            return text
        }
        var scalars = String.UnicodeScalarView()
        var runStart = offset
        let bytes = bytes
        func flush(_ end: Int) { scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<end]), as: UTF8.self).unicodeScalars) }
        while true {
            guard offset < bytes.count else { throw SyntaxError(location: open, message: "unterminated string (no closing '\"')") }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") { flush(offset); offset += 1; break }
            if byte < 0x20 {
                throw error(byte == 0x0A ? "unterminated string: a newline inside a string must be written \\n" : "control character 0x\(String(byte, radix: 16)) must be escaped in a string")
            }
            if byte != UInt8(ascii: "\\") { offset += 1; continue }
            flush(offset)
            offset += 1
            guard offset < bytes.count else { throw error("unterminated escape sequence") }
            let escape = bytes[offset]
            offset += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try readHex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                        throw error("expected a low surrogate \\uXXXX after a high surrogate")
                    }
                    offset += 2
                    let low = try readHex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate \\u\(String(low, radix: 16))") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("invalid unicode escape \\u\(String(code, radix: 16))") }
                scalars.append(scalar)
            default:
                offset -= 1
                throw error("invalid escape '\\\(Character(UnicodeScalar(escape)))' (accepted: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
            }
            runStart = offset
        }
        return String(scalars)
    }

    private mutating func readHex4() throws(SyntaxError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard offset < bytes.count, let digit = hexValue(bytes[offset]) else { throw error("expected 4 hex digits in \\u escape") }
            code = code * 16 + digit
            offset += 1
        }
        return code
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: return UInt32(byte - 0x30)
        case 0x41...0x46: return UInt32(byte - 0x41 + 10)
        case 0x61...0x66: return UInt32(byte - 0x61 + 10)
        default: return nil
        }
    }
}
