import YAML

/// The eight findings of SPEC §7 on one template: where limits chain across resources — a timeout
/// against its doors' windows, a queue's visibility against its consumer's timeout, asynchronous and stream
/// sources against their failure paths, a durable execution against what caps it. Findings come in
/// resource order; a resource's `Metadata: {async-advisor: {ignore: [ID, …]}}` drops the ids it lists.
public enum TemplateCheck {
    /// Lambda's most a function may run, and the cap a synchronous start puts on a durable execution.
    static let lambdaMaximum: Double = 900
    /// Lambda's default function timeout and SQS's default visibility timeout.
    static let defaultTimeout: Double = 3
    static let defaultVisibility: Double = 30

    /// What the check says about one template file.
    public struct Report: Sendable {
        public var path: String
        public var findings: [TemplateFinding]
        /// What was passed over, and why (SPEC §7): shown, never counted.
        public var notes: [TemplateNote] = []
    }

    /// Reports on many templates, checked on every core, in order.
    public static func check(_ templates: [TemplateFile]) -> [Report] {
        Parallel.map(templates, minimumChunk: 16) { check($0) }
    }

    public static func check(_ template: TemplateFile) -> Report {
        let (wiring, unguardedMappings) = FunctionWiring.build(template)
        var timeouts: [String: Timeout] = [:]
        for resource in template.resources where FunctionWiring.functionTypes.contains(resource.type) {
            timeouts[resource.id] = timeout(of: resource, in: template)
        }
        var feeders: [String: [(function: String, source: FunctionWiring.QueueSource)]] = [:]
        for resource in template.resources {
            for source in wiring[resource.id]?.queueSources ?? [] { feeders[source.queue, default: []].append((resource.id, source)) }
        }
        let unguarded = Set(unguardedMappings)

        var findings: [TemplateFinding] = []
        for resource in template.resources {
            var found: [(String, Finding.Severity, String)] = []
            if let own = wiring[resource.id], let timeout = timeouts[resource.id] {
                found = functionFindings(resource, own, timeout, template)
            } else if resource.type == "AWS::SQS::Queue", let fed = feeders[resource.id] {
                found = queueFindings(resource, fed, timeouts, template)
            } else if unguarded.contains(resource.id) {
                found = [("stream-no-failure-destination", .warning,
                          "This event source mapping reads a stream and has no DestinationConfig.OnFailure: a batch that keeps failing holds up its shard until the records expire (24 hours by default, up to 7 days for Kinesis, 24 hours for DynamoDB), and is then dropped without a record. Add DestinationConfig.OnFailure.Destination (an SQS queue or SNS topic), and set MaximumRetryAttempts and BisectBatchOnFunctionError so a bad record does not stall the shard.")]
            }
            let ignored = ignoredIDs(resource, template)
            for (id, severity, message) in found where !ignored.contains(id) {
                findings.append(TemplateFinding(id: id, severity: severity, resource: resource.id, location: resource.location, message: message))
            }
        }
        return Report(path: template.path, findings: findings, notes: template.notes)
    }

    /// A function's timeout and where it comes from, for messages.
    struct Timeout {
        /// `nil` when it is set to something the check cannot know.
        var seconds: Double?
        /// `from Globals.Function`, `the default of parameter P`, `Lambda's default`; `nil` when written.
        var origin: String?

        /// `60 s (from Globals.Function)`.
        var described: String { (seconds.map(TemplateCheck.format) ?? "unknown") + (origin.map { " (\($0))" } ?? "") }
        /// `60 s, from Globals.Function`, for use inside parentheses.
        var inline: String { (seconds.map(TemplateCheck.format) ?? "unknown") + (origin.map { ", \($0)" } ?? "") }
    }

