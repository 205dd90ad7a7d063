import AdvisorCore

/// Random and mutated inputs for every parser of the tool. Each target feeds its parser `iterations`
/// inputs and checks the contract: an input is either accepted (and what was accepted behaves: a parsed
/// duration formats and parses back to itself) or rejected with a message — never a crash, never a silent
/// empty error. A crash ends the process, which is the failure a fuzzer reports.
///
/// `advisor-fuzz` runs the long campaign; the test suite runs a short one of the same targets.
public enum Fuzz {
    public struct Result: Sendable, CustomStringConvertible {
        public var target: String
        public var inputs: Int
        public var accepted: Int
        public var rejected: Int
        /// Contract breaches (a rejection without a message, an accepted value that does not round-trip).
        public var failures: [String]
        public var description: String {
            "\(target): \(inputs) inputs, \(accepted) accepted, \(rejected) rejected with a message, \(failures.count) failures"
        }
    }

    public static let targets = ["duration", "rate", "volume", "expression", "template", "rules", "design"]

    public static func run(_ target: String, iterations: Int, seed: UInt64) -> Result? {
        var rng = Random(seed)
        switch target {
        case "duration": return duration(iterations, &rng)
        case "rate": return rate(iterations, &rng)
        case "volume": return volume(iterations, &rng)
        case "expression": return expression(iterations, &rng)
        case "template": return template(iterations, &rng)
        case "rules": return rules(iterations, &rng)
        case "design": return design(iterations, &rng)
        default: return nil
        }
    }

    // MARK: Inputs

    /// SplitMix64: fast, and the same run for the same seed.
    public struct Random: RandomNumberGenerator, Sendable {
        var state: UInt64
        public init(_ seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Half the time a fresh string of tokens, half the time a valid seed mutated a few times.
    static func input(_ rng: inout Random, tokens: [String], seeds: [String]) -> String {
        if Bool.random(using: &rng) {
            return (0..<Int.random(in: 0...8, using: &rng)).map { _ in tokens.randomElement(using: &rng)! }.joined()
        }
        return mutate(seeds.randomElement(using: &rng)!, &rng, tokens: tokens, rounds: Int.random(in: 1...4, using: &rng))
    }

    /// Byte-level mutations: flip, insert, delete, duplicate a slice, truncate, splice a token in.
    static func mutate(_ text: String, _ rng: inout Random, tokens: [String], rounds: Int) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<rounds {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...16, using: &rng))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            case 4: bytes = Array(bytes.prefix(position))
            default: bytes.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: position)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Targets

    static func duration(_ n: Int, _ rng: inout Random) -> Result {
        let tokens = ["1", "0", "9", "29", "15", ".", "5", "ms", "s", "m", "h", "d", " ", "-", "e9", "µ", "h30", "1e308", "nan", "∞"]
        let seeds = ["800ms", "45s", "4m", "1h30m", "1.5m", "2d", "29s", "15m", "1h 30m"]
        var result = Result(target: "duration", inputs: n, accepted: 0, rejected: 0, failures: [])
        for _ in 0..<n {
            let text = input(&rng, tokens: tokens, seeds: seeds)
            do {
                let parsed = try Duration.parse(text)
                result.accepted += 1
                let again = try? Duration.parse(Duration.format(parsed.seconds))
                if !(parsed.seconds >= 0.001 && parsed.seconds.isFinite) || again == nil || abs(again!.seconds - parsed.seconds) > max(parsed.seconds * 1e-9, 0.0005) {
                    result.failures.append("\(text.debugDescription) → \(parsed.seconds) s does not format and parse back (\(Duration.format(parsed.seconds)))")
                }
            } catch {
                result.rejected += 1
                if error.message.isEmpty { result.failures.append("\(text.debugDescription): empty rejection") }
            }
        }
        return result
    }

