import Foundation
import Testing
import YAML

/// SPEC §9 through the built binary: a project written for a workload has that workload's numbers, read back
/// from the parsed template, and its own `check` catches the template drifting from the workload.
@Suite struct SizedScaffoldBinaryTests {
    func scratch() throws -> String { try scratchFolder("sized") }

    func template(_ folder: String) throws -> Node {
        let text = try String(contentsOfFile: folder + "/template.yaml", encoding: .utf8)
        return try #require(try YAML.parse(text))
    }

    func check(_ folder: String) throws -> Run {
        try Binary.run(["check", "async-advisor.json", "template.yaml"], directory: folder)
    }

    /// The images: 2 minutes at 2,048 MB and 5/s, guaranteed, on x86 (the default `--arch`).
    static let images = ["--duration", "2m", "--response", "ack", "--retry", "guaranteed", "--memory", "2048",
                         "--throughput", "5/s", "--volume", "13M/month"]

    @Test(arguments: ["python", "typescript"])
    func recommendWritesTheProjectTheAnswerDescribes(_ language: String) throws {
        let folder = try scratch() + "/images"
        let json = try Binary.json(["recommend"] + Self.images + ["--lang", language, "--scaffold", folder, "--format", "json"])
        #expect((json["pattern"] as? [String: Any])?["id"] as? String == "sqs-queue")
        let root = try template(folder)
        let worker = try #require(root["Resources"]?["WorkerFunction"]?["Properties"])
        // 2 min + 10 % = 132 s (more than + 5 s), the memory and architecture the cost was worked out for.
        #expect(worker["Timeout"]?.int == 132)
        #expect(worker["MemorySize"]?.int == 2048)
        #expect(root["Globals"]?["Function"]?["Architectures"]?[0]?.string == "x86_64")
        // Visibility: 6 × 132 s + no batching window (a 2-minute task is read one message at a time).
        #expect(root["Resources"]?["TasksQueue"]?["Properties"]?["VisibilityTimeout"]?.int == 792)
        let mapping = try #require(worker["Events"]?["TasksQueue"]?["Properties"])
        #expect(mapping["Type"] == nil && worker["Events"]?["TasksQueue"]?["Type"]?.string == "SQS", "the trigger is the queue")
        #expect(mapping["BatchSize"]?.int == 1)
        #expect(mapping["MaximumBatchingWindowInSeconds"]?.int == 0)
        // 5/s × 120 s = 600 concurrent: the mapping's cap, with a comment that says how.
        #expect(mapping["ScalingConfig"]?["MaximumConcurrency"]?.int == 600)
        let text = try String(contentsOfFile: folder + "/template.yaml", encoding: .utf8)
        #expect(text.contains("# Backpressure: 5/s × 2m = 600 concurrent (async-advisor decision rules § 11)"))
        let dlq = root["Resources"]?["TasksDeadLetterQueue"]?["Properties"]?["MessageRetentionPeriod"]?.int ?? 0
        #expect(dlq > root["Resources"]?["TasksQueue"]?["Properties"]?["MessageRetentionPeriod"]?.int ?? .max)

        // The design file names the function and carries the workload as given.
        let design = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/async-advisor.json"))) as? [String: Any])
        let workload = try #require((design["workloads"] as? [[String: Any]])?.first)
        #expect(workload["function"] as? String == "WorkerFunction" && workload["pattern"] as? String == "sqs-queue")
        #expect(workload["duration"] as? String == "2m" && workload["memory"] as? String == "2048")
        let clean = try check(folder)
        #expect(clean.status == 0 && clean.stdout.contains("0 errors, 0 warnings, 2 ok"), "\(clean.stdout)\(clean.stderr)")
    }

