/// A scaffold sized for a workload (SPEC §9): the workload a project is written for, the sizing rules of
/// `rules/scaffolds/sizing.json`, and the template variables they give. The rules hold every figure (the
/// headroom, the visibility multiple, the AWS limits of each setting); this file only does their arithmetic.
extension Scaffold {
    /// The workload a project is written for: the pattern, the resolved answers, and the inputs as given
    /// (design-file key → text, in rule order), which the project's `async-advisor.json` carries.
    public struct Workload: Sendable {
        public var name: String
        public var pattern: String
        public var answers: Answers
        public var given: [(key: String, value: String)]

        public init(name: String, pattern: String, answers: Answers, given: [(key: String, value: String)]) {
            self.name = name; self.pattern = pattern; self.answers = answers; self.given = given
        }

        /// Resolves raw inputs (input id → text, as flags give them) into a workload; a bad value or a missing
        /// required input is the `Answers` problem, worded with flags.
        public static func resolve(name: String, pattern: String, raw: [String: String], rules: RuleSet) throws(Answers.Problem) -> Workload {
            let answers = try Answers.resolve(raw, rules: rules)
            let given = rules.inputs.compactMap { input in raw[input.id].map { (key: input.designKey, value: $0) } }
            return Workload(name: name, pattern: pattern, answers: answers, given: given)
        }

        /// The pattern's own sample workload (`workload` in its scaffold.json), with the defaults of §2 for
        /// every input it does not set: what `scaffold ID` alone writes.
        public static func sample(of manifest: Manifest, name: String, rules: RuleSet) throws(Answers.Problem) -> Workload {
            var raw: [String: String] = [:]
            for (key, value) in manifest.workload {
                if let input = rules.inputs.first(where: { $0.designKey == key }) { raw[input.id] = value }
            }
            return try resolve(name: name, pattern: manifest.pattern, raw: raw, rules: rules)
        }
    }

    /// The figures of `rules/scaffolds/sizing.json`.
    public struct SizingRules: Sendable {
        public var headroom: Double, minimumExtra: Double, maximumTimeout: Double, itemPatterns: [String], leaseMultiple: Int, doorPatterns: [String: String]
        public var visibilityMultiple: Double, batchSize: Int, batchingWindow: Int, singleMessageFrom: Double
        public var maxReceiveCount: Int, retention: Int, deadLetterRetention: Int
        public var mappingMinimum: Int, mappingMaximum: Int, unreserved: Int, reservedMinimum: Int, cite: String
        public var architectures: [String: String]
        public var minimumPeriod: Double

        static let path = root + "sizing.json"

        public static func load(_ files: RuleFiles) throws(RuleSetError) -> SizingRules {
            try files.decode(SizingRules.self, from: path).0
        }
    }

    /// The numbers one workload gives a project. Every function that runs the task takes `timeout`, `memory`
    /// and `architecture`; queues, mappings and schedules take the rest.
    public struct Sizing: Sendable, Equatable {
        public var timeout: Int
        /// How long an idempotency claim is held before another attempt may take it over.
        public var leaseSeconds: Int
        public var memory: Int
        public var architecture: String
        public var visibilityTimeout: Int
        public var batchSize: Int
        public var batchingWindow: Int
        public var maxReceiveCount: Int
        public var queueRetention: Int
        public var deadLetterRetention: Int
        /// The concurrency the workload needs (§4), rounded up.
        public var needed: Int
        public var mappingConcurrency: Int
        /// nil when the account's limit leaves nothing to reserve (a limit of 100 or less).
        public var reservedConcurrency: Int?
        /// How the concurrency was worked out (`5/s × 2m = 600 concurrent (…)`), before any cap.
        public var concurrencyHow: String
        public var mappingNote: String
        public var reservedNote: String
        public var scheduleExpression: String
        public var trigger: String
        public var entry: String
        public var stream: Bool
        public var sender: String
        /// The window of the door the function answers through, whole seconds (0 when it answers through none).
        public var doorWindow: Int

