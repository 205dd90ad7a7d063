import YAML

/// How each function of a template is reached (SPEC §7's model): the synchronous doors in front of it with
/// the window each keeps open, its asynchronous, queue and stream sources, and whether failed asynchronous
/// events have somewhere to go. Built in one pass over the resources, so a large template costs one walk.
struct FunctionWiring {
    /// A synchronous caller that waits for the function's answer and gives up after `window` seconds.
    struct Door {
        enum Kind { case rest, http, websocket, appsync, streaming }
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

    static let asyncEventTypes: Set<String> = ["S3", "SNS", "EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2",
                                               "IoTRule", "CloudWatchLogs"]
    static let functionTypes: Set<String> = ["AWS::Serverless::Function", "AWS::Lambda::Function"]
    static let invocationTypeHeader = "integration.request.header.x-amz-invocation-type"

    /// The wiring of every function of `template`, keyed by logical id, plus the event source mappings
    /// that read a stream of the template without a failure destination (reported on the mapping itself).
    static func build(_ template: TemplateFile) -> (functions: [String: FunctionWiring], unguardedMappings: [String]) {
        var byID: [String: TemplateFile.Resource] = [:]
        for resource in template.resources where byID[resource.id] == nil { byID[resource.id] = resource }
        func typeOf(_ id: String) -> String? { byID[id]?.type }
        let functions = Set(template.resources.filter { functionTypes.contains($0.type) }.map(\.id))
        var wiring: [String: FunctionWiring] = [:]
        for id in functions { wiring[id] = FunctionWiring() }
        var unguardedMappings: [String] = []
        /// Functions each `AWS::Serverless::Api` streams to, for SAM `Api` events that point at that API.
        var streamingTargets: [String: Set<String>] = [:]

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
                for function in targets(integration?["Uri"]) {
                    if isEventHeader(integration?["RequestParameters"]) {
                        wiring[function]?.asyncSources.append("API Gateway method '\(resource.id)' (X-Amz-Invocation-Type 'Event')")
                    } else if template.text(integration?["ResponseTransferMode"])?.uppercased() == "STREAM" {
                        wiring[function]?.doors.append(Door(name: "API Gateway method '\(resource.id)' (streaming)", kind: .streaming, window: 900))
                    } else {
                        wiring[function]?.doors.append(Door(name: "API Gateway method '\(resource.id)'", kind: .rest,
                                                            window: millis(integration?["TimeoutInMillis"], default: 29)))
                    }
                }
            case "AWS::ApiGatewayV2::Integration":
                let webSocket = References.ids(in: properties?["ApiId"]).contains { id in
                    typeOf(id) == "AWS::ApiGatewayV2::Api" && template.text(byID[id]?.properties?["ProtocolType"])?.uppercased() == "WEBSOCKET"
                }
                for function in targets(properties?["IntegrationUri"]) {
                    wiring[function]?.doors.append(Door(
                        name: webSocket ? "WebSocket integration '\(resource.id)'" : "HTTP API integration '\(resource.id)'",
                        kind: webSocket ? .websocket : .http,
                        window: millis(properties?["TimeoutInMillis"], default: webSocket ? 29 : 30)))
                }
            case "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api":
                let rest = resource.type == "AWS::Serverless::Api" || resource.type == "AWS::ApiGateway::RestApi"
                let body = resource.type.hasPrefix("AWS::Serverless::") ? properties?["DefinitionBody"] : properties?["Body"]
                guard let body else { break }
                for (route, integration) in integrations(in: body) {
                    for function in targets(integration["uri"]) {
                        let name = "x-amazon-apigateway-integration \(route)of '\(resource.id)'"
                        if isEventHeader(integration["requestParameters"]) {
                            wiring[function]?.asyncSources.append("\(name) (X-Amz-Invocation-Type 'Event')")
                        } else if template.text(integration["responseTransferMode"])?.uppercased() == "STREAM" {
                            streamingTargets[resource.id, default: []].insert(function)
                            wiring[function]?.doors.append(Door(name: name + " (streaming)", kind: .streaming, window: 900))
                        } else {
                            wiring[function]?.doors.append(Door(name: name, kind: rest ? .rest : .http,
                                                                window: millis(integration["timeoutInMillis"], default: rest ? 29 : 30)))
                        }
                    }
                }
            case "AWS::AppSync::DataSource":
                guard template.text(properties?["Type"])?.uppercased() == "AWS_LAMBDA" else { break }
                for function in targets(properties?["LambdaConfig"]?["LambdaFunctionArn"]) {
                    wiring[function]?.doors.append(Door(name: "AppSync data source '\(resource.id)'", kind: .appsync, window: 30))
                }
            case "AWS::Events::Rule":
                for function in targets(properties?["Targets"]) { wiring[function]?.asyncSources.append("EventBridge rule '\(resource.id)'") }
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
                if TemplateFile.isSet(properties?["DestinationConfig"]?["OnFailure"]) {
                    for function in targets(properties?["FunctionName"]) { wiring[function]?.hasFailurePath = true }
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
                if TemplateFile.isSet(scope?["EventInvokeConfig"]?["DestinationConfig"]?["OnFailure"])
                    || TemplateFile.isSet(scope?["DeadLetterQueue"]) || TemplateFile.isSet(scope?["DeadLetterConfig"]?["TargetArn"]) {
                    own.hasFailurePath = true
                }
            }
            for (key, event) in (sam ? properties?["Events"]?.entries : nil) ?? [] {
                guard let name = key.string, let type = template.text(event["Type"]) else { continue }
                let eventProperties = event["Properties"]
                switch type {
                case "Api":
                    let streams = References.ids(in: eventProperties?["RestApiId"]).contains { streamingTargets[$0]?.contains(resource.id) == true }
                    own.doors.append(streams
                        ? Door(name: "Api event '\(name)' (streaming)", kind: .streaming, window: 900)
                        : Door(name: "Api event '\(name)'", kind: .rest, window: millis(eventProperties?["TimeoutInMillis"], default: 29)))
                case "HttpApi":
                    own.doors.append(Door(name: "HttpApi event '\(name)'", kind: .http, window: millis(eventProperties?["TimeoutInMillis"], default: 30)))
                case "SQS":
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
        return (wiring, unguardedMappings)
    }

    /// Every `x-amazon-apigateway-integration` in an OpenAPI body, with the route it serves
    /// (`/orders post `, empty when it is not under `paths`).
    static func integrations(in body: Node) -> [(route: String, integration: Node)] {
        var found: [(String, Node)] = []
        func walk(_ node: Node, path: [String], depth: Int) {
            guard depth < 64, let entries = node.entries else {
                if depth < 64, let items = node.elements { for item in items { walk(item, path: path, depth: depth + 1) } }
                return
            }
            for (key, value) in entries {
                let name = key.string ?? ""
                if name == "x-amazon-apigateway-integration" {
                    let route = path.count >= 3 && path[0] == "paths" ? "\(path[1]) \(path[2]) " : ""
                    found.append((route, value))
                } else {
                    walk(value, path: path + [name], depth: depth + 1)
                }
            }
        }
        walk(body, path: [], depth: 0)
        return found
    }
}
