import YAML

/// The findings of SPEC §7 on one template: where limits chain across resources — a timeout against its
/// doors' windows, a queue's visibility against its consumer's timeout, asynchronous and stream sources
/// against their failure paths, a durable execution against what caps it. What each finding is called, its
/// severity, message and thresholds come from `rules/template-findings.json`; this file decides only what
/// the graph says. Findings come in resource order; a resource's `Metadata: {async-advisor: {ignore: [ID, …]}}`
/// drops the ids it lists.
public enum TemplateCheck {
    /// What the check says about one template file.
    public struct Report: Sendable {
        public var path: String
        public var findings: [TemplateFinding]
        /// What was passed over, and why (SPEC §7): shown, never counted.
        public var notes: [TemplateNote] = []
        /// What a design file's workload naming one of the functions is held against (`workload-*`).
        public var functions: [FunctionSummary] = []
    }

    /// The few facts of a function a workload is checked against, kept after the template itself is gone.
    public struct FunctionSummary: Sendable {
        public var id: String
        public var location: SourceLocation
        public var timeout: Double?
        public var memory: Double?
        /// The kinds of door in front of it (`rest`, `http`, `alb`, `function-url`, …).
        public var doorKinds: Set<String>
        public var reservedConcurrency: Double?
        /// Mappings that cap its concurrency: a SAM event's name, or an event source mapping (with its place).
        public var mappings: [(name: String, resource: String?, location: SourceLocation?, maximum: Double)]
        public var ignored: Set<String>
    }

    /// Reports on many templates, checked on every core, in order.
    public static func check(_ templates: [TemplateFile], rules: TemplateRules) -> [Report] {
        Parallel.map(templates, minimumChunk: 16) { check($0, rules: rules) }
    }

    /// `keeping`: the functions whose summaries to keep for the `workload-*` findings (`nil`: all of them);
    /// a run keeps only those its design files name, so thousands of templates hold no more than findings.
    public static func check(_ template: TemplateFile, rules: TemplateRules, keeping named: Set<String>? = nil) -> Report {
        let (wiring, unguardedMappings) = FunctionWiring.build(template, rules: rules)
        var timeouts: [String: Timeout] = [:]
        for resource in template.resources where FunctionWiring.functionTypes.contains(resource.type) {
            timeouts[resource.id] = timeout(of: resource, in: template, rules: rules)
        }
        var feeders: [String: [(function: String, source: FunctionWiring.QueueSource)]] = [:]
        for resource in template.resources {
            for source in wiring[resource.id]?.queueSources ?? [] { feeders[source.queue, default: []].append((resource.id, source)) }
        }
        let unguarded = Set(unguardedMappings)
        let failureTargets = failureTargets(template)

        var findings: [TemplateFinding] = []
        var globalDoors: [(function: String, doors: [FunctionWiring.Door])] = []
        var functions: [FunctionSummary] = []
        for resource in template.resources {
            var found: [(String, String)] = []
            let ignored = ignoredIDs(resource)
            if let own = wiring[resource.id], let timeout = timeouts[resource.id] {
                found = functionFindings(resource, own, timeout, template, rules)
                if timeout.fromGlobals, let closing = closingDoors(own, timeout), !closing.isEmpty, !ignored.contains("door-closes-first") {
                    globalDoors.append((resource.id, closing))
                }
                if named?.contains(resource.id) ?? true { functions.append(summary(resource, own, timeout, template, rules, ignored: ignored)) }
            } else if resource.type == "AWS::SQS::Queue", let fed = feeders[resource.id] {
                found = queueFindings(resource, fed, timeouts, template, rules, isFailureTarget: failureTargets.contains(resource.id))
            } else if unguarded.contains(resource.id),
                      let message = rules.message("stream-no-failure-destination", variant: "mapping", [:]) {
                found = [("stream-no-failure-destination", message)]
            }
            for (id, message) in found where !ignored.contains(id) {
                guard let rule = rules.rule(id) else { continue }
                findings.append(TemplateFinding(id: id, severity: rule.severity, resource: resource.id, location: resource.location, message: message))
            }
        }
        if !globalDoors.isEmpty, let location = template.globalTimeoutLocation, let rule = rules.rule("door-closes-first"),
           let t = template.functionGlobals?["Timeout"].flatMap(template.number) {
            let doors = globalDoors.flatMap { entry in entry.doors.map { "\($0.name) of '\(entry.function)' closes at \(format($0.window!))" } }
            let shortest = globalDoors.flatMap { $0.doors.compactMap(\.window) }.min()!
            let kinds = Set(globalDoors.flatMap { $0.doors.map(\.kind) })
            if let message = rules.message("door-closes-first", variant: "globals", [
                "timeout": format(t), "functions": list(globalDoors.map { "'\($0.function)'" }), "doors": list(doors),
                "shortest": format(shortest), "cognito": format(rules.number("door-closes-first", "cognito", 5)),
                "alb": format(rules.number("door-closes-first", "alb", 60)),
            ], extras: doorExtras(kinds)) {
                let finding = TemplateFinding(id: "door-closes-first", severity: rule.severity, resource: "Globals.Function.Timeout",
                                              location: location, message: message)
                let at = findings.firstIndex { $0.location.line > location.line } ?? findings.endIndex
                findings.insert(finding, at: at)
            }
        }
        return Report(path: template.path, findings: findings, notes: template.notes, functions: functions)
    }