    @Test func aTemplateThatDriftsFromItsWorkloadFailsItsOwnCheck() throws {
        let folder = try scratch() + "/p"
        let run = try Binary.run(["scaffold", "sqs-queue", "--out", folder] + Self.images)
        #expect(run.status == 0, "\(run.stderr)")
        let path = folder + "/template.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("      Timeout: 132\n"))
        try text.replacing("      Timeout: 132\n", with: "      Timeout: 60\n").replacing("      MemorySize: 2048\n", with: "      MemorySize: 1024\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let drifted = try check(folder)
        #expect(drifted.status == 1, "an error finding fails the check: \(drifted.stdout)")
        #expect(drifted.stdout.contains(": WorkerFunction: error: workload-timeout-short: "), "\(drifted.stdout)")
        #expect(drifted.stdout.contains("Set Timeout to at least 132"), "\(drifted.stdout)")
        #expect(drifted.stdout.contains(": WorkerFunction: note: workload-memory-differs: "), "\(drifted.stdout)")
    }

    @Test func aScheduleRunsAtTheThroughputsCadenceOnTheArchitectureAsked() throws {
        let folder = try scratch() + "/nightly"
        let run = try Binary.run(["scaffold", "eventbridge-schedule", "--lang", "typescript", "--out", folder,
                                  "--trigger", "schedule", "--duration", "5m", "--throughput", "24/day", "--arch", "arm64", "--memory", "512"])
        #expect(run.status == 0, "\(run.stderr)")
        let root = try template(folder)
        #expect(root["Parameters"]?["ScheduleExpression"]?["Default"]?.string == "rate(1 hour)")
        let job = try #require(root["Resources"]?["ScheduledJobFunction"]?["Properties"])
        #expect(job["Timeout"]?.int == 330)
        #expect(job["MemorySize"]?.int == 512)
        #expect(job["Architectures"]?[0]?.string == "arm64")
        #expect(job["Tracing"]?.string == "Active")
        // 24/day × 5 min needs 1 concurrent; the reserved cap keeps room for bursts (rules/scaffolds/sizing.json).
        #expect(job["ReservedConcurrentExecutions"]?.int == 10)
        let schedules = (root["Resources"]?.entries ?? []).filter { $0.value["Type"]?.string == "AWS::Scheduler::Schedule" }
            + (job["Events"]?.entries ?? []).filter { $0.value["Type"]?.string == "ScheduleV2" }
        #expect(!schedules.isEmpty, "the trigger is a Scheduler schedule")
        let clean = try check(folder)
        #expect(clean.status == 0 && clean.stdout.contains("0 errors, 0 warnings"), "\(clean.stdout)")
    }

    @Test func theSampleWorkloadIsWhatScaffoldAloneWritesAndItChecksClean() throws {
        let folder = try scratch() + "/s"
        let run = try Binary.run(["scaffold", "async-invoke", "--out", folder])
        #expect(run.status == 0, "\(run.stderr)")
        let design = try String(contentsOfFile: folder + "/async-advisor.json", encoding: .utf8)
        #expect(design.contains("\"duration\": \"10m\"") && design.contains("\"function\": \"WorkerFunction\""))
        // The template gives the worker its failure path, so the design acknowledges that advice.
        #expect(design.contains("\"acknowledge\": [") && design.contains("\"id\": \"no-failure-destination\""), "\(design)")
        let root = try template(folder)
        #expect(root["Resources"]?["WorkerFunction"]?["Properties"]?["Timeout"]?.int == 660)
        let clean = try check(folder)
        #expect(clean.status == 0 && clean.stdout.contains("0 errors, 0 warnings, 2 ok"), "\(clean.stdout)")
    }

    @Test func flagsChangeTheSampleWorkload() throws {
        let folder = try scratch() + "/two-minutes"
        let run = try Binary.run(["scaffold", "sqs-queue", "--out", folder, "--duration", "2m", "--memory", "2048"])
        #expect(run.status == 0, "\(run.stderr)")
        let design = try String(contentsOfFile: folder + "/async-advisor.json", encoding: .utf8)
        // The flags given, and the sample's own answers for the rest (sqs-queue's sample is an ack).
        #expect(design.contains("\"duration\": \"2m\"") && design.contains("\"memory\": \"2048\"") && design.contains("\"response\": \"ack\""), "\(design)")
        let worker = try template(folder)["Resources"]?["WorkerFunction"]?["Properties"]
        #expect(worker?["Timeout"]?.int == 132 && worker?["MemorySize"]?.int == 2048)
    }

    @Test func aWorkloadThePatternCannotRunWritesNothing() throws {
        let folder = try scratch()
        let long = try Binary.run(["scaffold", "sqs-queue", "--out", folder + "/a", "--duration", "20m", "--response", "ack", "--retry", "guaranteed"])
        #expect(long.status == 2)
        #expect(long.stderr.contains("makes no sqs-queue project; nothing was written") && long.stderr.contains("15 min"), "\(long.stderr)")
        let door = try Binary.run(["scaffold", "sync", "--out", folder + "/b", "--duration", "45s", "--response", "result"])
        #expect(door.status == 2 && door.stderr.contains("makes no sync project"), "\(door.stderr)")
        // Flags change the sample workload; where the sample cannot take them (its response is ack, a schedule
        // has none), the flags alone are the workload and what they lack is named.
        let missing = try Binary.run(["scaffold", "sqs-queue", "--out", folder + "/c", "--trigger", "schedule"])
        #expect(missing.status == 2 && missing.stderr.contains("--duration"), "a workload needs its duration, as recommend says: \(missing.stderr)")
        let bad = try Binary.run(["scaffold", "sqs-queue", "--out", folder + "/d", "--duration", "2m", "--response", "ack", "--memory", "20GB"])
        #expect(bad.status == 2 && bad.stderr.contains("--memory"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/a") && !FileManager.default.fileExists(atPath: folder + "/b")
                && !FileManager.default.fileExists(atPath: folder + "/c") && !FileManager.default.fileExists(atPath: folder + "/d"))
    }

