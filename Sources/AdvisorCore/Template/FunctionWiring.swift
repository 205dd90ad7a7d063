import YAML

/// How each function of a template is reached (SPEC §7's model): the synchronous doors in front of it with
/// the window each keeps open, its asynchronous, queue and stream sources, and whether failed asynchronous
/// events have somewhere to go. Built in one pass over the resources, so a large template costs one walk.
struct FunctionWiring {
    /// A synchronous caller that waits for the function's answer and gives up after `window` seconds.
    struct Door {
        enum Kind: String, Sendable { case rest, http, websocket, appsync, streaming, cognito, alb }
        var name: String
        var kind: Kind
        /// `nil` when the window is set to a value the check cannot know.
        var window: Double?
    }

    /// A queue that feeds the function through an event source mapping.
    struct QueueSource {
        var queue: String
        /// `MaximumBatchingWindowInSeconds`, 0 by default; `nil` when unknown.
        var batchingWindow: Double?
        var name: String
    }

    var doors: [Door] = []
    /// Names of what invokes the function asynchronously (`S3 event 'Upload'`).
    var asyncSources: [String] = []
    var queueSources: [QueueSource] = []
    /// Names of the stream sources (SAM events and event source mappings).
    var streamSources: [String] = []
    /// SAM `Kinesis`/`DynamoDB` events with no `DestinationConfig.OnFailure`.
    var unguardedStreamEvents: [String] = []
    var hasFailurePath = false
    /// A `DeadLetterConfig`/`DeadLetterQueue` of its own (or from SAM `Globals.Function`), which catches
    /// asynchronous invocations only.
    var hasDeadLetterQueue = false
    /// Its only asynchronous sources are inferred from `AWS::Lambda::Permission`s.
    var inferredFromPermission = false
    /// `MaximumRetryAttempts: 0` on its asynchronous invocation config: a failed event is not retried.
    var retriesOff = false
    /// EventBridge rules whose target for the function has a `DeadLetterConfig`: it catches delivery
    /// failures only, not the function's errors.
    var targetDeadLetters: [String] = []
    /// Whether a function URL (`FunctionUrlConfig` or `AWS::Lambda::Url`) reaches it.
    var hasFunctionURL = false
    /// `ReservedConcurrentExecutions`, when written and known.
    var reservedConcurrency: Double?
    /// The mappings (SAM events and event source mappings) that cap how many invocations run at once.
    var mappingConcurrency: [(name: String, resource: String?, maximum: Double)] = []

    static let asyncEventTypes: Set<String> = ["S3", "SNS", "EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2",
                                               "IoTRule", "CloudWatchLogs"]
    static let functionTypes: Set<String> = ["AWS::Serverless::Function", "AWS::Lambda::Function"]
    static let invocationTypeHeader = "integration.request.header.x-amz-invocation-type"
    /// The resource types of the service behind each permission principal (`s3` of `s3.amazonaws.com`).
    static let principalNamespaces: [String: [String]] = [
        "s3": ["AWS::S3::", "Custom::S3BucketNotifications"], "sns": ["AWS::SNS::"], "events": ["AWS::Events::", "AWS::Scheduler::"],
        "iot": ["AWS::IoT::"], "logs": ["AWS::Logs::"], "ses": ["AWS::SES::"],
    ]