        /// Works the numbers out from the resolved inputs. `single` lists the patterns whose one invocation runs
        /// the whole task, `active` those whose Lambda tasks are held for the active time only (the lists of
        /// `workload-timeout-short` and `workload-concurrency-cap`, so the project and `check` agree).
        public static func of(_ workload: Workload, rules: RuleSet, sizing: SizingRules, findings: TemplateRules) -> Sizing {
            let scope = workload.answers.scope(rules: rules)
            func number(_ name: String) -> Double? { if case .number(let value)? = scope[name] { return value }; return nil }
            func word(_ name: String) -> String { if case .string(let value)? = scope[name] { return value }; return "" }
            func text(_ id: String) -> String { workload.answers.text(id, rules: rules) ?? "?" }
            let single = findings.words("workload-timeout-short", "patterns").contains(workload.pattern)
            let active = findings.words("workload-concurrency-cap", "activePatterns").contains(workload.pattern)

            let duration = number("duration") ?? 0
            let basis: Double
            if single { basis = duration }
            else if sizing.itemPatterns.contains(workload.pattern) { basis = min(duration / max(1, number("batchItems") ?? 1), sizing.maximumTimeout) }
            else if active { basis = min(number("activeDuration") ?? duration, sizing.maximumTimeout) }
            else { basis = min(duration, sizing.maximumTimeout) }
            // To the millisecond first: 180 × 1.1 is 198.00000000000003 in binary, and 198 s is meant.
            let headroom = max(basis * (1 + sizing.headroom), basis + sizing.minimumExtra)
            var timeout = Int(min(sizing.maximumTimeout, ((headroom * 1000).rounded() / 1000).rounded(.up)))
            let door = sizing.doorPatterns[workload.pattern].flatMap { number($0) }.flatMap { $0 > 0 ? $0 : nil }
            if let door { timeout = min(timeout, Int(door.rounded(.down))) }
            let oneAtATime = duration >= sizing.singleMessageFrom
            let batchSize = oneAtATime ? 1 : sizing.batchSize
            let window = oneAtATime ? 0 : sizing.batchingWindow
            let visibility = Int((Double(timeout) * sizing.visibilityMultiple).rounded(.up)) + window

            let throughput = number("throughput") ?? 0
            let time = active ? (number("activeDuration") ?? duration) : duration
            let needed = max(1, Int((throughput * time).rounded(.up)))
            let limit = Int(number("concurrencyLimit") ?? 1000)
            let how = "\(text("throughput")) × \(active ? text("activeDuration") + " of compute" : text("duration")) = \(Value.formatNumber(Double(needed))) concurrent (\(sizing.cite))"
            let mappingCap = min(sizing.mappingMaximum, limit)
            let mapping = max(sizing.mappingMinimum, min(needed, mappingCap))
            var mappingNote = how
            if needed > mappingCap { mappingNote += ", capped at \(mappingCap) (" + (mappingCap == limit ? "the account's --concurrency-limit" : "the most MaximumConcurrency takes") + ")" }
            if needed < sizing.mappingMinimum { mappingNote += ", raised to \(sizing.mappingMinimum) (the least MaximumConcurrency takes)" }
            let reservable = limit - sizing.unreserved
            let reserved = reservable >= 1 ? min(max(needed, sizing.reservedMinimum), reservable) : nil
            var reservedNote = how
            if let reserved, reserved < needed { reservedNote += ", capped at \(reserved) (--concurrency-limit \(limit) less the \(sizing.unreserved) Lambda keeps unreserved)" }
            if let reserved, reserved > needed { reservedNote += ", raised to \(reserved) for bursts above the average rate" }

            // One run every 1/throughput, in whole minutes, at least one minute.
            let period = throughput > 0 ? max(sizing.minimumPeriod, 1 / throughput) : 86400
            let minutes = max(1, Int((period / 60).rounded()))
            let schedule: String
            if minutes % 1440 == 0 { schedule = plural(minutes / 1440, "day") }
            else if minutes % 60 == 0 { schedule = plural(minutes / 60, "hour") }
            else { schedule = plural(minutes, "minute") }

            let memory = Int(number("memory") ?? 1024)
            let arch = word("arch")
            return Sizing(timeout: timeout, leaseSeconds: timeout * sizing.leaseMultiple, memory: memory, architecture: sizing.architectures[arch] ?? arch,
                          visibilityTimeout: visibility, batchSize: batchSize, batchingWindow: window,
                          maxReceiveCount: sizing.maxReceiveCount, queueRetention: sizing.retention, deadLetterRetention: sizing.deadLetterRetention,
                          needed: needed, mappingConcurrency: mapping, reservedConcurrency: reserved,
                          concurrencyHow: how, mappingNote: mappingNote, reservedNote: reservedNote, scheduleExpression: "rate(\(schedule))",
                          trigger: word("trigger"), entry: word("entry"), stream: word("stream") == "yes", sender: word("sender"),
                          doorWindow: Int((door ?? number("window") ?? 0).rounded(.down)))
        }

        /// One sentence for the project's README: what the workload set, in the template's own words.
        public func summary(task: String?) -> String {
            var parts = ["every function runs on \(architecture)"]
            if let task {
                parts.append("`\(task)` has Timeout \(timeout) s (the task's duration with headroom) and MemorySize \(memory) MB")
                parts.append("its concurrency cap starts from what the workload needs, \(concurrencyHow)")
            }
            return parts.joined(separator: "; ")
        }

        static func plural(_ count: Int, _ unit: String) -> String { "\(count) \(unit)\(count == 1 ? "" : "s")" }