    @Test func theCommandShownWritesTheSameProjectAgain() throws {
        let folder = try scratch()
        let json = try Binary.json(["recommend", "--duration", "3m", "--response", "status", "--entry", "http-api", "--arch", "arm64", "--format", "json"])
        let command = try #require((json["scaffold"] as? [String: Any])?["command"] as? String)
        #expect(command.hasSuffix("--duration 3m --response status --entry http-api --arch arm64"), "\(command)")
        let words = command.split(separator: " ").dropFirst().map(String.init)
        let run = try Binary.run(words + ["--out", folder + "/again"])
        #expect(run.status == 0, "\(run.stderr)")
        let root = try template(folder + "/again")
        #expect(root["Resources"]?["ProcessorFunction"]?["Properties"]?["Timeout"]?.int == 198)
        #expect((root["Resources"]?["ProcessorFunction"]?["Properties"]?["Architectures"] ?? root["Globals"]?["Function"]?["Architectures"])?[0]?.string == "arm64")
    }

    /// What the answer names is what the project creates: the door of --entry.
    @Test(arguments: [("api-gateway", "Api"), ("http-api", "HttpApi"), ("function-url", "url"), ("alb", "alb")])
    func theSyncProjectCreatesTheDoorOfItsEntry(_ entry: String, _ door: String) throws {
        let folder = try scratch() + "/door"
        let run = try Binary.run(["recommend", "--duration", "20s", "--response", "result", "--entry", entry, "--arch", "arm64", "--scaffold", folder])
        #expect(run.status == 0, "\(run.stderr)")
        let root = try template(folder)
        let resources = try #require(root["Resources"])
        let function = try #require(resources["ApiFunction"]?["Properties"])
        #expect(function["Timeout"]?.int == 25)
        switch door {
        case "url":
            #expect(function["FunctionUrlConfig"]?["AuthType"]?.string == "AWS_IAM")
            #expect(function["Events"] == nil)
        case "alb":
            #expect(resources["TargetGroup"]?["Properties"]?["TargetType"]?.string == "lambda")
            let attributes = resources["LoadBalancer"]?["Properties"]?["LoadBalancerAttributes"]?.elements ?? []
            #expect(attributes.contains { $0["Key"]?.string == "idle_timeout.timeout_seconds" && $0["Value"]?.string == "60" })
        default:
            #expect(function["Events"]?["Work"]?["Type"]?.string == door)
            #expect(function["FunctionUrlConfig"] == nil)
        }
        let clean = try check(folder)
        #expect(clean.status == 0 && clean.stdout.contains("0 errors, 0 warnings, 2 ok"), "\(clean.stdout)")
    }