    /// `Timeout`, else (SAM) `Globals.Function.Timeout`, else 3 s.
    static func timeout(of resource: TemplateFile.Resource, in template: TemplateFile) -> Timeout {
        func from(_ node: Node, _ place: String?) -> Timeout {
            let parameter = template.parameter(behind: node).map { "the default of parameter \($0)" + (place.map { " " + $0 } ?? "") }
            return Timeout(seconds: template.number(node), origin: parameter ?? place)
        }
        if let own = resource.properties?["Timeout"] { return from(own, nil) }
        if resource.type == "AWS::Serverless::Function", let global = template.functionGlobals?["Timeout"] {
            return from(global, "from Globals.Function")
        }
        return Timeout(seconds: defaultTimeout, origin: "Lambda's default")
    }

    static func functionFindings(_ resource: TemplateFile.Resource, _ wiring: FunctionWiring, _ timeout: Timeout,
                                 _ template: TemplateFile) -> [(String, Finding.Severity, String)] {
        var found: [(String, Finding.Severity, String)] = []
        let name = "'\(resource.id)'"
        if let t = timeout.seconds, t > lambdaMaximum {
            found.append(("timeout-over-limit", .error,
                          "Timeout is \(timeout.described), above Lambda's maximum of 900 s (15 minutes): CloudFormation rejects the function. Set Timeout to 900 or less; work that runs longer belongs in Step Functions Standard, ECS Fargate or a durable function (async-advisor recommend --duration … shows which)."))
        }
        if let t = timeout.seconds {
            let closing = wiring.doors.filter { door in door.window.map { t > $0 } ?? false }
            if !closing.isEmpty {
                let doors = closing.map { "\($0.name) closes at \(format($0.window!))" }
                let shortest = closing.compactMap(\.window).min()!
                var message = "Timeout is \(timeout.described) but \(list(doors)): the caller gets a timeout error while \(name) keeps running (and billing) for up to \(format(t)). Lower Timeout to \(format(shortest)) or less if the work fits, or answer at once with a job id and run the work asynchronously (async-invoke, sqs-queue or step-functions-standard; async-advisor recommend shows which fits)."
                if closing.contains(where: { $0.kind == .websocket }) {
                    message += " Behind a WebSocket API the function can still push its result to the client through the connection (the @connections API) after the integration has timed out, so it may return early and post the result later."
                }
                if closing.contains(where: { $0.kind == .rest }) {
                    message += " A REST API can also stream the response (responseTransferMode: STREAM, up to 15 minutes)."
                }
                found.append(("door-closes-first", .warning, message))
            }
        }
        if !wiring.asyncSources.isEmpty && !wiring.hasFailurePath {
            let fix = resource.type == "AWS::Serverless::Function"
                ? "Add EventInvokeConfig.DestinationConfig.OnFailure (an SQS queue, SNS topic, S3 bucket, function or EventBridge bus) or a DeadLetterQueue to the function (or to Globals.Function)"
                : "Add an AWS::Lambda::EventInvokeConfig for the function with DestinationConfig.OnFailure (an SQS queue, SNS topic, S3 bucket, function or EventBridge bus), or set DeadLetterConfig.TargetArn"
            found.append(("async-no-failure-destination", .warning,
                          "\(list(wiring.asyncSources).capitalizedFirst) invoke\(wiring.asyncSources.count == 1 ? "s" : "") \(name) asynchronously, and it has no failure path: after Lambda's retries (2 by default, for up to 6 hours) a failed event is dropped without a trace. \(fix)."))
        }
        if !wiring.unguardedStreamEvents.isEmpty {
            found.append(("stream-no-failure-destination", .warning,
                          "\(list(wiring.unguardedStreamEvents).capitalizedFirst) ha\(wiring.unguardedStreamEvents.count == 1 ? "s" : "ve") no DestinationConfig.OnFailure: a batch that keeps failing holds up its shard until the records expire (24 hours by default), and is then dropped without a record. Add DestinationConfig.OnFailure.Destination (an SQS queue or SNS topic) to the event, and set MaximumRetryAttempts and BisectBatchOnFunctionError so a bad record does not stall the shard."))
        }
        let durable = resource.properties?["DurableConfig"]?["ExecutionTimeout"]
            ?? (resource.type == "AWS::Serverless::Function" ? template.functionGlobals?["DurableConfig"]?["ExecutionTimeout"] : nil)
        if let execution = template.number(durable), execution > lambdaMaximum {
            let synchronous = wiring.doors.map(\.name) + wiring.queueSources.map(\.name) + wiring.streamSources
            if !synchronous.isEmpty {
                found.append(("durable-sync-cap", .warning,
                              "DurableConfig.ExecutionTimeout is \(format(execution)), but \(list(synchronous)) invoke\(synchronous.count == 1 ? "s" : "") \(name) synchronously, which caps the whole durable execution at 15 minutes (900 s). Start it asynchronously instead — InvocationType Event, or from S3, SNS or EventBridge — through a version or alias (an API can answer with the execution id and start it with the 'Event' invocation type), or keep ExecutionTimeout at 900 or less."))
            }
        }
        return found
    }