    /// A function's timeout and where it comes from, for messages.
    struct Timeout {
        /// `nil` when it is set to something the check cannot know.
        var seconds: Double?
        /// `from Globals.Function`, `the default of parameter P`, `Lambda's default`; `nil` when written.
        var origin: String?
        /// Whether `Globals.Function.Timeout` sets it: its door finding is then made once, at the global.
        var fromGlobals = false

        /// `60 s (from Globals.Function)`.
        var described: String { (seconds.map(TemplateCheck.format) ?? "unknown") + (origin.map { " (\($0))" } ?? "") }
        /// `60 s, from Globals.Function`, for use inside parentheses.
        var inline: String { (seconds.map(TemplateCheck.format) ?? "unknown") + (origin.map { ", \($0)" } ?? "") }
    }

    /// `Timeout`, else (SAM) `Globals.Function.Timeout`, else Lambda's default (3 s).
    static func timeout(of resource: TemplateFile.Resource, in template: TemplateFile, rules: TemplateRules) -> Timeout {
        func from(_ node: Node, _ place: String?) -> Timeout {
            let parameter = template.parameter(behind: node).map { "the default of parameter \($0)" + (place.map { " " + $0 } ?? "") }
            return Timeout(seconds: template.number(node), origin: parameter ?? place)
        }
        if let own = resource.properties?["Timeout"] { return from(own, nil) }
        if resource.type == "AWS::Serverless::Function", let global = template.functionGlobals?["Timeout"] {
            var timeout = from(global, "from Globals.Function")
            timeout.fromGlobals = true
            return timeout
        }
        return Timeout(seconds: rules.defaultValue("timeout", 3), origin: "Lambda's default")
    }

    /// The doors that close before the function's timeout; `nil` when the timeout is unknown.
    static func closingDoors(_ wiring: FunctionWiring, _ timeout: Timeout) -> [FunctionWiring.Door]? {
        guard let t = timeout.seconds else { return nil }
        return wiring.doors.filter { door in door.window.map { t > $0 } ?? false }
    }

    static func doorExtras(_ kinds: Set<FunctionWiring.Door.Kind>) -> Set<String> {
        var extras: Set<String> = []
        for kind in kinds {
            switch kind {
            case .websocket: extras.insert("websocket")
            case .rest: extras.insert("rest")
            case .cognito: extras.insert("cognito")
            case .alb: extras.insert("alb")
            default: continue
            }
        }
        return extras
    }