    @Test func theWebhookStarterCreatesTheDoorTheAnswerCharges() throws {
        let folder = try scratch() + "/hook"
        let run = try Binary.run(["recommend", "--duration", "90s", "--trigger", "webhook", "--response", "ack", "--scaffold", folder])
        #expect(run.status == 0, "\(run.stderr)")
        let function = try #require(try template(folder)["Resources"]?["WebhookFunction"]?["Properties"])
        #expect(function["Events"]?["Webhook"]?["Type"]?.string == "Api", "the answer's door is API Gateway REST")
        #expect(function["FunctionUrlConfig"] == nil)
        let clean = try check(folder)
        #expect(clean.status == 0 && clean.stdout.contains("0 errors, 0 warnings, 2 ok"), "\(clean.stdout)")
    }

    /// Types of resources that are a front door: none may be created when an event or a schedule starts the work.
    static let doors: Set<String> = ["AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi",
                                     "AWS::ApiGatewayV2::Api", "AWS::Lambda::Url", "AWS::ElasticLoadBalancingV2::LoadBalancer"]

    func noDoor(_ root: Node) {
        let resources = root["Resources"]?.entries ?? []
        #expect(!resources.contains { Self.doors.contains($0.value["Type"]?.string ?? "") }, "an event or schedule has no front door")
        #expect(!resources.contains { ($0.value["Properties"]?["Events"]?.entries ?? []).contains { ["Api", "HttpApi"].contains($0.value["Type"]?.string ?? "") } })
        #expect(!resources.contains { $0.value["Properties"]?["FunctionUrlConfig"] != nil })
    }

    @Test(arguments: ["python", "typescript"])
    func anObjectCreatedEventStartsTheFargateTaskThroughAnEventBridgeRule(_ language: String) throws {
        let folder = try scratch() + "/uploads"
        let json = try Binary.json(["recommend", "--duration", "3h", "--trigger", "event", "--arch", "arm64", "--lang", language,
                                    "--scaffold", folder, "--format", "json"])
        #expect((json["pattern"] as? [String: Any])?["id"] as? String == "ecs-fargate")
        let root = try template(folder)
        let resources = try #require(root["Resources"])
        #expect(resources["UploadsBucket"]?["Properties"]?["NotificationConfiguration"]?["EventBridgeConfiguration"]?["EventBridgeEnabled"]?.bool == true)
        let rule = try #require(resources["ObjectCreatedRule"]?["Properties"])
        #expect(rule["EventPattern"]?["detail-type"]?[0]?.string == "Object Created")
        let target = try #require(rule["Targets"]?[0])
        #expect(target["EcsParameters"]?["LaunchType"]?.string == "FARGATE")
        #expect(target["EcsParameters"]?["TaskDefinitionArn"]?.string == "TaskDefinition")
        #expect(target["RoleArn"] != nil && target["RetryPolicy"]?["MaximumRetryAttempts"]?.int == 185)
        #expect(target["DeadLetterConfig"]?["Arn"] != nil)
        // the object reaches the container as its environment: the event's id names the job
        #expect(target["InputTransformer"]?["InputPathsMap"]?["key"]?.string == "$.detail.object.key")
        #expect(target["InputTransformer"]?["InputPathsMap"]?["eventId"]?.string == "$.id")
        #expect(resources["RunTaskRole"]?["Properties"]?["AssumeRolePolicyDocument"]?["Statement"]?[0]?["Principal"]?["Service"]?.string == "events.amazonaws.com")
        #expect(resources["StarterFunction"] == nil && resources["WatcherFunction"] != nil)
        #expect(resources["StartDeadLetterQueueNotEmptyAlarm"] != nil)
        noDoor(root)
        #expect(!FileManager.default.fileExists(atPath: folder + "/src/starter"), "no starter without a front door")
        #expect(FileManager.default.fileExists(atPath: folder + "/events/object-created.json"))
        let clean = try check(folder)
        #expect(clean.status == 0 && clean.stdout.contains("0 errors, 0 warnings"), "\(clean.stdout)")
    }

