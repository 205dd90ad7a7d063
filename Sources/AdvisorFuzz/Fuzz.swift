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

    public static let targets = ["duration", "rate", "volume", "expression", "template", "rules", "design", "design-split", "snapshot", "cloudformation"]

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
        case "design-split": return designSplit(iterations, &rng)
        case "snapshot": return snapshot(iterations, &rng)
        case "cloudformation": return cloudFormation(iterations, &rng)
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

    /// What one input came to: accepted (and, if it did not behave, why), or rejected with this message.
    enum Outcome {
        case accepted(breach: String? = nil)
        case rejected(message: String)
    }

    /// Feeds `n` inputs from `next` to `attempt` and tallies the outcomes; a breach or an empty rejection
    /// message is a failure.
    static func campaign(_ target: String, _ n: Int, next: () -> String, attempt: (String) -> Outcome) -> Result {
        var result = Result(target: target, inputs: n, accepted: 0, rejected: 0, failures: [])
        for _ in 0..<n {
            let text = next()
            switch attempt(text) {
            case .accepted(let breach):
                result.accepted += 1
                if let breach { result.failures.append("\(text.debugDescription) → \(breach)") }
            case .rejected(let message):
                result.rejected += 1
                if message.isEmpty { result.failures.append("\(text.debugDescription): a rejection without a (located) message") }
            }
        }
        return result
    }

    static func duration(_ n: Int, _ rng: inout Random) -> Result {
        let tokens = ["1", "0", "9", "29", "15", ".", "5", "ms", "s", "m", "h", "d", " ", "-", "e9", "µ", "h30", "1e308", "nan", "∞"]
        let seeds = ["800ms", "45s", "4m", "1h30m", "1.5m", "2d", "29s", "15m", "1h 30m"]
        return campaign("duration", n, next: { input(&rng, tokens: tokens, seeds: seeds) }) { text in
            do throws(Duration.ParseError) {
                let seconds = try Duration.parse(text).seconds
                let again = try? Duration.parse(Duration.format(seconds))
                let roundTrips = seconds >= 0.001 && seconds.isFinite && again.map { abs($0.seconds - seconds) <= max(seconds * 1e-9, 0.0005) } == true
                return .accepted(breach: roundTrips ? nil : "\(seconds) s does not format and parse back (\(Duration.format(seconds)))")
            } catch { return .rejected(message: error.message) }
        }
    }

    static func rate(_ n: Int, _ rng: inout Random) -> Result {
        let tokens = ["5", "300", "2", "k", "M", "/", "s", "min", "h", "month", ".", " ", "-", "0", "1e300", "K"]
        let seeds = ["5/s", "300/min", "2k/s", "40/h", "1.5k/min", "10000/s"]
        return campaign("rate", n, next: { input(&rng, tokens: tokens, seeds: seeds) }) { text in
            do throws(Rate.ParseError) {
                let perSecond = try Rate.parse(text).perSecond
                let again = try? Rate.parse(Rate.format(perSecond))
                let roundTrips = perSecond >= 0 && perSecond.isFinite && again.map { abs($0.perSecond - perSecond) <= perSecond * 1e-3 + 1e-9 } == true
                return .accepted(breach: roundTrips ? nil : "\(perSecond)/s does not format and parse back (\(Rate.format(perSecond)))")
            } catch { return .rejected(message: error.message) }
        }
    }

    static func volume(_ n: Int, _ rng: inout Random) -> Result {
        let tokens = ["100", "3", "k", "M", "/", "month", "s", ".", " ", "-", "0", "1e300"]
        let seeds = ["100k/month", "3M/month", "1/month", "2.5M/month"]
        return campaign("volume", n, next: { input(&rng, tokens: tokens, seeds: seeds) }) { text in
            do throws(Rate.ParseError) {
                let perMonth = try Rate.parseVolume(text)
                return .accepted(breach: perMonth >= 0 && perMonth.isFinite ? nil : "\(perMonth) a month")
            } catch { return .rejected(message: error.message) }
        }
    }

    static func expression(_ n: Int, _ rng: inout Random) -> Result {
        let tokens = ["duration", "window", " ", "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", "<", "<=", "==", "!=", "&&", "||", "!",
                      "1", "0", "15m", "29s", "'ack'", "min(", "max(", "ceil(", "dur(", "money(", "rate(", "x", "1e308", ".", "'", "\"", "in"]
        let seeds = ["duration > 15m && splittable == 'no'", "volume * avgDuration * memory / 1024", "min(duration, window) * 5 >= window * 4",
                     "ceil(volume / 1000) * 0.025", "response in ['ack', 'status']", "!(trigger == 'event') || duration <= 15m"]
        let scope = Scope(["duration": .number(240), "window": .number(29), "splittable": .string("no"), "volume": .number(100_000),
                           "avgDuration": .number(120), "memory": .number(1024), "response": .string("ack"), "trigger": .string("request")])
        return campaign("expression", n, next: { input(&rng, tokens: tokens, seeds: seeds) }) { text in
            let parsed: Expression
            do throws(Expression.Error) { parsed = try Expression.parse(text) } catch { return .rejected(message: error.message) }
            do throws(Expression.Error) { _ = try parsed.evaluate(scope) } catch {
                if error.message.isEmpty { return .accepted(breach: "an empty evaluation error") }
            }
            return .accepted()
        }
    }

    static func template(_ n: Int, _ rng: inout Random) -> Result {
        let tokens = ["{{", "}}", "{{name}}", "{{#if python}}", "{{else}}", "{{/if}}", "{{#each limits}}", "{{.}}", "{{/each}}",
                      "{{#unless typescript}}", "{{/unless}}", "\\{{", "\n", " ", "a", "{", "}", "#", "é", "{{ }}", "{{nope}}"]
        let seeds = ["# {{name}}\n{{#each limits}}\n- {{.}}\n{{/each}}\n", "{{#if python}}\npip\n{{else}}\nnpm\n{{/if}}\n", "x: \\{{resolve:ssm:/p}}\n"]
        let variables: [String: Template.Value] = ["name": .string("demo"), "python": .bool(true), "typescript": .bool(false), "limits": .list(["a", "b"])]
        return campaign("template", n, next: { input(&rng, tokens: tokens, seeds: seeds) }) { text in
            do throws(Template.Error) {
                _ = try Template(text).render(variables)
                return .accepted()
            } catch { return .rejected(message: error.line < 1 ? "" : error.message) }
        }
    }

    /// Mutated copies of the shipped rule set, one file changed at a time, loaded from memory. (comparisons.json
    /// is read only by the commands that show it, not by `RuleSet.load`.)
    static func rules(_ n: Int, _ rng: inout Random) -> Result {
        let original = RuleFiles.builtIn
        let files = original.keys.filter { $0.hasSuffix(".json") && !$0.contains("/") && $0 != "comparisons.json" }.sorted()
        let tokens = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e999", "-", "\"when\": \"duration >\"", "\"x\": 1", "\\u0000", "\"15m\""]
        var set = original
        return campaign("rules", n, next: {
            set = original
            let file = files.randomElement(using: &rng)!
            let mutated = mutate(original[file] ?? "", &rng, tokens: tokens, rounds: Int.random(in: 1...3, using: &rng))
            set[file] = mutated
            return file + ": " + String(mutated.prefix(60))
        }) { _ in
            do throws(RuleSetError) {
                _ = try RuleSet.load(.memory(set))
                return .accepted()
            } catch {
                return .rejected(message: error.problems.contains(where: { $0.message.isEmpty }) ? "" : error.problems.map(\.message).joined(separator: "; "))
            }
        }
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
        return campaign("design", n, next: { mutate(seed, &rng, tokens: tokens, rounds: Int.random(in: 1...4, using: &rng)) }) { text in
            do throws(DesignFileError) {
                _ = try CheckDocument.read(text, path: "design.json", rules: rules)
                return .accepted()
            } catch {
                return .rejected(message: error.problems.contains(where: { $0.message.isEmpty }) ? "" : error.problems.map(\.message).joined(separator: "; "))
            }
        }
    }

    /// Mutated design files read as `check` reads a large one — cut into pieces at workload boundaries by
    /// a byte scan, each piece read on its own (`DesignFile.readInPieces`, pieces of 1–64 bytes so every
    /// file is cut many times) — against the whole-file reader: the same workloads at the same lines and
    /// columns, the same problems in the same order; where the split declines, the whole-file reader must
    /// reject the text or the file must not be the plain `{"workloads": [ … ]}` the split takes.
    static func designSplit(_ n: Int, _ rng: inout Random) -> Result {
        let rules: RuleSet
        do { rules = try RuleSet.load(.embedded) } catch { return Result(target: "design-split", inputs: 0, accepted: 0, rejected: 0, failures: ["built-in rules do not load"]) }
        let seeds = [
            """
            {"workloads": [
              {"name": "report-export", "pattern": "sqs-queue", "duration": "4m", "response": "ack", "retry": "guaranteed"},
              {"name": "thumb, \\"nail\\" [x] {y}", "pattern": "sync", "duration": "2s", "response": "result", "memory": 512},
              {"name": "nightly", "pattern": "eventbridge-schedule", "duration": "45m", "trigger": "schedule", "splittable": true,
               "acknowledge": [{"id": "no-failure-destination", "reason": "DLQ alarm, \\u00e9 ],["}]},
              {"name": "étoile ✓", "pattern": "step-functions-standard", "duration": "2h", "response": "ack", "function": "Worker"}
            ]}
            """,
            "\u{FEFF}{ \"workloads\" :\n[{\"name\":\"a\",\"pattern\":\"sync\",\"duration\":\"1s\"},\r\n{\"name\":\"a\",\"pattern\":\"synk\",\"duration\":\"9x\"}, 3, [], {}]\n}\n",
        ]
        let tokens = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\\"", "\n", "null", "true", "\"pattern\": \"nope\"", "\"x\": 1",
                      "{\"name\": \"a\", \"pattern\": \"sync\", \"duration\": \"3s\"}", ", {\"name\": \"b\"}", "\"name\": \"thumbnail\""]
        func same(_ x: Workload, _ y: Workload) -> Bool {
            guard x.name == y.name, x.pattern == y.pattern, x.origin == y.origin else { return false }
            guard x.function == y.function, x.acknowledged == y.acknowledged else { return false }
            let ids = rules.inputs.map(\.id)
            let left: [String] = ids.map { x.answers.text($0, rules: rules) ?? "-" }
            let right: [String] = ids.map { y.answers.text($0, rules: rules) ?? "-" }
            return left == right
        }
        func same(_ a: [Workload], _ b: [Workload]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        }
        return campaign("design-split", n, next: { mutate(seeds.randomElement(using: &rng)!, &rng, tokens: tokens, rounds: Int.random(in: 0...3, using: &rng)) }) { text in
            let pieceSize = Int.random(in: 1...64, using: &rng)
            let whole: Swift.Result<CheckDocument, DesignFileError> = Swift.Result { () throws(DesignFileError) in try CheckDocument.read(text, path: "d.json", rules: rules) }
            let split = DesignFile.readInPieces(text, path: "d.json", rules: rules, pieceSize: pieceSize)
            switch (whole, split) {
            case (.success(.design(let file)), .success(let pieces)?):
                return .accepted(breach: same(file.workloads, pieces.workloads) ? nil : "the pieces give other workloads than the whole file")
            case (.failure(let error), .failure(let pieces)?):
                return error.problems == pieces.problems ? .rejected(message: error.problems.map(\.message).joined(separator: "; "))
                    : .accepted(breach: "the pieces give other problems: \(pieces.problems) instead of \(error.problems)")
            case (_, nil):
                // Declined: fine unless the file is valid JSON of exactly the shape the split takes.
                if case .success(let json) = Swift.Result(catching: { () throws(JSONReader.SyntaxError) in try JSONReader.read(text) }),
                   case .object(let members) = json.kind, members.count == 1, members[0].key == "workloads",
                   case .array(let items) = members[0].value.kind, !items.isEmpty, text.contains("\"workloads\"") {
                    return .accepted(breach: "the split declines a plain design file")
                }
                if case .failure(let error) = whole { return .rejected(message: error.problems.map(\.message).joined(separator: "; ")) }
                return .accepted()
            case (.success(.template), _):
                return .accepted(breach: "a design-shaped text read as a template")
            case (.success, .failure(let pieces)?):
                return .accepted(breach: "the pieces find problems the whole file does not: \(pieces.problems)")
            case (.failure(let error), .success?):
                return .accepted(breach: "the pieces accept what the whole file rejects: \(error.problems)")
            }
        }
    }

    /// Mutated SAM/CloudFormation templates through the YAML reader, `Fn::ForEach` and the whole template check:
    /// read and checked, or refused with a located message — never a crash, never an empty finding.
    static func cloudFormation(_ n: Int, _ rng: inout Random) -> Result {
        let rules: RuleSet
        let findings: TemplateRules
        do { rules = try RuleSet.load(.embedded); findings = try rules.templateFindings() } catch {
            return Result(target: "cloudformation", inputs: 0, accepted: 0, rejected: 0, failures: ["built-in rules do not load"])
        }
        let seeds = [
            """
            Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
            Parameters:
              Names: {Type: CommaDelimitedList, Default: "a,b"}
            Globals:
              Function: {Timeout: 60}
            Resources:
              Fn::ForEach::Loop:
                - Name
                - !Ref Names
                - ${Name}Queue: {Type: AWS::SQS::Queue, Properties: {VisibilityTimeout
                    : 30}}
                  ${Name}Worker:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Work: {Type: SQS, Properties: {Queue: !GetAtt "${Name}Queue.Arn"}}
                        Get: {Type: Api, Properties: {Path: /x, Method: get}}
              Module:
                Type: !Rain::Module ./vpc.yaml
            """,
            """
            AWSTemplateFormatVersion: '2010-09-09'
            Resources:
              Pool:
                Type: AWS::Cognito::UserPool
                Properties: {LambdaConfig: {PreSignUp: !GetAtt Check.Arn}}
              Check:
                Type: AWS::Lambda::Function
                Properties:
                  Timeout: 10
                  Code:
                    ZipFile: |

                      def handler(event, context):
                          return event
              Group:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties: {TargetType: lambda, Targets: [{Id: !GetAtt Check.Arn}]}
              Flow:
                Type: AWS::StepFunctions::StateMachine
                Properties: {StateMachineType: EXPRESS, DefinitionString: !Sub "${Check.Arn}"}
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  DefinitionBody:
                    Fn::Transform: {Name: AWS::Include, Parameters: {Location: ./nothere.yaml}}
            """,
        ]
        let tokens = ["Fn::ForEach::X", "- ", "\n", "  ", "\t", "{", "}", "[", "]", ": ", "!Ref ", "!GetAtt ", "${Name}", "&{Name}", "|", ">-", "|2+",
                      "\n\n      \n", "Type: ", "AWS::Lambda::Function", "Timeout: 901", "*a", "&a ", "\"", "'", "#"]
        return campaign("cloudformation", n, next: { input(&rng, tokens: tokens, seeds: seeds) }) { text in
            do throws(DesignFileError) {
                guard let template = try CheckDocument.read(text, path: "t.yaml", rules: rules).template else { return .accepted() }
                let report = TemplateCheck.check(template, rules: findings)
                if let empty = report.findings.first(where: { $0.message.isEmpty || $0.location.line < 1 }) { return .accepted(breach: "finding \(empty.id) without a message or line") }
                return .accepted()
            } catch {
                let located = error.problems.allSatisfy { !$0.message.isEmpty && $0.location.line >= 1 && $0.location.column >= 1 }
                return .rejected(message: located ? error.problems.map(\.message).joined(separator: "; ") : "")
            }
        }
    }

    /// Mutated snapshots of the built-in rules (see RuleSnapshot): refused with a reason or read, never a crash.
    static func snapshot(_ n: Int, _ rng: inout Random) -> Result {
        let digest = RuleSnapshot.digest(RuleFiles.builtIn)
        let text: String
        do { text = RuleSnapshot.encode(try RuleSet.compile(.embedded), digest: digest) } catch {
            return Result(target: "snapshot", inputs: 0, accepted: 0, rejected: 0, failures: ["built-in rules do not compile"])
        }
        let tokens = [";", "S", "N", "T", "F", "0", "9", "-", "18;", "999999999999;", "3;abc", "-1;"]
        return campaign("snapshot", n, next: { mutate(text, &rng, tokens: tokens, rounds: Int.random(in: 1...3, using: &rng)) }) { mutated in
            do throws(RuleSnapshot.Failure) {
                let rules = try RuleSnapshot.decode(mutated, digest: digest, files: .embedded)
                _ = RuleSnapshot.encode(rules, digest: digest)
                return .accepted()
            } catch {
                return .rejected(message: error.description)
            }
        }
    }
}
