/// A length of time in seconds, written the way people write it: `800ms`, `45s`, `4m`, `1h30m`, `1.5m`, `2d`.
///
/// A unit is required: a bare `90` is ambiguous (seconds? minutes?), and guessing wrong moves a workload
/// across the 29-second or 15-minute line.
public struct Duration: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    public static func < (lhs: Duration, rhs: Duration) -> Bool { lhs.seconds < rhs.seconds }

    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    static let units: [(suffix: String, seconds: Double)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1), ("ms", 0.001)]
    public static let acceptedForms = "a number with a unit: ms, s, m, h or d, or sec, min, hr, day (e.g. 800ms, 45s, 4m, 1h30m, 40min, 2hr, 3days)"
    /// The longer spellings people type, each read as its unit (SPEC §2).
    static let aliases: [String: String] = [
        "sec": "s", "secs": "s", "second": "s", "seconds": "s",
        "min": "m", "mins": "m", "minute": "m", "minutes": "m",
        "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
        "day": "d", "days": "d",
    ]

    /// Parses a duration; every rejection says what was wrong and, once, what is accepted. A near miss
    /// (`40 minutes`, `2 hours 30 mins`, `40 minuts`, `2 weeks`) is refused with the spelling it means.
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        do { return try parseExactly(text) } catch {
            if let meant = nearMiss(text) {
                throw ParseError(message: "'\(text)' is not a duration as written; did you mean \(meant)? accepted: \(acceptedForms)")
            }
            throw error
        }
    }

    static func parseExactly(_ text: String) throws(ParseError) -> Duration {
        // The common case, a short ASCII text such as "4m" or "1h30m", is read by bytes; anything else by
        // characters, with the same rules and messages (a test holds the two to the same answers).
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) { return try parseASCII(text) }
        return try parseCharacters(text)
    }

    /// Weeks are not a unit here (SPEC §2 stops at days), but people write them: suggested in days.
    static let weekWords: Set<String> = ["w", "wk", "wks", "week", "weeks"]

    /// What a refused duration most likely means, written the way it is accepted: the same without spaces
    /// or "and", unit words respelled to the nearest unit, weeks in days. Nil when nothing close parses.
    public static func nearMiss(_ text: String) -> String? {
        let lowered = text.trimmed.lowercased().replacing(" and ", with: " ").replacing(",", with: " ")
        guard lowered.count <= 64, lowered.contains(where: \.isLetter), lowered.contains(where: \.isNumber) else { return nil }
        let words = Array(aliases.keys) + units.map(\.suffix)
        var rebuilt = ""
        var extraDays = 0.0
        for token in NearMiss.tokens(lowered) {
            guard let number = Double(token.number) else { return nil }
            if weekWords.contains(token.word) { extraDays += number * 7; continue }
            guard let word = words.contains(token.word) ? token.word : Suggest.nearest(token.word, among: words) else { return nil }
            rebuilt += token.number + (aliases[word] ?? word)
        }
        var seconds = extraDays * 86_400
        if !rebuilt.isEmpty {
            guard let parsed = try? parseExactly(rebuilt) else { return nil }
            seconds += parsed.seconds
        }
        guard seconds >= 0.001, seconds <= 100 * 365 * 86_400 else { return nil }
        let meant = format(seconds)
        return meant == text.trimmed ? nil : meant
    }

    static func parseASCII(_ text: String) throws(ParseError) -> Duration {
        let bytes = Array(text.trimmed.utf8).map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        return try read(bytes, text, isNumber: { (0x30...0x39).contains($0) || $0 == 0x2E }, isLetter: { (0x61...0x7A).contains($0) },
                        string: { String(decoding: $0, as: UTF8.self) })
    }

    static func parseCharacters(_ text: String) throws(ParseError) -> Duration {
        try read(Array(text.trimmed.lowercased()), text, isNumber: { $0.isASCII && ($0.isNumber || $0 == ".") }, isLetter: \.isLetter,
                 string: { String($0) })
    }

    /// The rules, over the trimmed, lowercased text as bytes or as characters: numbers each followed by a
    /// unit, units from largest to smallest.
    private static func read<Element>(_ items: [Element], _ text: String, isNumber: (Element) -> Bool, isLetter: (Element) -> Bool,
                                      string: (ArraySlice<Element>) -> String) throws(ParseError) -> Duration {
        guard !items.isEmpty else { throw ParseError(message: "empty duration; accepted: \(acceptedForms)") }
        if items.allSatisfy(isNumber) {
            let lowered = string(items[...])
            throw ParseError(message: "'\(text)' has no unit; write e.g. \(lowered)s or \(lowered)m (accepted: a unit ms, s, m, h or d)")
        }
        var index = 0
        var total = 0.0
        var lastUnitRank = -1
        while index < items.count {
            let numberStart = index
            while index < items.count, isNumber(items[index]) { index += 1 }
            let numberText = string(items[numberStart..<index])
            guard !numberText.isEmpty else {
                throw ParseError(message: "'\(text)' is not a duration: expected a number at '\(string(items[index...]))'; accepted: \(acceptedForms)")
            }
            guard numberText.utf8.filter({ $0 == UInt8(ascii: ".") }).count <= 1, numberText.first != ".", numberText.last != ".",
                  let value = Double(numberText) else {
                throw ParseError(message: "'\(numberText)' in '\(text)' is not a number; accepted: \(acceptedForms)")
            }
            let unitStart = index
            while index < items.count, isLetter(items[index]) { index += 1 }
            let written = string(items[unitStart..<index])
            let unitText = aliases[written] ?? written
            guard !unitText.isEmpty else {
                throw ParseError(message: "'\(numberText)' in '\(text)' has no unit; accepted: \(acceptedForms)")
            }
            guard let rank = units.firstIndex(where: { $0.suffix == unitText }) else {
                throw ParseError(message: "unknown unit '\(written)' in '\(text)'; accepted: \(acceptedForms)")
            }
            guard rank > lastUnitRank else {
                throw ParseError(message: "'\(text)': units must go from largest to smallest, each once (e.g. 1h30m)")
            }
            lastUnitRank = rank
            total += value * units[rank].seconds
        }
        return try checked(total, text)
    }

    private static func checked(_ total: Double, _ text: String) throws(ParseError) -> Duration {
        guard total.isFinite, total <= 100 * 365 * 86_400 else {
            throw ParseError(message: "'\(text)' is longer than 100 years")
        }
        guard total >= 0.001 else {
            throw ParseError(message: "'\(text)' is \(total == 0 ? "zero" : "shorter than a millisecond"); a duration is at least 1ms")
        }
        return Duration(seconds: total)
    }

    /// The shortest canonical spelling: `800ms`, `29s`, `1m30s`, `1h30m`, `2d`. `parse(format(x)) == x`
    /// for every whole number of milliseconds.
    public var description: String { Self.format(seconds) }

    public static func format(_ seconds: Double) -> String {
        if seconds.isInfinite { return "∞" }
        if seconds == 0 { return "0s" }
        let totalMilliseconds = (seconds * 1000).rounded()
        if seconds < 1 { return "\(trim(seconds * 1000))ms" }
        var remaining = totalMilliseconds
        var parts = ""
        for (suffix, unitSeconds) in units where suffix != "ms" {
            let unitMilliseconds = unitSeconds * 1000
            let count = (remaining / unitMilliseconds).rounded(.down)
            if count > 0 {
                parts += "\(Int64(count))\(suffix)"
                remaining -= count * unitMilliseconds
            }
        }
        if remaining > 0 { parts += "\(Int64(remaining))ms" }
        return parts
    }

    private static func trim(_ value: Double) -> String {
        if value == value.rounded() { return String(Int64(value)) }
        var text = "\(value)"
        if text.contains("e") { text = "\((value * 1000).rounded() / 1000)" }
        return text
    }
}