    static func functionFindings(_ resource: TemplateFile.Resource, _ wiring: FunctionWiring, _ timeout: Timeout,
                                 _ template: TemplateFile, _ rules: TemplateRules) -> [(String, String)] {
        var found: [(String, String)] = []
        func add(_ id: String, variant: String? = nil, _ holes: [String: String], extras: Set<String> = []) {
            if let message = rules.message(id, variant: variant, holes, extras: extras) { found.append((id, message)) }
        }
        let name = "'\(resource.id)'"
        let maximum = rules.number("timeout-over-limit", "maximum", 900)
        if let t = timeout.seconds, t > maximum {
            add("timeout-over-limit", ["timeout": timeout.described, "maximum": format(maximum)])
        }
        if !timeout.fromGlobals, let t = timeout.seconds, let closing = closingDoors(wiring, timeout), !closing.isEmpty {
            let doors = closing.map { "\($0.name) closes at \(format($0.window!))" }
            add("door-closes-first", [
                "timeout": timeout.described, "doors": list(doors), "function": name, "seconds": format(t),
                "shortest": format(closing.compactMap(\.window).min()!),
                "cognito": format(rules.number("door-closes-first", "cognito", 5)), "alb": format(rules.number("door-closes-first", "alb", 60)),
            ], extras: doorExtras(Set(closing.map(\.kind))))
        }
        if !wiring.asyncSources.isEmpty && !wiring.hasFailurePath {
            var extras: Set<String> = [resource.type == "AWS::Serverless::Function" ? "sam" : "cloudFormation"]
            if wiring.retriesOff { extras.insert("retriesOff") }
            if !wiring.targetDeadLetters.isEmpty { extras.insert("targetDeadLetter") }
            if wiring.inferredFromPermission { extras.insert("inferred") }
            add("async-no-failure-destination", [
                "sources": list(wiring.asyncSources).capitalizedFirst, "s": wiring.asyncSources.count == 1 ? "s" : "",
                "function": name, "rules": list(wiring.targetDeadLetters),
            ], extras: extras)
        }
        if !wiring.unguardedStreamEvents.isEmpty {
            add("stream-no-failure-destination", ["sources": list(wiring.unguardedStreamEvents).capitalizedFirst,
                                                  "s": wiring.unguardedStreamEvents.count == 1 ? "s" : "ve"])
        }
        let polled = wiring.queueSources.map(\.name) + wiring.streamSources
        if wiring.hasDeadLetterQueue && wiring.asyncSources.isEmpty && !polled.isEmpty {
            let sam = resource.properties?["DeadLetterQueue"] != nil || (resource.properties?["DeadLetterConfig"] == nil && resource.type == "AWS::Serverless::Function")
            add("dlq-on-polled-source", ["function": name, "deadLetter": sam ? "DeadLetterQueue" : "DeadLetterConfig", "sources": list(polled)])
        }
        let durable = resource.properties?["DurableConfig"]?["ExecutionTimeout"]
            ?? (resource.type == "AWS::Serverless::Function" ? template.functionGlobals?["DurableConfig"]?["ExecutionTimeout"] : nil)
        let cap = rules.number("durable-sync-cap", "maximum", 900)
        if let execution = template.number(durable), execution > cap {
            let synchronous = wiring.doors.map(\.name) + polled
            if !synchronous.isEmpty {
                add("durable-sync-cap", ["execution": format(execution), "starts": list(synchronous), "s": synchronous.count == 1 ? "s" : "",
                                         "function": name, "maximum": format(cap)])
            }
        }
        return found
    }

    static func queueFindings(_ resource: TemplateFile.Resource, _ fed: [(function: String, source: FunctionWiring.QueueSource)],
                              _ timeouts: [String: Timeout], _ template: TemplateFile, _ rules: TemplateRules,
                              isFailureTarget: Bool) -> [(String, String)] {
        var found: [(String, String)] = []
        func add(_ id: String, _ holes: [String: String]) {
            if let message = rules.message(id, holes) { found.append((id, message)) }
        }
        let factor = rules.number("sqs-visibility-short", "factor", 6)
        let written = resource.properties?["VisibilityTimeout"]
        let visibility = written.map(template.number) ?? rules.number("sqs-visibility-below-timeout", "defaultVisibility", rules.defaultValue("visibility", 30))
        let visibilityText = visibility.map { written == nil ? "\(format($0)) (the default)" : format($0) + (template.parameter(behind: written).map { " (the default of parameter \($0))" } ?? "") }
        if let v = visibility, let text = visibilityText {
            let below = fed.filter { timeouts[$0.function]?.seconds.map { v < $0 } ?? false }
            if !below.isEmpty {
                let needed = below.compactMap { feeder in timeouts[feeder.function]?.seconds.map { factor * $0 + (feeder.source.batchingWindow ?? 0) } }.max()!
                let consumers = below.map { "'\($0.function)' (Timeout \(timeouts[$0.function]!.inline); via \($0.source.name))" }
                add("sqs-visibility-below-timeout", ["visibility": text, "consumers": list(consumers), "needed": format(needed),
                                                     "factor": Value.formatNumber(rules.number("sqs-visibility-below-timeout", "factor", factor))])
            } else {
                let short = fed.compactMap { feeder -> (String, Double)? in
                    guard let t = timeouts[feeder.function]?.seconds, let window = feeder.source.batchingWindow, v < factor * t + window else { return nil }
                    return ("'\(feeder.function)' (\(Value.formatNumber(factor)) × Timeout \(format(t)) + batching window \(format(window)) = \(format(factor * t + window)), via \(feeder.source.name))", factor * t + window)
                }
                if !short.isEmpty {
                    add("sqs-visibility-short", ["visibility": text, "consumers": list(short.map(\.0)), "needed": format(short.map(\.1).max()!)])
                }
            }
        }
        if !TemplateFile.isSet(resource.properties?["RedrivePolicy"]) && !isFailureTarget {
            let consumers = Array(Set(fed.map(\.function))).sorted().map { "'\($0)'" }
            add("sqs-no-dead-letter-queue", ["consumers": list(consumers)])
        }
        return found
    }