    @Test(arguments: ["python", "typescript"])
    func aScheduleStartsTheFargateTaskDirectlyAtTheThroughputsCadence(_ language: String) throws {
        let folder = try scratch() + "/runs"
        let json = try Binary.json(["recommend", "--duration", "2h", "--trigger", "schedule", "--throughput", "4/day", "--lang", language,
                                    "--scaffold", folder, "--format", "json"])
        #expect((json["pattern"] as? [String: Any])?["id"] as? String == "ecs-fargate")
        let root = try template(folder)
        let resources = try #require(root["Resources"])
        let schedule = try #require(resources["WorkerSchedule"])
        #expect(schedule["Type"]?.string == "AWS::Scheduler::Schedule")
        #expect(schedule["Properties"]?["ScheduleExpression"]?.string == "rate(6 hours)")
        let target = try #require(schedule["Properties"]?["Target"])
        #expect(target["Arn"]?.string == "Cluster.Arn" && target["EcsParameters"]?["LaunchType"]?.string == "FARGATE")
        #expect(target["DeadLetterConfig"]?["Arn"] != nil && target["RetryPolicy"] != nil)
        #expect(resources["SchedulerRole"]?["Properties"]?["AssumeRolePolicyDocument"]?["Statement"]?[0]?["Principal"]?["Service"]?.string == "scheduler.amazonaws.com")
        #expect(resources["StarterFunction"] == nil)
        noDoor(root)
        let clean = try check(folder)
        #expect(clean.status == 0 && clean.stdout.contains("0 errors, 0 warnings"), "\(clean.stdout)")
    }

    @Test(arguments: ["python", "typescript"])
    func aSlashCommandStartsTheFargateTaskThroughASignedWebhook(_ language: String) throws {
        let folder = try scratch() + "/command"
        let json = try Binary.json(["recommend", "--duration", "2h", "--trigger", "webhook", "--response", "ack", "--sender", "slack-command",
                                    "--entry", "http-api", "--lang", language, "--scaffold", folder, "--format", "json"])
        #expect((json["pattern"] as? [String: Any])?["id"] as? String == "ecs-fargate")
        let root = try template(folder)
        #expect(root["Parameters"]?["SigningSecret"]?["NoEcho"]?.bool == true)
        let starter = try #require(root["Resources"]?["StarterFunction"]?["Properties"])
        #expect(starter["Environment"]?["Variables"]?["WEBHOOK_SENDER"]?.string == "slack-command")
        #expect(starter["Environment"]?["Variables"]?["SIGNING_SECRET"]?.string == "SigningSecret")
        let webhook = try #require(starter["Events"]?["Webhook"]?["Properties"])
        #expect(webhook["Path"]?.string == "/webhook" && webhook["Auth"]?["Authorizer"]?.string == "NONE")
        #expect(starter["Events"]?["GetJob"]?["Properties"]?["Auth"] == nil, "the status stays behind the API's IAM authorizer")
        let module = language == "python" ? "webhook_auth.py" : "webhook-auth.ts"
        #expect(FileManager.default.fileExists(atPath: folder + "/src/starter/" + module))
        #expect(FileManager.default.fileExists(atPath: folder + "/container/" + module), "the container posts the late answer")
        let clean = try check(folder)
        #expect(clean.status == 0 && clean.stdout.contains("0 errors, 0 warnings"), "\(clean.stdout)")
    }

