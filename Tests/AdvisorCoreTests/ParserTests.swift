import Testing
@testable import AdvisorCore

/// A small deterministic generator so property tests replay the same inputs on every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

func randomText(_ rng: inout SeededRandom, alphabet: [Character], maxLength: Int) -> String {
    String((0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
}

@Suite struct DurationTests {
    @Test(arguments: [
        ("800ms", 0.8), ("45s", 45), ("4m", 240), ("1h30m", 5400), ("2d", 172_800), ("1.5m", 90),
        ("29s", 29), ("1h", 3600), ("1d2h3m4s5ms", 93_784.005), (" 15m ", 900), ("1H30M", 5400),
    ])
    func parses(_ text: String, _ seconds: Double) throws {
        #expect(abs(try Duration.parse(text).seconds - seconds) < 1e-9)
    }

    @Test func bareNumberSuggestsUnits() {
        #expect(throws: Duration.ParseError.self) { try Duration.parse("90") }
        do { _ = try Duration.parse("90") } catch { #expect(error.message.contains("90s") && error.message.contains("90m")) }
        // Found by advisor-fuzz: zero and sub-millisecond durations were accepted (and 0.0001s printed as 0s).
        for tiny in ["0s", "0ms", "0h0m", "0.0001s"] {
            do { _ = try Duration.parse(tiny); Issue.record("\(tiny) accepted") } catch { #expect(error.message.contains("at least 1ms")) }
        }
    }

    @Test(arguments: ["", "s", "m5", "5x", "1.2.3s", ".5s", "5.s", "30m1h", "1h1h", "-5s", "5 s", "1e3s", "abc"])
    func rejects(_ text: String) {
        #expect(throws: Duration.ParseError.self) { try Duration.parse(text) }
    }

    @Test func formatThenParseRoundTrips() throws {
        var rng = SeededRandom(42)
        for _ in 0..<20_000 {
            let milliseconds = Double(Int.random(in: 1...(400 * 86_400_000), using: &rng))
            let seconds = milliseconds / 1000
            let text = Duration.format(seconds)
            #expect(abs(try Duration.parse(text).seconds - seconds) < 1e-6, "\(seconds) → \(text)")
        }
    }

    @Test func canonicalSpellings() {
        #expect(Duration.format(0.8) == "800ms")
        #expect(Duration.format(90) == "1m30s")
        #expect(Duration.format(5400) == "1h30m")
        #expect(Duration.format(172_800) == "2d")
        #expect(Duration.format(29.5) == "29s500ms")
    }

    @Test func randomStringsNeverCrash() {
        var rng = SeededRandom(7)
        let alphabet = Array("0123456789.msdhMSH -+e/,x")
        for _ in 0..<50_000 {
            let text = randomText(&rng, alphabet: alphabet, maxLength: 12)
            do { let d = try Duration.parse(text); #expect(d.seconds.isFinite && d.seconds >= 0) }
            catch { #expect(!error.message.isEmpty) }
        }
    }

    /// The byte reader for ASCII text must answer exactly as the character reader: same value, same message.
    @Test func asciiReaderAnswersAsTheCharacterReader() {
        var rng = SeededRandom(11)
        let alphabet = Array("0123456789.msdhMSHDx \t\n-+e")
        var parsed = 0
        for _ in 0..<50_000 {
            let text = randomText(&rng, alphabet: alphabet, maxLength: 10)
            let fast = Result { () throws(Duration.ParseError) in try Duration.parseASCII(text) }
            let slow = Result { () throws(Duration.ParseError) in try Duration.parseCharacters(text) }
            switch (fast, slow) {
            case let (.success(a), .success(b)): #expect(a == b, "\(text)"); parsed += 1
            case let (.failure(a), .failure(b)): #expect(a == b, "\(text)")
            default: Issue.record("'\(text)': \(fast) vs \(slow)")
            }
        }
        #expect(parsed > 1_000)
    }
}

@Suite struct RateTests {
    @Test(arguments: [("5/s", 5.0), ("300/min", 5.0), ("2k/s", 2000.0), ("40/h", 40.0 / 3600), ("1.5M/h", 1_500_000.0 / 3600), ("10000/s", 10_000.0)])
    func parses(_ text: String, _ perSecond: Double) throws {
        #expect(abs(try Rate.parse(text).perSecond - perSecond) < 1e-9)
    }

    @Test func volumes() throws {
        #expect(try Rate.parseVolume("100k/month") == 100_000)
        #expect(try Rate.parseVolume("3M/month") == 3_000_000)
        #expect(throws: Rate.ParseError.self) { try Rate.parseVolume("3M/h") }
        #expect(throws: Rate.ParseError.self) { try Rate.parse("3/month") }
    }

    @Test(arguments: ["5", "/s", "5/", "5/fortnight", "k/s", "5kk/s", "1.2.3/s", "-5/s", "5/s/s"])
    func rejects(_ text: String) {
        #expect(throws: Rate.ParseError.self) { try Rate.parse(text) }
    }

    @Test func bareNumberSuggestsAPeriod() {
        do { _ = try Rate.parse("50") } catch { #expect(error.message.contains("50/s")) }
    }

    @Test func formatThenParseRoundTrips() throws {
        var rng = SeededRandom(3)
        for _ in 0..<20_000 {
            let count = Double(Int.random(in: 1...5_000_000, using: &rng))
            let period = [1.0, 60, 3600].randomElement(using: &rng)!
            let perSecond = count / period
            let text = Rate.format(perSecond)
            let back = try Rate.parse(text).perSecond
            #expect(abs(back - perSecond) / perSecond < 1e-3, "\(perSecond) → \(text) → \(back)")
        }
    }

    @Test func randomStringsNeverCrash() {
        var rng = SeededRandom(11)
        let alphabet = Array("0123456789.kKM/sminhotd -")
        for _ in 0..<50_000 {
            let text = randomText(&rng, alphabet: alphabet, maxLength: 12)
            if let rate = try? Rate.parse(text) { #expect(rate.perSecond.isFinite) }
            _ = try? Rate.parseVolume(text)
        }
    }
}

@Suite struct ExpressionTests {
    func eval(_ text: String, _ values: [String: Value] = [:]) throws -> Value {
        try Expression.parse(text).evaluate(Scope(values))
    }

    @Test func precedenceAndParentheses() throws {
        #expect(try eval("1 + 2 * 3") == .number(7))
        #expect(try eval("(1 + 2) * 3") == .number(9))
        #expect(try eval("10 - 4 - 3") == .number(3))
        #expect(try eval("8 / 4 / 2") == .number(1))
        #expect(try eval("-2 * -3") == .number(6))
        #expect(try eval("1 < 2 && 2 < 3 || false") == .bool(true))
        #expect(try eval("!(1 > 2)") == .bool(true))
        #expect(try eval("false || 1 + 1 == 2 && true") == .bool(true))
    }

    @Test func durationsNamesListsFunctions() throws {
        #expect(try eval("15m") == .number(900))
        #expect(try eval("1h30m + 800ms") == .number(5400.8))
        #expect(try eval("duration > 15m", ["duration": .number(901)]) == .bool(true))
        #expect(try eval("pattern in ['sync', 'fan-out']", ["pattern": .string("fan-out")]) == .bool(true))
        #expect(try eval("max(1, 5, 3) + min(2, 4) + ceil(1.2) + floor(1.8)") == .number(10))
        #expect(try eval("dur(5400)") == .string("1h30m"))
        #expect(try eval("money(2000)") == .string("$2,000.00"))
        #expect(try eval("1e3") == .number(1000))
    }

    /// `ceilTo` rounds up to whole billing units, without floating-point noise pushing an exact value up.
    @Test func ceilToBillingUnits() throws {
        #expect(try eval("ceilTo(1.1, 0.1)") == .number(11 * 0.1))
        #expect(try eval("ceilTo(1150ms, 100ms)") == .number(12 * 0.1))
        #expect(try eval("ceilTo(101ms, 100ms)") == .number(2 * 0.1))
        #expect(try eval("ceilTo(50, 64)") == .number(64))
        #expect(try eval("ceilTo(128, 64)") == .number(128))
        #expect(try eval("ceilTo(0, 1ms)") == .number(0))
        #expect(throws: Expression.Error.self) { try eval("ceilTo(1, 0)") }
        #expect(throws: Expression.Error.self) { try eval("ceilTo(1)") }
        var rng = SeededRandom(5)
        for _ in 0..<10_000 {
            let value = Double.random(in: 0...1e7, using: &rng), step = [0.001, 0.1, 1, 64, 3600].randomElement(using: &rng)!
            guard case .number(let up) = try eval("ceilTo(v, s)", ["v": .number(value), "s": .number(step)]) else { Issue.record("not a number"); continue }
            #expect(up >= value * (1 - 1e-9) && up < value + step * 1.000001, "ceilTo(\(value), \(step)) = \(up)")
        }
    }

    @Test func errorsAreErrors() {
        #expect(throws: Expression.Error.self) { try eval("1 / 0") }
        #expect(throws: Expression.Error.self) { try eval("nope + 1") }
        #expect(throws: Expression.Error.self) { try eval("'a' + 1") }
        #expect(throws: Expression.Error.self) { try eval("frobnicate(1)") }
        #expect(throws: Expression.Error.self) { try eval("ceil(1, 2)") }
        for bad in ["", "1 +", "(1", "[1, 2", "1 2", "'open", "1 $ 2", "in", "()"] {
            #expect(throws: Expression.Error.self, "\(bad)") { try Expression.parse(bad) }
        }
    }

    @Test func namesAreCollectedForLint() throws {
        let e = try Expression.parse("lambdaBased && throughput * duration > concurrencyLimit")
        #expect(e.names == ["lambdaBased", "throughput", "duration", "concurrencyLimit"])
    }

    @Test func randomInputNeverCrashes() {
        var rng = SeededRandom(99)
        let alphabet = Array("0123456789.+-*/()[],<>=!&|' abdmsxyin_")
        let scope = Scope(["a": .number(2), "b": .number(0), "x": .string("s"), "y": .bool(true)])
        for _ in 0..<50_000 {
            let text = randomText(&rng, alphabet: alphabet, maxLength: 24)
            guard let e = try? Expression.parse(text) else { continue }
            _ = try? e.evaluate(scope)
        }
        // Deep nesting is refused, not a stack overflow.
        #expect(throws: Expression.Error.self) { try Expression.parse(String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)) }
    }

    @Test func intervals() throws {
        let i = try Interval.parse("[0, window)")
        #expect(try i.contains(28.999, Scope(["window": .number(29)])))
        #expect(try !i.contains(29, Scope(["window": .number(29)])))
        let j = try Interval.parse("(5m, 15m]")
        #expect(try !j.contains(300, Scope()) && j.contains(300.001, Scope()) && j.contains(900, Scope()) && !j.contains(900.001, Scope()))
        #expect(throws: Expression.Error.self) { try Interval.parse("0, 5m") }
        #expect(throws: Expression.Error.self) { try Interval.parse("[0, 5m, 6m]") }
    }

    @Test func messageTemplates() throws {
        let t = try MessageTemplate("needs {int(ceil(throughput * duration))} at {rate(throughput)}")
        #expect(try t.render(Scope(["throughput": .number(50), "duration": .number(240)])) == "needs 12,000 at 50/s")
        #expect(throws: Expression.Error.self) { try MessageTemplate("open {brace") }
    }
}

@Suite struct JSONReaderTests {
    @Test func readsWithLocations() throws {
        let tree = try JSONReader.read("{\n  \"a\": [1, 2.5e1, -0.5],\n  \"b\": {\"c\": \"\\u00e9\\n\"},\n  \"d\": null\n}")
        #expect(tree["a"]?.location == SourceLocation(line: 2, column: 8))
        #expect(tree["b"]?["c"]?.value == .string("é\n"))
        #expect(tree["a"]?.value == .array([.number(1), .number(25), .number(-0.5)]))
    }

    @Test(arguments: [
        ("{\n  \"a\": 1,\n}", 3, 1, "quoted key"),
        ("{\"a\": 1 \"b\": 2}", 1, 9, "expected ','"),
        ("[1, 2", 1, 6, "close the array"),
        ("{\"a\": tru}", 1, 7, "expected 'true'"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key"),
        ("\"abc", 1, 1, "unterminated"),
        ("", 1, 1, "empty"),
        ("{} x", 1, 4, "end of file"),
        ("[01]", 1, 3, "leading zeros"),
    ])
    func reportsWhereAndWhat(_ text: String, _ line: Int, _ column: Int, _ fragment: String) {
        do {
            _ = try JSONReader.read(text)
            Issue.record("accepted invalid JSON \(text)")
        } catch {
            #expect(error.location == SourceLocation(line: line, column: column), "\(error)")
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func writerRoundTrips() throws {
        let value = JSONValue.object([("a", .array([.number(1), .number(1.5), .string("x\"y\n")])), ("b", .object([])), ("c", .bool(true)), ("d", .null)])
        #expect(try JSONReader.read(JSONWriter.write(value)).value == value)
    }

    @Test func mutatedInputNeverCrashes() {
        var rng = SeededRandom(5)
        let seed = Array(#"{"workloads": [{"name": "a", "duration": "4m", "n": [1, 2.5, true, null, {"x": "\u00e9"}]}]}"#)
        for _ in 0..<30_000 {
            var chars = seed
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let index = Int.random(in: 0..<chars.count, using: &rng)
                switch Int.random(in: 0...2, using: &rng) {
                case 0: chars.remove(at: index)
                case 1: chars.insert(seed.randomElement(using: &rng)!, at: index)
                default: chars[index] = seed.randomElement(using: &rng)!
                }
                if chars.isEmpty { chars = ["{"] }
            }
            let text = String(chars)
            do { _ = try JSONReader.read(text) } catch {
                #expect(error.location.line >= 1 && error.location.column >= 1 && error.location.column <= text.count + 1)
            }
        }
        #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.read(String(repeating: "[", count: 100_000)) }
    }
}

/// SPEC §2's units, version 2: the longer spellings of durations, `/day` rates and volumes, sizes and memory in MB or GB.
@Suite struct UnitTests {
    @Test(arguments: [("40min", 2400.0), ("90sec", 90), ("2hr", 7200), ("3days", 259_200), ("1hour30mins", 5400), ("2Hours", 7200), ("1day", 86_400)])
    func durationSpellings(_ text: String, _ seconds: Double) throws {
        #expect(try Duration.parse(text).seconds == seconds)
    }

    @Test func ratesAndVolumesPerDay() throws {
        #expect(abs(try Rate.parse("24/day").perSecond - 24.0 / 86_400) < 1e-12)
        #expect(Rate.format(try Rate.parse("1/day").perSecond) == "1/day")
        #expect(try Rate.parseVolume("500/day") == 15_000)
        #expect(throws: Rate.ParseError.self) { try Rate.parseVolume("20000") }
        do { _ = try Rate.parseVolume("20000"); Issue.record("a bare volume was accepted") } catch {
            #expect(error.message.contains("20000/month or 20k/month"), "\(error.message)")
            #expect(!error.message.contains("/s"), "a monthly count is not told to write a rate per second: \(error.message)")
        }
    }

    @Test(arguments: [("2KB", 2048.0), ("256KB", 262_144), ("1MB", 1_048_576), ("2gb", 2_147_483_648), ("512B", 512), ("1.5KB", 1536)])
    func sizes(_ text: String, _ bytes: Double) throws {
        #expect(try Size.parse(text) == bytes)
        #expect(try Size.parse(Size.format(bytes)) == bytes)
    }

    @Test(arguments: ["256", "KB", "4XB", "-1KB", "1.2.3MB", ""])
    func badSizes(_ text: String) {
        #expect(throws: Size.ParseError.self) { try Size.parse(text) }
    }

    @Test func memoryTakesMegabytesOrGigabytes() throws {
        let memory = try #require(shippedRules.input("memory"))
        #expect(try InputValue.parse("2GB", for: memory) == .number(2048))
        #expect(try InputValue.parse("512MB", for: memory) == .number(512))
        #expect(try InputValue.parse("1536", for: memory) == .number(1536))
        #expect(throws: InputValue.ParseError.self) { try InputValue.parse("64MB", for: memory) }
    }

    /// A property over random texts: a size either parses to a whole number of bytes that formats and parses
    /// back to itself, or is refused with a message naming what is accepted.
    @Test func sizeParserNeverCrashesAndRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789.kKmMgGbB -xX")
        for _ in 0..<5_000 {
            let text = String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            do {
                let bytes = try Size.parse(text)
                #expect(bytes >= 1 && bytes == bytes.rounded())
                #expect(try Size.parse(Size.format(bytes)) == bytes, "\(text)")
            } catch {
                #expect(error.message.contains("B, KB, MB") || error.message.contains("larger than") || error.message.contains("less than one byte"), "\(text): \(error.message)")
            }
        }
    }
}

/// SPEC §2, version 2: every unit form is read; a near miss is refused with the spelling it means, and
/// every error names what is accepted once.
@Suite struct NearMissTests {
    /// Every spelling SPEC §2 lists, in any case.
    @Test func everyUnitFormOfTheContract() throws {
        let durations: [(String, Double)] = [
            ("800ms", 0.8), ("45s", 45), ("45sec", 45), ("1second", 1), ("45seconds", 45), ("4m", 240), ("4min", 240), ("1minute", 60),
            ("4minutes", 240), ("2h", 7200), ("2hr", 7200), ("1hour", 3600), ("2hours", 7200), ("3d", 259_200), ("1day", 86_400),
            ("3days", 259_200), ("1h30m", 5400), ("40MIN", 2400), ("90Sec", 90), ("2HR", 7200), ("3Days", 259_200),
        ]
        for (text, seconds) in durations { #expect(try Duration.parse(text).seconds == seconds, "\(text)") }
        for (text, bytes) in [("512B", 512.0), ("2KB", 2048), ("1MB", 1_048_576), ("2GB", 2_147_483_648), ("4kb", 4096), ("1mb", 1_048_576)] {
            #expect(try Size.parse(text) == bytes, "\(text)")
        }
        for (text, perSecond) in [("5/s", 5.0), ("300/min", 5), ("36/h", 0.01), ("24/day", 24.0 / 86_400), ("2k/s", 2000), ("5/S", 5), ("300/Min", 5)] {
            #expect(abs(try Rate.parse(text).perSecond - perSecond) < 1e-12, "\(text)")
        }
        for (text, perMonth) in [("100k/month", 100_000.0), ("3M/month", 3_000_000), ("500/day", 15_000), ("500/Day", 15_000)] {
            #expect(try Rate.parseVolume(text) == perMonth, "\(text)")
        }
    }

    @Test(arguments: [
        ("40 minutes", "40m"), ("40 mins", "40m"), ("40minuts", "40m"), ("4 m", "4m"), ("90 seconds", "1m30s"), ("2 hours", "2h"),
        ("1 hour 30 mins", "1h30m"), ("1 hour and 30 minutes", "1h30m"), ("1h, 30m", "1h30m"), ("3 days", "3d"), ("2 weeks", "14d"),
        ("1 week 2 days", "9d"), ("800 ms", "800ms"), ("45 secs", "45s"), ("2 hrs", "2h"),
    ])
    func durationNearMiss(_ text: String, _ meant: String) {
        do { _ = try Duration.parse(text); Issue.record("'\(text)' was accepted") } catch {
            #expect(error.message.contains("did you mean \(meant)?"), "\(text): \(error.message)")
            #expect(error.message.components(separatedBy: "accepted").count == 2, "accepted named once: \(error.message)")
        }
        #expect(Duration.nearMiss(text) == meant)
        #expect((try? Duration.parse(meant)) != nil, "the suggestion parses")
    }

    @Test(arguments: [("512 megs", "512MB"), ("2 gigabytes", "2GB"), ("4kib", "4KB"), ("256 K", "256KB"), ("100 bytes", "100B"), ("1 gig", "1GB")])
    func sizeNearMiss(_ text: String, _ meant: String) {
        do { _ = try Size.parse(text); Issue.record("'\(text)' was accepted") } catch {
            #expect(error.message.contains("did you mean \(meant)?"), "\(text): \(error.message)")
            #expect(error.message.components(separatedBy: "accepted").count == 2, "\(error.message)")
        }
    }

    @Test(arguments: [("5 per second", "5/s"), ("300 a minute", "300/min"), ("5/sek", "5/s"), ("5rps", "5/s"), ("40 per hour", "40/h"),
                      ("24 every day", "24/day"), ("5 / s", "5/s")])
    func rateNearMiss(_ text: String, _ meant: String) {
        do { _ = try Rate.parse(text); Issue.record("'\(text)' was accepted") } catch {
            #expect(error.message.contains("did you mean \(meant)?"), "\(text): \(error.message)")
        }
    }

    @Test(arguments: [("100k per month", "100k/month"), ("3M a month", "3M/month"), ("500/days", "500/day"), ("20000/months", "20000/month")])
    func volumeNearMiss(_ text: String, _ meant: String) {
        do { _ = try Rate.parseVolume(text); Issue.record("'\(text)' was accepted") } catch {
            #expect(error.message.contains("did you mean \(meant)?"), "\(text): \(error.message)")
        }
    }

    /// No suggestion where nothing close parses: a far word, a unit missing, a bare number (which says it
    /// needs a unit or a period instead).
    @Test func farMissesSuggestNothing() {
        for text in ["forty minutes", "40 parsecs", "90", "", "m", "5 5"] { #expect(Duration.nearMiss(text) == nil, "\(text)") }
        for text in ["512 lightyears", "512", "megs"] { #expect(Size.nearMiss(text) == nil, "\(text)") }
        for text in ["5/fortnight", "5", "per second"] { #expect(Rate.nearMiss(text, volume: false) == nil, "\(text)") }
        do { _ = try Rate.parse("20000") } catch {
            #expect(error.message == "'20000' needs a period: 20000/s, 20000/min, 20000/h or 20000/day", "\(error.message)")
        }
    }

    /// A property: a whole duration written out in words, with spaces ("1 hour 20 minutes 5 seconds"), is
    /// refused and suggested as its canonical spelling, which parses back to the same duration.
    @Test func wordsSpelledOutSuggestTheCanonicalForm() throws {
        var rng = SeededRandom(19)
        let words: [(String, Double)] = [("days", 86_400), ("hours", 3600), ("minutes", 60), ("seconds", 1)]
        for _ in 0..<2_000 {
            var text: [String] = []
            var seconds = 0.0
            for (word, unit) in words where Bool.random(using: &rng) {
                let count = Int.random(in: 1...59, using: &rng)
                text.append("\(count) \(word)")
                seconds += Double(count) * unit
            }
            guard !text.isEmpty else { continue }
            let written = text.joined(separator: " ")
            let meant = try #require(Duration.nearMiss(written), "\(written)")
            #expect(meant == Duration.format(seconds), "\(written) → \(meant)")
            #expect(try Duration.parse(meant).seconds == seconds)
        }
    }

    /// A fuzz over random texts: the readers never crash; a suggestion, when made, is accepted as written;
    /// a refusal names what is accepted at most once.
    @Test func randomTextsNeverCrashAndSuggestionsParse() {
        var rng = SeededRandom(23)
        let alphabet = Array("0123456789. ,/smhdkMGBbinuteoraypcwlekKrS")
        for _ in 0..<8_000 {
            let text = randomText(&rng, alphabet: alphabet, maxLength: 14)
            if let meant = Duration.nearMiss(text) { #expect((try? Duration.parse(meant)) != nil, "'\(text)' → \(meant)") }
            if let meant = Size.nearMiss(text) { #expect((try? Size.parse(meant)) != nil, "'\(text)' → \(meant)") }
            if let meant = Rate.nearMiss(text, volume: false) { #expect((try? Rate.parse(meant)) != nil, "'\(text)' → \(meant)") }
            if let meant = Rate.nearMiss(text, volume: true) { #expect((try? Rate.parseVolume(meant)) != nil, "'\(text)' → \(meant)") }
            for message in [Self.refusal { try Duration.parse(text) }, Self.refusal { try Size.parse(text) },
                            Self.refusal { try Rate.parse(text) }, Self.refusal { try Rate.parseVolume(text) }].compactMap({ $0 }) {
                #expect(message.components(separatedBy: "accepted").count <= 2, "'\(text)': \(message)")
            }
        }
    }

    static func refusal(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    /// A choice value is suggested by its nearest spelling, in flags and design files alike (both read it here).
    @Test func choiceValuesSuggestTheNearest() throws {
        let trigger = try #require(shippedRules.input("trigger"))
        do { _ = try InputValue.parse("webhok", for: trigger); Issue.record("accepted") } catch {
            #expect(error.message == "--trigger: 'webhok' is not one of request, webhook, event, schedule; did you mean 'webhook'?")
        }
        let stream = try #require(shippedRules.input("stream"))
        do { _ = try InputValue.parse("x", for: stream); Issue.record("accepted") } catch {
            #expect(!error.message.contains("did you mean"), "one letter is no near miss of yes or no")
        }
    }
}
