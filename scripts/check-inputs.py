#!/usr/bin/env python3
"""Inputs for `check` at scale, shared by scripts/bench-scale and scripts/compare-check:
   check-inputs.py design COUNT PATH                 a COUNT-workload design file (scripts/bench-check's)
   check-inputs.py templates COUNT FOLDER [SOURCE]   COUNT templates under FOLDER/services (scripts/bench-templates'),
                                                     or copies of the real templates under SOURCE
"""
import json, os, random, shutil, sys

def design(count, path):
    rng = random.Random(20261123)
    patterns = ["sync", "sync-continuation-token", "async-invoke", "sqs-queue", "step-functions-express",
                "step-functions-standard", "fan-out", "queue-chaining", "ecs-fargate", "dynamodb-stream-job",
                "lambda-self-invoke", "task-manager", "kinesis-stream", "eventbridge-schedule"]
    durations = ["500ms", "2s", "10s", "25s", "29s", "45s", "90s", "4m", "5m", "10m", "15m", "20m", "45m", "2h", "2d"]
    workloads = []
    for i in range(count):
        trigger = rng.choice(["request", "request", "webhook", "event", "schedule"])
        w = {"name": f"workload-{i:05d}", "pattern": rng.choice(patterns), "duration": rng.choice(durations), "trigger": trigger}
        if trigger == "request":
            w["response"] = rng.choice(["result", "ack", "status"])
        elif trigger == "webhook":
            w["response"] = rng.choice(["result", "ack"])
        if trigger in ("request", "webhook") and rng.random() < 0.6:
            w["entry"] = rng.choice(["api-gateway", "http-api", "appsync", "function-url", "alb", "direct"])
        if rng.random() < 0.5: w["retry"] = rng.choice(["none", "automatic", "guaranteed"])
        if rng.random() < 0.5: w["shape"] = rng.choice(["single", "steps", "batch"])
        if rng.random() < 0.3: w["splittable"] = rng.choice([True, False, "yes", "no"])
        if rng.random() < 0.3: w["updates"] = rng.choice(["push", "poll"])
        if rng.random() < 0.5: w["throughput"] = rng.choice(["5/s", "300/min", "2k/s", "40/h", "12k/s", "150/s"])
        if rng.random() < 0.3: w["volume"] = rng.choice(["100k/month", "3M/month", "20M/month"])
        if rng.random() < 0.3: w["memory"] = rng.choice([128, 512, 1024, 3008, "2048"])
        workloads.append(w)
    with open(path, "w") as f:
        f.write('{\n  "workloads": [\n')
        f.write(",\n".join("    " + json.dumps(w) for w in workloads))
        f.write("\n  ]\n}\n")

rng = random.Random(20261123)

def function(name, sam, timeout, events, extra):
    lines = [f"  {name}:", f"    Type: {'AWS::Serverless::Function' if sam else 'AWS::Lambda::Function'}", "    Properties:"]
    if sam:
        lines += [f"      CodeUri: src/{name.lower()}/", "      Handler: app.handler"]
    else:
        lines += ["      Handler: index.handler", "      Role: !GetAtt FunctionRole.Arn", "      Code:", "        ZipFile: |",
                  "          def handler(event, context):", "              return {'statusCode': 200}"]
    lines += ["      Runtime: python3.13", f"      MemorySize: {rng.choice([128, 512, 1024, 2048])}"]
    if timeout is not None:
        lines.append(f"      Timeout: {timeout}")
    lines += ["      Environment:", "        Variables:", f"          TABLE_NAME: !Ref Table", f"          STAGE: !Ref Stage",
              "      Tags:", "        team: payments", "        cost-centre: '4711'"]
    lines += extra
    if events:
        lines.append("      Events:")
        lines += events
    return lines