    static func queueFindings(_ resource: TemplateFile.Resource, _ fed: [(function: String, source: FunctionWiring.QueueSource)],
                              _ timeouts: [String: Timeout], _ template: TemplateFile) -> [(String, Finding.Severity, String)] {
        var found: [(String, Finding.Severity, String)] = []
        let written = resource.properties?["VisibilityTimeout"]
        let visibility = written.map(template.number) ?? defaultVisibility
        let visibilityText = visibility.map { written == nil ? "\(format($0)) (the default)" : format($0) + (template.parameter(behind: written).map { " (the default of parameter \($0))" } ?? "") }
        if let v = visibility, let text = visibilityText {
            let below = fed.filter { timeouts[$0.function]?.seconds.map { v < $0 } ?? false }
            if !below.isEmpty {
                let needed = below.compactMap { feeder in timeouts[feeder.function]?.seconds.map { 6 * $0 + (feeder.source.batchingWindow ?? 0) } }.max()!
                let consumers = below.map { "'\($0.function)' (Timeout \(timeouts[$0.function]!.inline); via \($0.source.name))" }
                found.append(("sqs-visibility-below-timeout", .error,
                              "VisibilityTimeout is \(text), shorter than the Timeout of \(list(consumers)), which it feeds: Lambda refuses to create an event source mapping for a queue whose visibility timeout is below the function's timeout, so the deployment fails. Set VisibilityTimeout to at least \(format(needed)) (6 × the function's Timeout plus its batching window, as AWS recommends)."))
            } else {
                let short = fed.compactMap { feeder -> (String, Double)? in
                    guard let t = timeouts[feeder.function]?.seconds, let window = feeder.source.batchingWindow, v < 6 * t + window else { return nil }
                    return ("'\(feeder.function)' (6 × Timeout \(format(t)) + batching window \(format(window)) = \(format(6 * t + window)), via \(feeder.source.name))", 6 * t + window)
                }
                if !short.isEmpty {
                    found.append(("sqs-visibility-short", .warning,
                                  "VisibilityTimeout is \(text), below what AWS recommends for \(list(short.map(\.0))): when an invocation is throttled or retried, a message can become visible again while it is still being processed, and be processed twice. Set VisibilityTimeout to at least \(format(short.map(\.1).max()!))."))
                }
            }
        }
        if !TemplateFile.isSet(resource.properties?["RedrivePolicy"]) {
            let consumers = Array(Set(fed.map(\.function))).sorted().map { "'\($0)'" }
            found.append(("sqs-no-dead-letter-queue", .warning,
                          "The queue feeds \(list(consumers)) and has no RedrivePolicy: a message that always fails is received again and again (each time an invocation) until its retention period ends (4 days by default), and is then lost. Add RedrivePolicy with deadLetterTargetArn (a second queue) and maxReceiveCount (such as 5)."))
        }
        return found
    }

    /// The finding ids a resource's `Metadata: {async-advisor: {ignore: [ID, …]}}` suppresses (one id as
    /// a plain string is accepted too).
    static func ignoredIDs(_ resource: TemplateFile.Resource, _ template: TemplateFile) -> Set<String> {
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