    /// The resources the template sends failures to: another queue's `RedrivePolicy` target, an on-failure
    /// destination, a `DeadLetterConfig` or SAM `DeadLetterQueue` target. Such a queue is not asked for a
    /// dead-letter queue of its own.
    /// The resource types that can name a failure target; the others (roles, tables, buckets) are not walked.
    static let failureSenders: Set<String> = [
        "AWS::SQS::Queue", "AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::Lambda::EventSourceMapping",
        "AWS::Lambda::EventInvokeConfig", "AWS::Events::Rule", "AWS::SNS::Subscription", "AWS::SNS::Topic",
        "AWS::Scheduler::Schedule", "AWS::Pipes::Pipe", "AWS::Serverless::StateMachine",
    ]

    static func failureTargets(_ template: TemplateFile) -> Set<String> {
        var ids: Set<String> = []
        let keys: Set<String> = ["RedrivePolicy", "OnFailure", "DeadLetterConfig", "DeadLetterQueue"]
        func walk(_ node: Node?, depth: Int) {
            guard let node, depth < 32 else { return }
            for (key, value) in node.entries ?? [] {
                if let name = key.string, keys.contains(name) { ids.formUnion(References.ids(in: value)) } else { walk(value, depth: depth + 1) }
            }
            for item in node.elements ?? [] { walk(item, depth: depth + 1) }
        }
        for resource in template.resources where failureSenders.contains(resource.type) { walk(resource.properties, depth: 0) }
        walk(template.functionGlobals, depth: 0)
        return ids
    }

    static func summary(_ resource: TemplateFile.Resource, _ wiring: FunctionWiring, _ timeout: Timeout, _ template: TemplateFile,
                        _ rules: TemplateRules, ignored: Set<String>) -> FunctionSummary {
        let globals = resource.type == "AWS::Serverless::Function" ? template.functionGlobals : nil
        let memory = (resource.properties?["MemorySize"] ?? globals?["MemorySize"]).map(template.number)
            ?? rules.number("workload-memory-differs", "defaultMemory", rules.defaultValue("memory", 128))
        var kinds = Set(wiring.doors.map(\.kind.rawValue))
        if wiring.hasFunctionURL { kinds.insert("function-url") }
        let locations = Dictionary(template.resources.map { ($0.id, $0.location) }, uniquingKeysWith: { first, _ in first })
        return FunctionSummary(id: resource.id, location: resource.location, timeout: timeout.seconds, memory: memory, doorKinds: kinds,
                               reservedConcurrency: wiring.reservedConcurrency,
                               mappings: wiring.mappingConcurrency.map { ($0.name, $0.resource, $0.resource.flatMap { locations[$0] }, $0.maximum) },
                               ignored: ignored)
    }

    /// The finding ids a resource's `Metadata: {async-advisor: {ignore: [ID, …]}}` suppresses (one id as
    /// a plain string is accepted too).
    static func ignoredIDs(_ resource: TemplateFile.Resource) -> Set<String> {
        guard let ignore = resource.metadata?["async-advisor"]?["ignore"] else { return [] }
        if let items = ignore.elements { return Set(items.compactMap(\.string)) }
        return ignore.string.map { [$0] } ?? []
    }

    /// `45 s`, `29.5 s`, `900 s`, `3600 s (1 h)`, `604800 s (7 days)`.
    static func format(_ seconds: Double) -> String {
        let number = seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds)
        if seconds >= 2 * 86400 && seconds.truncatingRemainder(dividingBy: 86400) == 0 { return "\(number) s (\(Int64(seconds / 86400)) days)" }
        if seconds >= 3600 && seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(number) s (\(Int64(seconds / 3600)) h)" }
        return "\(number) s"
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
