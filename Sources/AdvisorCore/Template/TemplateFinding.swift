/// One thing the template check says about a resource (SPEC §7): a stable id, how bad it is, the resource
/// and the line of its logical id, and a message naming the values involved and what to change.
public struct TemplateFinding: Sendable, Equatable {
    public var id: String
    public var severity: Finding.Severity
    public var resource: String
    public var location: SourceLocation
    public var message: String

    public init(id: String, severity: Finding.Severity, resource: String, location: SourceLocation, message: String) {
        self.id = id; self.severity = severity; self.resource = resource; self.location = location; self.message = message
    }

    /// What each template finding id catches and why it matters, for SARIF's rules, `check --help` and the
    /// README, in the order SPEC §7 lists them.
    public static let rules: [FindingRule] = [
        FindingRule(id: "timeout-over-limit", level: .error, title: "Function timeout above Lambda's 15-minute maximum",
                    description: "A function's Timeout is above 900 s (15 minutes), the most Lambda allows: the stack fails to deploy. Work that runs longer belongs in Step Functions, ECS Fargate or a durable function."),
        FindingRule(id: "door-closes-first", level: .warning, title: "A synchronous front door closes before the function's timeout",
                    description: "The function's Timeout is longer than the window of a synchronous door in front of it (REST API 29 s, HTTP API 30 s, WebSocket 29 s, AppSync 30 s, or the integration's TimeoutInMillis; 900 s with response streaming): the caller gets a timeout while the function keeps running and billing. Shorten the timeout or move the work behind an asynchronous pattern."),
        FindingRule(id: "async-no-failure-destination", level: .warning, title: "Asynchronously invoked function without a failure path",
                    description: "The function is invoked asynchronously (S3, SNS, EventBridge, schedules, IoT, CloudWatch Logs, or an API Gateway integration with the 'Event' invocation type) and has no on-failure destination or dead-letter queue: after Lambda's retries a failed event is dropped without a trace."),
        FindingRule(id: "sqs-visibility-below-timeout", level: .error, title: "Queue visibility timeout shorter than the consumer's timeout",
                    description: "The queue's VisibilityTimeout (30 s by default) is shorter than the Timeout of a function it feeds: Lambda refuses to create the event source mapping, so the stack fails to deploy."),
        FindingRule(id: "sqs-visibility-short", level: .warning, title: "Queue visibility timeout below 6 × the consumer's timeout plus batching window",
                    description: "AWS recommends a VisibilityTimeout of at least six times the consuming function's Timeout plus its MaximumBatchingWindowInSeconds; with less, a message retried after throttling can become visible again while it is still being processed, and be processed twice."),
        FindingRule(id: "sqs-no-dead-letter-queue", level: .warning, title: "Queue feeding a function without a dead-letter queue",
                    description: "A queue that feeds a function has no RedrivePolicy: a message that always fails is received again and again until its retention period ends, costing invocations, and is then lost."),
        FindingRule(id: "stream-no-failure-destination", level: .warning, title: "Stream source without an on-failure destination",
                    description: "A Kinesis or DynamoDB stream source has no DestinationConfig.OnFailure: a batch that keeps failing blocks its shard until the records expire, and is then lost without a record of what failed."),
        FindingRule(id: "durable-sync-cap", level: .warning, title: "Durable function started in a way that caps it at 15 minutes",
                    description: "A durable function's DurableConfig.ExecutionTimeout is above 900 s, but a synchronous door or an SQS, Kinesis or DynamoDB event source mapping invokes it synchronously, which caps the whole execution at 15 minutes. Start it asynchronously (InvocationType Event, S3, SNS or EventBridge) through a version or alias."),
    ]

    /// The rule of a template finding id, `nil` for ids the template check does not use.
    public static func rule(_ id: String) -> FindingRule? { rules.first { $0.id == id } }
}