    /// The wiring of every function of `template`, keyed by logical id, plus the event source mappings
    /// that read a stream of the template without a failure destination (reported on the mapping itself).
    static func build(_ template: TemplateFile, rules: TemplateRules) -> (functions: [String: FunctionWiring], unguardedMappings: [String]) {
        /// The door windows and the permission principals are rule data (`door-closes-first`, `async-no-failure-destination`).
        func window(_ kind: String, _ fallback: Double) -> Double { rules.number("door-closes-first", kind, fallback) }
        let rest = window("rest", 29), http = window("http", 30), webSocketWindow = window("websocket", 29)
        let appSync = window("appsync", 30), cognito = window("cognito", 5), albDefault = window("alb", 60), streaming = window("streaming", 900)
        let asyncPrincipals = Set(rules.words("async-no-failure-destination", "principals"))
        var byID: [String: TemplateFile.Resource] = [:]
        for resource in template.resources where byID[resource.id] == nil { byID[resource.id] = resource }
        func typeOf(_ id: String) -> String? { byID[id]?.type }
        let functions = Set(template.resources.filter { functionTypes.contains($0.type) }.map(\.id))
        var wiring: [String: FunctionWiring] = [:]
        for id in functions { wiring[id] = FunctionWiring() }
        var unguardedMappings: [String] = []
        /// Functions each `AWS::Serverless::Api` streams to, for SAM `Api` events that point at that API.
        var streamingTargets: [String: Set<String>] = [:]

        // Express state machines and the functions their tasks invoke, for the doors that start them
        // synchronously; load balancers, listeners and target groups, for the ALB doors.
        var expressTargets: [String: [String]] = [:]
        var idleTimeouts: [String: Double?] = [:]
        var listenerBalancers: [String: [String]] = [:]
        for resource in template.resources {
            let properties = resource.properties
            switch resource.type {
            case "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine":
                let type = template.text(properties?[resource.type == "AWS::Serverless::StateMachine" ? "Type" : "StateMachineType"])
                guard type?.uppercased() == "EXPRESS" else { break }
                var invoked = Set(targets(properties?["DefinitionSubstitutions"]))
                for key in ["Definition", "DefinitionString"] { invoked.formUnion(targets(properties?[key])) }
                if let (definition, _) = template.definition(of: resource, inline: "Definition") { invoked.formUnion(targets(definition)) }
                expressTargets[resource.id] = invoked.sorted()
            case "AWS::ElasticLoadBalancingV2::LoadBalancer":
                let attribute = properties?["LoadBalancerAttributes"]?.elements?.first { template.text($0["Key"]) == "idle_timeout.timeout_seconds" }
                idleTimeouts[resource.id] = attribute.map { template.number($0["Value"]) } ?? albDefault
            case "AWS::ElasticLoadBalancingV2::Listener":
                listenerBalancers[resource.id] = References.ids(in: properties?["LoadBalancerArn"]).sorted()
            default:
                break
            }
        }
        /// The load balancers that forward to each target group, through a listener or a listener rule.
        var targetGroupBalancers: [String: Set<String>] = [:]
        for resource in template.resources {
            let properties = resource.properties
            let balancers: [String]
            switch resource.type {
            case "AWS::ElasticLoadBalancingV2::Listener":
                balancers = listenerBalancers[resource.id] ?? []
                for group in References.ids(in: properties?["DefaultActions"]) { targetGroupBalancers[group, default: []].formUnion(balancers) }
            case "AWS::ElasticLoadBalancingV2::ListenerRule":
                balancers = References.ids(in: properties?["ListenerArn"]).flatMap { listenerBalancers[$0] ?? [] }
                for group in References.ids(in: properties?["Actions"]) { targetGroupBalancers[group, default: []].formUnion(balancers) }
            default:
                continue
            }
        }
        /// The doors a synchronous start of an Express workflow opens on the functions its tasks invoke.
        func throughExpress(_ node: Node?, door: (String) -> Door) {
            for machine in References.ids(in: node).sorted() {
                for function in expressTargets[machine] ?? [] { wiring[function]?.doors.append(door(machine)) }
            }
        }
        func startsSync(_ text: String?) -> Bool { text?.contains("StartSyncExecution") == true }

        func targets(_ node: Node?) -> [String] { References.ids(in: node).filter(functions.contains).sorted() }
        /// Seconds from a value in `unit`s per second (1000 for milliseconds); the default when it is not
        /// written, `nil` when it is written but cannot be known.
        func seconds(_ node: Node?, default fallback: Double, per unit: Double = 1) -> Double? {
            guard let node else { return fallback }
            return template.number(node).map { $0 / unit }
        }
        func millis(_ node: Node?, default fallback: Double) -> Double? { seconds(node, default: fallback, per: 1000) }
        func isEventHeader(_ parameters: Node?) -> Bool {
            guard let entries = parameters?.entries else { return false }
            return entries.contains { $0.key.string?.lowercased() == invocationTypeHeader && template.text($0.value) == "'Event'" }
        }

        for resource in template.resources {
            let properties = resource.properties
            switch resource.type {
            case "AWS::ApiGateway::Method":
                let integration = properties?["Integration"]
                if startsSync(Self.flatText(integration?["Uri"])) {
                    let window = millis(integration?["TimeoutInMillis"], default: rest)
                    throughExpress(integration) { Door(name: "API Gateway method '\(resource.id)' through the Express workflow '\($0)'", kind: .rest, window: window) }
                }
                for function in targets(integration?["Uri"]) {
                    if isEventHeader(integration?["RequestParameters"]) {
                        wiring[function]?.asyncSources.append("API Gateway method '\(resource.id)' (X-Amz-Invocation-Type 'Event')")
                    } else if template.text(integration?["ResponseTransferMode"])?.uppercased() == "STREAM" {
                        wiring[function]?.doors.append(Door(name: "API Gateway method '\(resource.id)' (streaming)", kind: .streaming, window: streaming))
                    } else {
                        wiring[function]?.doors.append(Door(name: "API Gateway method '\(resource.id)'", kind: .rest,
                                                            window: millis(integration?["TimeoutInMillis"], default: rest)))
                    }
                }
            case "AWS::ApiGatewayV2::Integration":
                let webSocket = References.ids(in: properties?["ApiId"]).contains { id in
                    typeOf(id) == "AWS::ApiGatewayV2::Api" && template.text(byID[id]?.properties?["ProtocolType"])?.uppercased() == "WEBSOCKET"
                }
                if template.text(properties?["IntegrationSubtype"]) == "StepFunctions-StartSyncExecution" {
                    let window = millis(properties?["TimeoutInMillis"], default: http)
                    throughExpress(properties?["RequestParameters"]) { Door(name: "HTTP API integration '\(resource.id)' through the Express workflow '\($0)'", kind: .http, window: window) }
                }
                for function in targets(properties?["IntegrationUri"]) {
                    wiring[function]?.doors.append(Door(
                        name: webSocket ? "WebSocket integration '\(resource.id)'" : "HTTP API integration '\(resource.id)'",
                        kind: webSocket ? .websocket : .http,
                        window: millis(properties?["TimeoutInMillis"], default: webSocket ? webSocketWindow : http)))
                }
            case "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api":
                let isRest = resource.type == "AWS::Serverless::Api" || resource.type == "AWS::ApiGateway::RestApi"
                let key = resource.type.hasPrefix("AWS::Serverless::") ? "DefinitionBody" : "Body"
                guard let (body, file) = template.definition(of: resource, inline: key) else { break }
                for (route, integration, includedFrom) in integrations(in: body, file: file, template: template) {
                    let place = includedFrom.map { " (\($0):\(integration.mark.line))" } ?? ""
                    let name = "x-amazon-apigateway-integration \(route)of '\(resource.id)'\(place)"
                    if startsSync(Self.flatText(integration["uri"])) || template.text(integration["integrationSubtype"]) == "StepFunctions-StartSyncExecution" {
                        let window = millis(integration["timeoutInMillis"], default: isRest ? rest : http)
                        throughExpress(integration) { Door(name: "\(name) through the Express workflow '\($0)'", kind: isRest ? .rest : .http, window: window) }
                    }
                    for function in targets(integration["uri"]) {
                        if isEventHeader(integration["requestParameters"]) {
                            wiring[function]?.asyncSources.append("\(name) (X-Amz-Invocation-Type 'Event')")
                        } else if template.text(integration["responseTransferMode"])?.uppercased() == "STREAM" {
                            streamingTargets[resource.id, default: []].insert(function)
                            wiring[function]?.doors.append(Door(name: name + " (streaming)", kind: .streaming, window: streaming))
                        } else {
                            wiring[function]?.doors.append(Door(name: name, kind: isRest ? .rest : .http,
                                                                window: millis(integration["timeoutInMillis"], default: isRest ? rest : http)))
                        }
                    }
                }
            case "AWS::AppSync::DataSource":
                guard template.text(properties?["Type"])?.uppercased() == "AWS_LAMBDA" else { break }
                for function in targets(properties?["LambdaConfig"]?["LambdaFunctionArn"]) {
                    wiring[function]?.doors.append(Door(name: "AppSync data source '\(resource.id)'", kind: .appsync, window: appSync))
                }
            case "AWS::Events::Rule":
                for target in properties?["Targets"]?.elements ?? [] {
                    for function in targets(target["Arn"]) {
                        wiring[function]?.asyncSources.append("EventBridge rule '\(resource.id)'")
                        if TemplateFile.isSet(target["DeadLetterConfig"]) { wiring[function]?.targetDeadLetters.append("EventBridge rule '\(resource.id)'") }
                    }
                }
            case "Custom::S3BucketNotifications":
                for function in targets(properties?["NotificationConfiguration"]?["LambdaFunctionConfigurations"]) {
                    wiring[function]?.asyncSources.append("S3 bucket notification '\(resource.id)'")
                }
            case "AWS::Logs::SubscriptionFilter":
                for function in targets(properties?["DestinationArn"]) { wiring[function]?.asyncSources.append("CloudWatch Logs subscription filter '\(resource.id)'") }
            case "AWS::IoT::TopicRule":
                for action in properties?["TopicRulePayload"]?["Actions"]?.elements ?? [] {
                    for function in targets(action["Lambda"]?["FunctionArn"]) { wiring[function]?.asyncSources.append("IoT topic rule '\(resource.id)'") }
                }
            case "AWS::Cognito::UserPool":
                for (trigger, value) in properties?["LambdaConfig"]?.entries ?? [] {
                    for function in targets(value) {
                        wiring[function]?.doors.append(Door(name: "Cognito user pool '\(resource.id)' trigger \(trigger.string ?? "")", kind: .cognito, window: cognito))
                    }
                }
            case "AWS::ElasticLoadBalancingV2::TargetGroup":
                guard template.text(properties?["TargetType"])?.lowercased() == "lambda" else { break }
                for balancer in (targetGroupBalancers[resource.id] ?? []).sorted() {
                    for function in targets(properties?["Targets"]) {
                        wiring[function]?.doors.append(Door(name: "ALB '\(balancer)' (target group '\(resource.id)')", kind: .alb, window: idleTimeouts[balancer] ?? albDefault))
                    }
                }
            case "AWS::Lambda::Url":
                for function in targets(properties?["TargetFunctionArn"]) { wiring[function]?.hasFunctionURL = true }
            case "AWS::SNS::Subscription":
                guard template.text(properties?["Protocol"])?.lowercased() == "lambda" else { break }
                for function in targets(properties?["Endpoint"]) { wiring[function]?.asyncSources.append("SNS subscription '\(resource.id)'") }
            case "AWS::SNS::Topic":
                for entry in properties?["Subscription"]?.elements ?? [] where template.text(entry["Protocol"])?.lowercased() == "lambda" {
                    for function in targets(entry["Endpoint"]) { wiring[function]?.asyncSources.append("SNS topic '\(resource.id)'") }
                }
            case "AWS::S3::Bucket":
                for function in targets(properties?["NotificationConfiguration"]?["LambdaConfigurations"]) {
                    wiring[function]?.asyncSources.append("S3 bucket '\(resource.id)' notification")
                }
            case "AWS::Scheduler::Schedule":
                for function in targets(properties?["Target"]?["Arn"]) { wiring[function]?.asyncSources.append("EventBridge Scheduler schedule '\(resource.id)'") }
            case "AWS::Lambda::EventSourceMapping":
                let sources = References.ids(in: properties?["EventSourceArn"])
                let fed = targets(properties?["FunctionName"])
                if let maximum = template.number(properties?["ScalingConfig"]?["MaximumConcurrency"]) {
                    for function in fed { wiring[function]?.mappingConcurrency.append(("event source mapping '\(resource.id)'", resource.id, maximum)) }
                }
                if let queue = sources.sorted().first(where: { typeOf($0) == "AWS::SQS::Queue" }) {
                    let window = seconds(properties?["MaximumBatchingWindowInSeconds"], default: 0)
                    for function in fed {
                        wiring[function]?.queueSources.append(QueueSource(queue: queue, batchingWindow: window, name: "event source mapping '\(resource.id)'"))
                    }
                } else if sources.contains(where: { typeOf($0) == "AWS::Kinesis::Stream" || typeOf($0) == "AWS::DynamoDB::Table" }) {
                    for function in fed { wiring[function]?.streamSources.append("event source mapping '\(resource.id)'") }
                    if !TemplateFile.isSet(properties?["DestinationConfig"]?["OnFailure"]) { unguardedMappings.append(resource.id) }
                }
            case "AWS::Lambda::EventInvokeConfig":
                for function in targets(properties?["FunctionName"]) {
                    if TemplateFile.isSet(properties?["DestinationConfig"]?["OnFailure"]) { wiring[function]?.hasFailurePath = true }
                    if template.number(properties?["MaximumRetryAttempts"]) == 0 { wiring[function]?.retriesOff = true }
                }
            default:
                break
            }
        }

        // The functions' own settings and SAM events, now that the APIs they point at are known.
        for resource in template.resources where functions.contains(resource.id) {
            let properties = resource.properties
            let sam = resource.type == "AWS::Serverless::Function"
            var own = wiring[resource.id]!
            let globals = sam ? template.functionGlobals : nil
            for scope in [properties, globals] {
                if TemplateFile.isSet(scope?["EventInvokeConfig"]?["DestinationConfig"]?["OnFailure"]) { own.hasFailurePath = true }
                if TemplateFile.isSet(scope?["DeadLetterQueue"]) || TemplateFile.isSet(scope?["DeadLetterConfig"]?["TargetArn"]) {
                    own.hasFailurePath = true
                    own.hasDeadLetterQueue = true
                }
                if template.number(scope?["EventInvokeConfig"]?["MaximumRetryAttempts"]) == 0 { own.retriesOff = true }
                if TemplateFile.isSet(scope?["FunctionUrlConfig"]) { own.hasFunctionURL = true }
            }
            own.reservedConcurrency = template.number(properties?["ReservedConcurrentExecutions"] ?? globals?["ReservedConcurrentExecutions"])
            for (key, event) in (sam ? properties?["Events"]?.entries : nil) ?? [] {
                guard let name = key.string, let type = template.text(event["Type"]) else { continue }
                let eventProperties = event["Properties"]
                switch type {
                case "Api":
                    let streams = References.ids(in: eventProperties?["RestApiId"]).contains { streamingTargets[$0]?.contains(resource.id) == true }
                    own.doors.append(streams
                        ? Door(name: "Api event '\(name)' (streaming)", kind: .streaming, window: streaming)
                        : Door(name: "Api event '\(name)'", kind: .rest, window: millis(eventProperties?["TimeoutInMillis"], default: rest)))
                case "HttpApi":
                    own.doors.append(Door(name: "HttpApi event '\(name)'", kind: .http, window: millis(eventProperties?["TimeoutInMillis"], default: http)))
                case "Cognito":
                    own.doors.append(Door(name: "Cognito event '\(name)'", kind: .cognito, window: cognito))
                case "SQS":
                    if let maximum = template.number(eventProperties?["ScalingConfig"]?["MaximumConcurrency"]) {
                        own.mappingConcurrency.append(("SQS event '\(name)'", nil, maximum))
                    }
                    if let queue = References.ids(in: eventProperties?["Queue"]).sorted().first(where: { typeOf($0) == "AWS::SQS::Queue" }) {
                        let window = seconds(eventProperties?["MaximumBatchingWindowInSeconds"], default: 0)
                        own.queueSources.append(QueueSource(queue: queue, batchingWindow: window, name: "SQS event '\(name)'"))
                    }
                case "Kinesis", "DynamoDB":
                    own.streamSources.append("\(type) event '\(name)'")
                    if !TemplateFile.isSet(eventProperties?["DestinationConfig"]?["OnFailure"]) { own.unguardedStreamEvents.append("\(type) event '\(name)'") }
                case _ where asyncEventTypes.contains(type):
                    own.asyncSources.append("\(type) event '\(name)'")
                default:
                    break
                }
            }
            wiring[resource.id] = own
        }

        for resource in template.resources {
            let properties = resource.properties
            switch resource.type {
            case "AWS::Serverless::StateMachine":
                // SAM `Api` events start an Express workflow through API Gateway, which waits for it.
                for (key, event) in properties?["Events"]?.entries ?? [] where template.text(event["Type"]) == "Api" {
                    for function in expressTargets[resource.id] ?? [] {
                        wiring[function]?.doors.append(Door(name: "Api event '\(key.string ?? "")' through the Express workflow '\(resource.id)'", kind: .rest,
                                                            window: millis(event["Properties"]?["TimeoutInMillis"], default: rest)))
                    }
                }
            case "AWS::Lambda::Permission":
                // A permission alone says a service may invoke the function: the source when nothing else links
                // them — no resource of that service in the template refers to the function (an IoT authorizer,
                // say, invokes it synchronously and is no asynchronous source).
                guard let principal = template.text(properties?["Principal"])?.lowercased(), asyncPrincipals.contains(principal) else { break }
                let namespaces = Self.principalNamespaces[String(principal.prefix { $0 != "." })] ?? []
                for function in targets(properties?["FunctionName"]) where wiring[function]?.asyncSources.isEmpty == true
                    || wiring[function]?.inferredFromPermission == true {
                    let linked = template.resources.contains { other in
                        namespaces.contains(where: other.type.hasPrefix) && References.ids(in: other.properties).contains(function)
                    }
                    if linked { continue }
                    wiring[function]?.asyncSources.append("the \(principal) permission '\(resource.id)'")
                    wiring[function]?.inferredFromPermission = true
                }
            default:
                break
            }
        }
        return (wiring, unguardedMappings)
    }