def template(index):
    sam = index % 4 != 3
    out = ["AWSTemplateFormatVersion: '2010-09-09'"] + (["Transform: AWS::Serverless-2016-10-31"] if sam else [])
    out += [f"Description: generated service {index} for scripts/bench-templates", "Parameters:", "  Stage:", "    Type: String",
            "    Default: prod", "    AllowedValues: [dev, prod]", "  WorkerTimeout:", "    Type: Number", f"    Default: {rng.choice([30, 60, 120])}"]
    if sam:
        out += ["Globals:", "  Function:", f"    Timeout: {rng.choice([10, 30, 60])}", "    Tracing: Active", "    Architectures: [arm64]"]
    out += ["Conditions:", "  IsProd: !Equals [!Ref Stage, prod]", "Resources:",
            "  Table:", "    Type: AWS::DynamoDB::Table", "    Properties:", "      BillingMode: PAY_PER_REQUEST",
            "      AttributeDefinitions:", "        - AttributeName: pk", "          AttributeType: S",
            "      KeySchema:", "        - AttributeName: pk", "          KeyType: HASH",
            "      StreamSpecification:", "        StreamViewType: NEW_AND_OLD_IMAGES",
            "  FunctionRole:", "    Type: AWS::IAM::Role", "    Properties:", "      AssumeRolePolicyDocument:",
            "        Version: '2012-10-17'", "        Statement:", "          - Effect: Allow", "            Principal: {Service: lambda.amazonaws.com}",
            "            Action: sts:AssumeRole", "      ManagedPolicyArns:", "        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
    target = rng.randint(100, 600)
    n = 0
    while len(out) < target - 20:
        n += 1
        kind = rng.choice(["api", "http", "queue", "stream", "s3", "schedule", "method", "websocket", "appsync", "openapi"])
        name = f"{kind.capitalize()}{n}"
        timeout = rng.choice([None, 3, 15, 29, 30, 45, 60, 300, 900, "!Ref WorkerTimeout"])
        if kind in ("api", "http") and sam:
            event = "Api" if kind == "api" else "HttpApi"
            out += function(name, True, timeout, [f"        Call{n}:", f"          Type: {event}", "          Properties:",
                                                  f"            Path: /items/{n}", "            Method: get"]
                            + ([f"            TimeoutInMillis: {rng.choice([5000, 10000, 29000])}"] if rng.random() < 0.3 else []), [])
        elif kind == "queue":
            out += [f"  {name}Queue:", "    Type: AWS::SQS::Queue", "    Properties:", f"      VisibilityTimeout: {rng.choice([30, 60, 180, 365, 900])}",
                    "      MessageRetentionPeriod: 345600"]
            if rng.random() < 0.6:
                out += ["      RedrivePolicy:", f"        deadLetterTargetArn: !GetAtt {name}DLQ.Arn", "        maxReceiveCount: 5",
                        f"  {name}DLQ:", "    Type: AWS::SQS::Queue"]
            if sam:
                out += function(name, True, timeout, [f"        Work{n}:", "          Type: SQS", "          Properties:",
                                                      f"            Queue: !GetAtt {name}Queue.Arn", "            BatchSize: 10",
                                                      f"            MaximumBatchingWindowInSeconds: {rng.choice([0, 5, 30])}"], [])
            else:
                out += function(name, False, timeout, [], [])
                out += [f"  {name}Mapping:", "    Type: AWS::Lambda::EventSourceMapping", "    Properties:",
                        f"      EventSourceArn: !GetAtt {name}Queue.Arn", f"      FunctionName: !Ref {name}", "      BatchSize: 10"]
        elif kind == "stream":
            out += [f"  {name}Stream:", "    Type: AWS::Kinesis::Stream", "    Properties:", "      ShardCount: 1"]
            out += function(name, False, timeout, [], [])
            out += [f"  {name}Mapping:", "    Type: AWS::Lambda::EventSourceMapping", "    Properties:",
                    f"      EventSourceArn: !GetAtt {name}Stream.Arn", f"      FunctionName: !GetAtt {name}.Arn", "      StartingPosition: LATEST"]
            if rng.random() < 0.5:
                out += ["      DestinationConfig:", "        OnFailure:", "          Destination: !GetAtt Table.StreamArn"]
        elif kind == "s3" and sam:
            extra = ["      DeadLetterQueue:", "        Type: SQS", "        TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq"] if rng.random() < 0.5 else []
            out += [f"  {name}Bucket:", "    Type: AWS::S3::Bucket"]
            out += function(name, True, timeout, [f"        Upload{n}:", "          Type: S3", "          Properties:",
                                                  f"            Bucket: !Ref {name}Bucket", "            Events: s3:ObjectCreated:*"], extra)
        elif kind == "schedule":
            out += function(name, sam, timeout, [], [])
            out += [f"  {name}Rule:", "    Type: AWS::Events::Rule", "    Properties:", "      ScheduleExpression: rate(5 minutes)",
                    "      Targets:", f"        - Id: {name.lower()}", f"          Arn: !GetAtt {name}.Arn"]
        elif kind == "method":
            out += function(name, sam, timeout, [], [])
            out += [f"  {name}Method:", "    Type: AWS::ApiGateway::Method", "    Properties:", "      RestApiId: !Ref RestApi",
                    "      ResourceId: !GetAtt RestApi.RootResourceId", "      HttpMethod: POST", "      AuthorizationType: NONE",
                    "      Integration:", "        Type: AWS_PROXY", "        IntegrationHttpMethod: POST",
                    f"        Uri: !Sub arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{name}.Arn}}/invocations"]
            if rng.random() < 0.2:
                out += ["        RequestParameters:", "          integration.request.header.X-Amz-Invocation-Type: \"'Event'\""]
        elif kind == "websocket":
            out += function(name, sam, timeout, [], [])
            out += [f"  {name}Integration:", "    Type: AWS::ApiGatewayV2::Integration", "    Properties:", "      ApiId: !Ref Socket",
                    "      IntegrationType: AWS_PROXY", f"      IntegrationUri: !Sub arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{name}.Arn}}/invocations"]
        elif kind == "appsync":
            out += function(name, sam, timeout, [], [])
            out += [f"  {name}Source:", "    Type: AWS::AppSync::DataSource", "    Properties:", "      ApiId: graph", f"      Name: {name.lower()}",
                    "      Type: AWS_LAMBDA", "      LambdaConfig:", f"        LambdaFunctionArn: !GetAtt {name}.Arn"]
        else:
            out += function(name, sam, timeout, [], [])
            out += [f"  {name}Api:", f"    Type: {'AWS::Serverless::Api' if sam else 'AWS::ApiGateway::RestApi'}", "    Properties:"]
            out += (["      StageName: prod", "      DefinitionBody:"] if sam else ["      Body:"])
            out += ["        openapi: 3.0.1", "        info: {title: api, version: '1'}", "        paths:", f"          /run/{n}:", "            post:",
                    "              x-amazon-apigateway-integration:", "                type: aws_proxy", "                httpMethod: POST",
                    f"                uri: !Sub arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{name}.Arn}}/invocations"]
            if rng.random() < 0.3:
                out.append("                responseTransferMode: STREAM")
    out += ["  RestApi:", "    Type: AWS::ApiGateway::RestApi", "    Properties:", "      Name: !Sub '${AWS::StackName}-api'",
            "  Socket:", "    Type: AWS::ApiGatewayV2::Api", "    Properties:", "      Name: socket", "      ProtocolType: WEBSOCKET",
            "      RouteSelectionExpression: $request.body.action", "Outputs:", "  TableName:", "    Value: !Ref Table"]
    return "\n".join(out) + "\n"


def templates(count, folder, source):
    global rng
    rng = random.Random(20261123)
    lines = 0
    real = []
    if source:
        for root, dirs, files in os.walk(source):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            real += [os.path.join(root, name) for name in sorted(files) if name.endswith((".yaml", ".yml", ".json")) and name != "manifest.json"]
    for index in range(count):
        os.makedirs(f"{folder}/services/svc-{index:05d}")
        if real:
            path = real[index % len(real)]
            target = f"{folder}/services/svc-{index:05d}/template" + (".json" if path.endswith(".json") else ".yaml")
            shutil.copyfile(path, target)
            with open(path, encoding="utf-8", errors="replace") as f:
                lines += f.read().count("\n")
        else:
            text = template(index)
            lines += text.count("\n")
            with open(f"{folder}/services/svc-{index:05d}/template.yaml", "w") as f:
                f.write(text)
    print(f"{count} templates ({'copies of ' + str(len(real)) + ' files under ' + source if real else 'generated'}), {lines} lines in all ({lines // count} on average)")


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "design":
        design(int(sys.argv[2]), sys.argv[3])
    elif kind == "templates":
        templates(int(sys.argv[2]), sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "")
    else:
        sys.exit("usage: check-inputs.py design|templates COUNT PATH [SOURCE]")
