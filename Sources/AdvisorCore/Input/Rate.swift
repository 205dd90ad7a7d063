/// A rate in events per second, written `5/s`, `300/min`, `2k/s`, `40/h`; volumes per month `3M/month`.
public struct Rate: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var perSecond: Double

    public init(perSecond: Double) { self.perSecond = perSecond }

    public static func < (lhs: Rate, rhs: Rate) -> Bool { lhs.perSecond < rhs.perSecond }

    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Seconds in the 30-day month the cost model and the default throughput use.
    public static let secondsPerMonth = 30.0 * 86_400

    static let periods: [(suffix: String, seconds: Double)] = [("s", 1), ("min", 60), ("h", 3_600), ("day", 86_400), ("month", secondsPerMonth)]
    /// Other spellings of a period people type, read as that period.
    static let periodAliases: [String: String] = ["sec": "s", "second": "s", "minute": "min", "hr": "h", "hour": "h", "d": "day"]
    public static let acceptedRates = "a count per /s, /min, /h or /day, with an optional k or M (e.g. 5/s, 300/min, 2k/s, 40/h, 24/day)"
    public static let acceptedVolumes = "a count per /month or /day (× 30), with an optional k or M (e.g. 100k/month, 3M/month, 500/day)"

    /// Parses a rate (`/s`, `/min`, `/h`, `/day`) into events per second. A near miss (`5 per second`,
    /// `5/sek`, `300 a minute`) is refused with the spelling it means.
    public static func parse(_ text: String) throws(ParseError) -> Rate {
        do { return try parseExactly(text) } catch {
            if let meant = nearMiss(text, volume: false) {
                throw ParseError(message: "'\(text)' is not a rate as written; did you mean \(meant)? accepted: \(acceptedRates)")
            }
            throw error
        }
    }

    /// Parses a monthly volume (`/month`, `/day` × 30) into tasks per month, with a near miss suggested.
    public static func parseVolume(_ text: String) throws(ParseError) -> Double {
        do { return try parseVolumeExactly(text) } catch {
            if let meant = nearMiss(text, volume: true) {
                throw ParseError(message: "'\(text)' is not a volume as written; did you mean \(meant)? accepted: \(acceptedVolumes)")
            }
            throw error
        }
    }

    /// What a refused rate or volume most likely means, as accepted: "per", "a" or "every" read as '/',
    /// spaces dropped, the period respelled to the nearest one. Nil when nothing close parses.
    public static func nearMiss(_ text: String, volume: Bool) -> String? {
        var lowered = " " + text.trimmed + " "
        guard lowered.count <= 64 else { return nil }
        for word in [" per ", " a ", " an ", " every ", " each ", " / "] { lowered = lowered.replacing(word, with: "/") }
        lowered = lowered.replacing(" ", with: "")
        if lowered.hasSuffix("rps") { lowered = String(lowered.dropLast(3)) + "/s" }
        let pieces = lowered.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else { return nil }
        let written = pieces[1].lowercased()
        let allowed = volume ? ["month", "day", "months", "days", "mo"] : ["s", "min", "h", "day", "sec", "second", "seconds", "minute", "minutes", "mins", "hr", "hrs", "hour", "hours", "d", "days"]
        guard let period = allowed.contains(written) ? written : Suggest.nearest(written, among: allowed) else { return nil }
        let canonical: String
        switch period {
        case "s", "sec", "second", "seconds": canonical = "s"
        case "min", "minute", "minutes", "mins": canonical = "min"
        case "h", "hr", "hrs", "hour", "hours": canonical = "h"
        case "month", "months", "mo": canonical = "month"
        default: canonical = "day"
        }
        let meant = pieces[0] + "/" + canonical
        let parses = volume ? (try? parseVolumeExactly(meant)) != nil : (try? parseExactly(meant)) != nil
        return parses && meant != text.trimmed ? meant : nil
    }

    static func parseExactly(_ text: String) throws(ParseError) -> Rate {
        let (count, written) = try split(text, accepted: acceptedRates)
        let period = periodAliases[written] ?? written
        guard let seconds = periods.first(where: { $0.suffix == period && $0.suffix != "month" })?.seconds else {
            throw ParseError(message: "unknown period '/\(period)' in '\(text)'; accepted: \(acceptedRates)")
        }
        return Rate(perSecond: count / seconds)
    }

    static func parseVolumeExactly(_ text: String) throws(ParseError) -> Double {
        let (count, written) = try split(text, accepted: acceptedVolumes)
        switch periodAliases[written] ?? written {
        case "month": return count
        case "day": return count * 30
        default: throw ParseError(message: "'\(text)' is not a monthly volume; accepted: \(acceptedVolumes)")
        }
    }

    private static func split(_ text: String, accepted: String) throws(ParseError) -> (Double, String) {
        let trimmed = text.trimmed
        let pieces = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
            if Double(trimmed) != nil || trimmed.last.map({ "kKM".contains($0) }) == true {
                // A bare count: the period is the one thing missing, and it is not guessed.
                let volume = accepted == acceptedVolumes
                var forms = [trimmed]
                if volume, let count = Double(trimmed), count >= 1000, count <= 1e15, compact(count) != trimmed { forms.append(compact(count)) }
                let periods = volume ? ["/month"] : ["/s", "/min", "/h", "/day"]
                let examples = periods.flatMap { period in forms.map { $0 + period } }
                let listed = examples.count == 1 ? examples[0] : examples.dropLast().joined(separator: ", ") + " or " + examples.last!
                throw ParseError(message: "'\(text)' needs a period: \(listed)")
            }
            throw ParseError(message: "'\(text)' is not understood; accepted: \(accepted)")
        }
        var number = String(pieces[0])
        var multiplier = 1.0
        if number.hasSuffix("k") || number.hasSuffix("K") { multiplier = 1e3; number.removeLast() }
        else if number.hasSuffix("M") { multiplier = 1e6; number.removeLast() }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              number.first != ".", number.last != ".", let value = Double(number) else {
            throw ParseError(message: "'\(pieces[0])' in '\(text)' is not a count; accepted: \(accepted)")
        }
        let count = value * multiplier
        guard count.isFinite, count <= 1e15 else { throw ParseError(message: "'\(text)' is too large") }
        // The period is read in any case (/Day, /MIN); the count keeps its case, where M is a million.
        return (count, pieces[1].lowercased())
    }

    public var description: String { Self.format(perSecond) }

    /// A readable spelling that parses back to the same rate: `5/s`, `2k/s`, `300/min`, `40/h`.
    public static func format(_ perSecond: Double) -> String {
        if perSecond == 0 { return "0/s" }
        let candidates = periods.filter { $0.suffix != "month" }
        // A whole count in some period reads best and parses back exactly: 7/min, 40/h.
        for (suffix, seconds) in candidates {
            let count = perSecond * seconds
            if count >= 1, abs(count - count.rounded()) < 1e-9 * max(1, count) { return compact(count.rounded()) + "/" + suffix }
        }
        for (suffix, seconds) in candidates {
            let count = perSecond * seconds
            if count >= 1 || suffix == "h" { return compact(count) + "/" + suffix }
        }
        return compact(perSecond) + "/s"
    }

    public static func formatVolume(_ perMonth: Double) -> String { compact(perMonth) + "/month" }

    /// `2000` → `2k`, `1500000` → `1.5M`, `12.5` → `12.5`; exact to 6 significant digits.
    static func compact(_ value: Double) -> String {
        func plain(_ v: Double) -> String {
            let rounded = (v * 1000).rounded() / 1000
            if rounded == rounded.rounded() { return String(Int64(rounded)) }
            var text = "\(rounded)"
            if text.contains("e") { text = String(Int64(v.rounded())) }
            return text
        }
        if value >= 1e6, (value / 1e6 * 1000).rounded() == value / 1e6 * 1000 { return plain(value / 1e6) + "M" }
        if value >= 1e3, (value / 1e3 * 1000).rounded() == value / 1e3 * 1000 { return plain(value / 1e3) + "k" }
        return plain(value)
    }
}