    static func rate(_ n: Int, _ rng: inout Random) -> Result {
        let tokens = ["5", "300", "2", "k", "M", "/", "s", "min", "h", "month", ".", " ", "-", "0", "1e300", "K"]
        let seeds = ["5/s", "300/min", "2k/s", "40/h", "1.5k/min", "10000/s"]
        var result = Result(target: "rate", inputs: n, accepted: 0, rejected: 0, failures: [])
        for _ in 0..<n {
            let text = input(&rng, tokens: tokens, seeds: seeds)
            do {
                let parsed = try Rate.parse(text)
                result.accepted += 1
                guard parsed.perSecond >= 0, parsed.perSecond.isFinite, let again = try? Rate.parse(Rate.format(parsed.perSecond)),
                      abs(again.perSecond - parsed.perSecond) <= parsed.perSecond * 1e-3 + 1e-9 else {
                    result.failures.append("\(text.debugDescription) → \(parsed.perSecond)/s does not format and parse back (\(Rate.format(parsed.perSecond)))")
                    continue
                }
            } catch {
                result.rejected += 1
                if error.message.isEmpty { result.failures.append("\(text.debugDescription): empty rejection") }
            }
        }
        return result
    }

    static func volume(_ n: Int, _ rng: inout Random) -> Result {
        let tokens = ["100", "3", "k", "M", "/", "month", "s", ".", " ", "-", "0", "1e300"]
        let seeds = ["100k/month", "3M/month", "1/month", "2.5M/month"]
        var result = Result(target: "volume", inputs: n, accepted: 0, rejected: 0, failures: [])
        for _ in 0..<n {
            let text = input(&rng, tokens: tokens, seeds: seeds)
            do {
                let parsed = try Rate.parseVolume(text)
                result.accepted += 1
                if !(parsed >= 0 && parsed.isFinite) { result.failures.append("\(text.debugDescription) → \(parsed)") }
            } catch {
                result.rejected += 1
                if error.message.isEmpty { result.failures.append("\(text.debugDescription): empty rejection") }
            }
        }
        return result
    }

    static func expression(_ n: Int, _ rng: inout Random) -> Result {
        let tokens = ["duration", "window", " ", "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", "<", "<=", "==", "!=", "&&", "||", "!",
                      "1", "0", "15m", "29s", "'ack'", "min(", "max(", "ceil(", "dur(", "money(", "rate(", "x", "1e308", ".", "'", "\"", "in"]
        let seeds = ["duration > 15m && splittable == 'no'", "volume * avgDuration * memory / 1024", "min(duration, window) * 5 >= window * 4",
                     "ceil(volume / 1000) * 0.025", "response in ['ack', 'status']", "!(trigger == 'event') || duration <= 15m"]
        let scope = Scope(["duration": .number(240), "window": .number(29), "splittable": .string("no"), "volume": .number(100_000),
                           "avgDuration": .number(120), "memory": .number(1024), "response": .string("ack"), "trigger": .string("request")])
        var result = Result(target: "expression", inputs: n, accepted: 0, rejected: 0, failures: [])
        for _ in 0..<n {
            let text = input(&rng, tokens: tokens, seeds: seeds)
            do {
                let parsed = try Expression.parse(text)
                result.accepted += 1
                do { _ = try parsed.evaluate(scope) } catch {
                    if error.message.isEmpty { result.failures.append("\(text.debugDescription): empty evaluation error") }
                }
            } catch {
                result.rejected += 1
                if error.message.isEmpty { result.failures.append("\(text.debugDescription): empty rejection") }
            }
        }
        return result
    }