    /// The text of a value written plain or as a `Fn::Sub` or `Fn::Join` of texts, to look for an action
    /// name in an integration's URI.
    static func flatText(_ node: Node?) -> String? {
        guard let node else { return nil }
        if let text = node.string { return text }
        if let sub = node["Fn::Sub"] { return flatText(sub.elements?.first ?? sub) }
        if let join = node["Fn::Join"]?[1]?.elements { return join.compactMap(flatText).joined() }
        return nil
    }

    /// Every `x-amazon-apigateway-integration` in an OpenAPI body, with the route it serves
    /// (`/orders post `, empty when it is not under `paths`) and the included file it is written in, when
    /// it is not the template (`AWS::Include` read in place, at any depth).
    static func integrations(in body: Node, file: String?, template: TemplateFile) -> [(route: String, integration: Node, file: String?)] {
        var found: [(String, Node, String?)] = []
        func walk(_ node: Node, path: [String], file: String?, depth: Int) {
            guard depth < 64 else { return }
            if node.entries != nil, TemplateFile.includeLocation(node) != nil {
                if let (included, from) = template.including(node) { walk(included, path: path, file: from, depth: depth + 1) }
                return
            }
            guard let entries = node.entries else {
                if let items = node.elements { for item in items { walk(item, path: path, file: file, depth: depth + 1) } }
                return
            }
            for (key, value) in entries {
                let name = key.string ?? ""
                if name == "x-amazon-apigateway-integration" {
                    let route = path.count >= 3 && path[0] == "paths" ? "\(path[1]) \(path[2]) " : ""
                    found.append((route, value, file))
                } else {
                    walk(value, path: path + [name], file: file, depth: depth + 1)
                }
            }
        }
        walk(body, path: [], file: file, depth: 0)
        return found
    }
}