        /// The template variables (docs/scaffold-format.md, "Workload variables").
        public var variables: [String: Template.Value] {
            var values: [String: Template.Value] = [
                "timeout": .string(String(timeout)), "leaseSeconds": .string(String(leaseSeconds)), "arm64": .bool(architecture == "arm64"), "memory": .string(String(memory)), "architecture": .string(architecture),
                "visibilityTimeout": .string(String(visibilityTimeout)), "batchSize": .string(String(batchSize)),
                "batchingWindow": .string(String(batchingWindow)), "maxReceiveCount": .string(String(maxReceiveCount)),
                "queueRetention": .string(String(queueRetention)), "deadLetterRetention": .string(String(deadLetterRetention)),
                "concurrencyNeeded": .string(String(needed)), "mappingConcurrency": .string(String(mappingConcurrency)),
                "reservedConcurrency": .string(reservedConcurrency.map(String.init) ?? ""),
                "mappingConcurrencyNote": .string(mappingNote), "reservedConcurrencyNote": .string(reservedNote),
                "scheduleExpression": .string(scheduleExpression), "doorWindow": .string(String(doorWindow)),
                "doorWindowMillis": .string(String(doorWindow * 1000)),
                "trigger": .string(trigger), "entry": .string(entry), "sender": .string(sender), "stream": .bool(stream),
            ]
            for name in Self.triggers { values["trigger" + pascal(name)] = .bool(trigger == name) }
            for name in Self.entries { values["entry" + pascal(name)] = .bool(entry == name) }
            return values
        }

        static let triggers = ["request", "webhook", "event", "schedule"]
        static let entries = ["api-gateway", "http-api", "appsync", "function-url", "alb", "direct"]

        /// Sizing with every variable set, for `rules lint` to know the names.
        static let placeholder = Sizing(timeout: 1, leaseSeconds: 2, memory: 128, architecture: "x86_64", visibilityTimeout: 6, batchSize: 1, batchingWindow: 0,
                                        maxReceiveCount: 1, queueRetention: 1, deadLetterRetention: 2, needed: 1, mappingConcurrency: 2,
                                        reservedConcurrency: 1, concurrencyHow: "", mappingNote: "", reservedNote: "", scheduleExpression: "rate(1 day)",
                                        trigger: "request", entry: "api-gateway", stream: false, sender: "generic", doorWindow: 29)
    }

    /// The project's `async-advisor.json`: a design file whose one workload names the template's function
    /// that runs the task, so `async-advisor check async-advisor.json template.yaml` holds the template to it.
    /// Of the warnings the template answers (`answered`), those the workload raises are acknowledged, each with its reason.
    public static func designFile(_ workload: Workload, function: String?, answered: [String] = [], rules: RuleSet) -> String {
        var members: [(key: String, value: JSONValue)] = [("name", .string(workload.name)), ("pattern", .string(workload.pattern))]
        if let function { members.append(("function", .string(function))) }
        for (key, value) in workload.given { members.append((key, .string(value))) }
        if !answered.isEmpty {
            let check = AdvisorCore.Workload(name: workload.name, pattern: workload.pattern, answers: workload.answers, origin: .commandLine)
            let raised = Set(((try? DesignCheck(rules: rules).check(check))?.findings ?? []).filter { $0.severity == .warning }.map(\.id))
            let handled = answered.filter(raised.contains)
            if !handled.isEmpty {
                members.append(("acknowledge", .array(handled.map { id in
                    .object([("id", .string(id)), ("reason", .string("this project's template.yaml answers it, as async-advisor scaffold wrote it"))])
                })))
            }
        }
        return JSONWriter.write(.object([("workloads", .array([.object(members)]))])) + "\n"
    }
}

extension Scaffold.SizingRules: JSONReadable {
    init(json: JSONNode) throws(LocatedDecodingError) {
        let timeout = try json.required("timeout"), queue = try json.required("queue")
        let concurrency = try json.required("concurrency"), schedule = try json.required("schedule")
        headroom = try timeout.number("headroom")
        minimumExtra = try timeout.number("minimumExtra")
        maximumTimeout = try timeout.number("maximum")
        itemPatterns = try timeout.strings("itemPatterns")
        leaseMultiple = try timeout.int("leaseMultiple")
        doorPatterns = try timeout.stringMap("doorPatterns")
        visibilityMultiple = try queue.number("visibilityMultiple")
        batchSize = try queue.int("batchSize")
        batchingWindow = try queue.int("batchingWindow")
        singleMessageFrom = try queue.number("singleMessageFrom")
        maxReceiveCount = try queue.int("maxReceiveCount")
        retention = try queue.int("retention")
        deadLetterRetention = try queue.int("deadLetterRetention")
        mappingMinimum = try concurrency.int("mappingMinimum")
        mappingMaximum = try concurrency.int("mappingMaximum")
        unreserved = try concurrency.int("unreserved")
        reservedMinimum = try concurrency.int("reservedMinimum")
        cite = try concurrency.string("cite")
        architectures = try json.stringMap("architectures")
        minimumPeriod = try schedule.number("minimumPeriod")
        guard deadLetterRetention > retention else {
            throw queue.fail("deadLetterRetention (\(deadLetterRetention)) must be longer than retention (\(retention)): a redriven message would be dropped on arrival")
        }
    }
}