    @Test(arguments: ["python", "typescript"])
    func aFanOutStartsFromTheTriggerOfItsWorkload(_ language: String) throws {
        let scratch = try scratch()
        let batch = ["--duration", "12m", "--shape", "batch", "--batch-items", "200", "--lang", language, "--format", "json"]

        // event: the bucket's EventBridge events invoke the parent through a rule, with its failure paths
        let json = try Binary.json(["recommend", "--trigger", "event", "--arch", "arm64", "--scaffold", scratch + "/files"] + batch)
        #expect((json["pattern"] as? [String: Any])?["id"] as? String == "fan-out")
        let files = try template(scratch + "/files")
        #expect(files["Resources"]?["UploadsBucket"]?["Properties"]?["NotificationConfiguration"]?["EventBridgeConfiguration"]?["EventBridgeEnabled"]?.bool == true)
        let parent = try #require(files["Resources"]?["ParentFunction"]?["Properties"])
        let rule = try #require(parent["Events"]?["ObjectCreated"])
        #expect(rule["Type"]?.string == "EventBridgeRule")
        #expect(rule["Properties"]?["Pattern"]?["detail-type"]?[0]?.string == "Object Created")
        #expect(rule["Properties"]?["DeadLetterConfig"]?["Arn"] != nil && rule["Properties"]?["RetryPolicy"] != nil)
        #expect(parent["EventInvokeConfig"]?["DestinationConfig"]?["OnFailure"]?["Type"]?.string == "SQS")
        #expect(files["Resources"]?["FailedStartsQueueNotEmptyAlarm"] != nil)
        noDoor(files)
        #expect(try check(scratch + "/files").status == 0)

        // schedule: Scheduler invokes the parent at the throughput's cadence
        _ = try Binary.json(["recommend", "--trigger", "schedule", "--throughput", "2/day", "--scaffold", scratch + "/runs"] + batch)
        let runs = try template(scratch + "/runs")
        let schedule = try #require(runs["Resources"]?["ParentFunction"]?["Properties"]?["Events"]?["Schedule"])
        #expect(schedule["Type"]?.string == "ScheduleV2")
        #expect(schedule["Properties"]?["ScheduleExpression"]?.string == "rate(12 hours)")
        #expect(schedule["Properties"]?["DeadLetterConfig"]?["Arn"] != nil)
        noDoor(runs)
        #expect(try check(scratch + "/runs").status == 0)

        // webhook: the signed front, open only on its own route
        _ = try Binary.json(["recommend", "--trigger", "webhook", "--response", "ack", "--sender", "stripe", "--scaffold", scratch + "/hook"] + batch)
        let hook = try template(scratch + "/hook")
        #expect(hook["Parameters"]?["SigningSecret"]?["NoEcho"]?.bool == true)
        let front = try #require(hook["Resources"]?["ParentFunction"]?["Properties"])
        #expect(front["Environment"]?["Variables"]?["WEBHOOK_SENDER"]?.string == "stripe")
        #expect(front["Events"]?["Webhook"]?["Properties"]?["Auth"]?["Authorizer"]?.string == "NONE")
        #expect(front["Events"]?["SubmitBatch"] == nil)
        let module = language == "python" ? "/src/parent/webhook_auth.py" : "/src/parent/webhook-auth.ts"
        #expect(FileManager.default.fileExists(atPath: scratch + "/hook" + module))
        #expect(try check(scratch + "/hook").status == 0)
    }

    /// A pattern `recommend` never gives for a webhook lists no webhook trigger: a webhook workload is refused with
    /// the triggers its project is started by, also when only `--sender` says it is a webhook.
    @Test func aPatternWithoutAWebhookFrontRefusesAWebhook() throws {
        let folder = try scratch()
        let trigger = try Binary.run(["scaffold", "sync-stream", "--out", folder + "/a", "--duration", "40s", "--response", "result",
                                      "--stream", "yes", "--trigger", "webhook"])
        #expect(trigger.status == 2 && trigger.stderr.contains("its scaffold is started by --trigger request, not --trigger webhook"), "\(trigger.stderr)")
        let sender = try Binary.run(["scaffold", "sync-continuation-token", "--out", folder + "/b", "--duration", "2m", "--response", "result",
                                     "--splittable", "yes", "--sender", "github"])
        #expect(sender.status == 2 && sender.stderr.contains("not --trigger webhook"), "\(sender.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/a") && !FileManager.default.fileExists(atPath: folder + "/b"))
    }

    @Test func aDoorTheTemplateCannotCreateWritesNothing() throws {
        let folder = try scratch()
        let run = try Binary.run(["recommend", "--duration", "5s", "--response", "result", "--entry", "appsync", "--scaffold", folder + "/a"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--scaffold: this workload makes no sync project; nothing was written: its scaffold's front door is --entry api-gateway or --entry http-api or --entry function-url or --entry alb, not --entry appsync."), "\(run.stderr)")
        #expect(run.stdout.isEmpty && !FileManager.default.fileExists(atPath: folder + "/a"))
        // Without --scaffold the answer and its preview are still given.
        #expect(try Binary.run(["recommend", "--duration", "5s", "--response", "result", "--entry", "appsync"]).status == 0)
    }
}