    static func template(_ n: Int, _ rng: inout Random) -> Result {
        let tokens = ["{{", "}}", "{{name}}", "{{#if python}}", "{{else}}", "{{/if}}", "{{#each limits}}", "{{.}}", "{{/each}}",
                      "{{#unless typescript}}", "{{/unless}}", "\\{{", "\n", " ", "a", "{", "}", "#", "é", "{{ }}", "{{nope}}"]
        let seeds = ["# {{name}}\n{{#each limits}}\n- {{.}}\n{{/each}}\n", "{{#if python}}\npip\n{{else}}\nnpm\n{{/if}}\n", "x: \\{{resolve:ssm:/p}}\n"]
        let variables: [String: Template.Value] = ["name": .string("demo"), "python": .bool(true), "typescript": .bool(false), "limits": .list(["a", "b"])]
        var result = Result(target: "template", inputs: n, accepted: 0, rejected: 0, failures: [])
        for _ in 0..<n {
            let text = input(&rng, tokens: tokens, seeds: seeds)
            do {
                let parsed = try Template(text)
                do { _ = try parsed.render(variables); result.accepted += 1 } catch {
                    result.rejected += 1
                    if error.message.isEmpty || error.line < 1 { result.failures.append("\(text.debugDescription): unlocated render error") }
                }
            } catch {
                result.rejected += 1
                if error.message.isEmpty || error.line < 1 { result.failures.append("\(text.debugDescription): unlocated parse error") }
            }
        }
        return result
    }

    /// Mutated copies of the shipped rule set, one file changed at a time, loaded from memory.
    static func rules(_ n: Int, _ rng: inout Random) -> Result {
        let original = RuleFiles.builtIn
        let files = ["questions.json", "tree.json", "patterns.json", "warnings.json", "limits.json", "sources.json"]
            + original.keys.filter { $0.hasSuffix(".json") && !$0.hasPrefix("scaffolds/") && !["comparisons.json"].contains($0) && !["questions.json", "tree.json", "patterns.json", "warnings.json", "limits.json", "sources.json"].contains($0) }.sorted()
        let tokens = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e999", "-", "\"when\": \"duration >\"", "\"x\": 1", "\\u0000", "\"15m\""]
        var result = Result(target: "rules", inputs: n, accepted: 0, rejected: 0, failures: [])
        for _ in 0..<n {
            var set = original
            let file = files.randomElement(using: &rng)!
            set[file] = mutate(original[file] ?? "", &rng, tokens: tokens, rounds: Int.random(in: 1...3, using: &rng))
            do {
                _ = try RuleSet.load(.memory(set))
                result.accepted += 1
            } catch {
                result.rejected += 1
                if error.problems.isEmpty || error.problems.contains(where: { $0.message.isEmpty }) {
                    result.failures.append("\(file): a rejection without a message")
                }
            }
        }
        return result
    }

    /// Mutated design files through the same reader `check` uses.
    static func design(_ n: Int, _ rng: inout Random) -> Result {
        let rules: RuleSet
        do { rules = try RuleSet.load(.embedded) } catch { return Result(target: "design", inputs: 0, accepted: 0, rejected: 0, failures: ["built-in rules do not load"]) }
        let seed = """
        {"workloads": [
          {"name": "report-export", "pattern": "sqs-queue", "duration": "4m", "response": "ack", "retry": "guaranteed"},
          {"name": "thumbnail", "pattern": "sync", "duration": "2s", "response": "result", "memory": 512},
          {"name": "nightly", "pattern": "eventbridge-schedule", "duration": "45m", "trigger": "schedule", "splittable": true}
        ]}
        """
        let tokens = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e999", "\"pattern\": \"nope\"", "\"duration\": \"90\"", "\"x\": 1", "\"name\": \"thumbnail\""]
        var result = Result(target: "design", inputs: n, accepted: 0, rejected: 0, failures: [])
        for _ in 0..<n {
            let text = mutate(seed, &rng, tokens: tokens, rounds: Int.random(in: 1...4, using: &rng))
            do {
                _ = try CheckDocument.read(text, path: "design.json", rules: rules)
                result.accepted += 1
            } catch {
                result.rejected += 1
                if error.problems.isEmpty || error.problems.contains(where: { $0.message.isEmpty }) {
                    result.failures.append("\(text.debugDescription): a rejection without a message")
                }
            }
        }
        return result
    }
}
