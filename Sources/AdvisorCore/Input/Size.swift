/// A size in bytes, written `512B`, `4KB`, `256KB`, `1MB`, `2GB` (1 KB = 1,024 B, as AWS meters payloads).
///
/// A unit is required: a bare `256` could be bytes or kilobytes, and the difference is a 64 KB billing chunk.
public enum Size {
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static let kibibyte = 1024.0
    public static let mebibyte = 1024.0 * 1024
    static let units: [(suffix: String, bytes: Double)] = [("gb", 1024 * mebibyte), ("mb", mebibyte), ("kb", kibibyte), ("b", 1)]
    public static let accepted = "a number with a unit: B, KB, MB or GB (1 KB = 1,024 B), e.g. 2KB, 256KB, 1MB"

    /// Bytes in `text`; every rejection says what is wrong and, once, what is accepted. A near miss
    /// (`512 megs`, `2 gigabytes`, `4kib`) is refused with the spelling it means.
    public static func parse(_ text: String) throws(ParseError) -> Double {
        do { return try parseExactly(text) } catch {
            if let meant = nearMiss(text) {
                throw ParseError(message: "'\(text)' is not a size as written; did you mean \(meant)? accepted: \(accepted)")
            }
            throw error
        }
    }

    /// The words people write for a unit, each read as that unit in a suggestion.
    static let unitWords: [String: String] = [
        "byte": "b", "bytes": "b",
        "k": "kb", "kib": "kb", "kbs": "kb", "kilobyte": "kb", "kilobytes": "kb",
        "m": "mb", "mib": "mb", "meg": "mb", "megs": "mb", "mbs": "mb", "megabyte": "mb", "megabytes": "mb",
        "g": "gb", "gib": "gb", "gig": "gb", "gigs": "gb", "gbs": "gb", "gigabyte": "gb", "gigabytes": "gb",
    ]

    /// What a refused size most likely means, as accepted; nil when nothing close parses.
    public static func nearMiss(_ text: String) -> String? {
        let lowered = text.trimmed.lowercased()
        guard lowered.count <= 64 else { return nil }
        let tokens = NearMiss.tokens(lowered)
        guard tokens.count == 1, let token = tokens.first else { return nil }
        let words = Array(unitWords.keys) + units.map(\.suffix)
        guard let word = words.contains(token.word) ? token.word : Suggest.nearest(token.word, among: words) else { return nil }
        guard let bytes = try? parseExactly(token.number + (unitWords[word] ?? word)) else { return nil }
        let meant = format(bytes)
        return meant.lowercased() == lowered ? nil : meant
    }

    static func parseExactly(_ text: String) throws(ParseError) -> Double {
        let trimmed = text.trimmed
        let lowered = trimmed.lowercased()
        let digits = lowered.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = lowered.dropFirst(digits.count).trimmed
        guard !digits.isEmpty, digits.first != ".", digits.last != ".", digits.filter({ $0 == "." }).count <= 1,
              let number = Double(String(digits)) else {
            throw ParseError(message: "'\(text)' is not a size; accepted: \(accepted)")
        }
        guard !unit.isEmpty else { throw ParseError(message: "'\(text)' has no unit; write e.g. \(digits)KB or \(digits)MB (accepted: a unit B, KB, MB, GB)") }
        guard let bytes = units.first(where: { $0.suffix == unit })?.bytes else {
            throw ParseError(message: "unknown unit '\(unit)' in '\(text)'; accepted: \(accepted)")
        }
        let total = number * bytes
        guard total >= 1 else { throw ParseError(message: "'\(text)' is less than one byte; accepted: \(accepted)") }
        guard total <= 1024 * 1024 * mebibyte else { throw ParseError(message: "'\(text)' is larger than 1 TB") }
        return total.rounded()
    }

    /// The largest unit that holds the size exactly: `4KB`, `1MB`, `1536KB`, `700B`.
    public static func format(_ bytes: Double) -> String {
        for (suffix, size) in units where bytes >= size && bytes.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int64(bytes / size))\(suffix.uppercased())"
        }
        return "\(Int64(bytes.rounded()))B"
    }
}
