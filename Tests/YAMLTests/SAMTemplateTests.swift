import Testing
import YAML

/// A realistic SAM template, read end to end.
@Suite struct SAMTemplateTests {
    static let template = """
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Description: >
          Orders service: an API that queues orders
          and a worker that processes them.

        Globals:
          Function:
            Runtime: python3.13
            Timeout: 30
            MemorySize: 256
            Tracing: Active
            Environment:
              Variables:
                LOG_LEVEL: INFO

        Parameters:
          Stage:
            Type: String
            Default: dev
            AllowedValues: [dev, staging, prod]

        Conditions:
          IsProd: !Equals [!Ref Stage, prod]

        Resources:
          OrdersQueue:
            Type: AWS::SQS::Queue
            Properties:
              VisibilityTimeout: 180
              RedrivePolicy:
                deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
                maxReceiveCount: 5

          OrdersDLQ:
            Type: AWS::SQS::Queue

          ApiFunction:
            Type: AWS::Serverless::Function   # the front door
            Properties:
              Handler: app.handler
              CodeUri: src/api/
              Environment:
                Variables:
                  QUEUE_URL: !Ref OrdersQueue
              Policies:
                - SQSSendMessagePolicy:
                    QueueName: !GetAtt OrdersQueue.QueueName
                - Statement:
                    - Effect: Allow
                      Action: ['ssm:GetParameter']
                      Resource: !Sub "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/*"
              Events:
                PostOrder:
                  Type: Api
                  Properties:
                    Path: /orders
                    Method: post

          WorkerFunction:
            Type: AWS::Serverless::Function
            Properties:
              Handler: worker.handler
              CodeUri: src/worker/
              ReservedConcurrentExecutions: !If [IsProd, 10, !Ref AWS::NoValue]
              Events:
                Orders:
                  Type: SQS
                  Properties:
                    Queue: !GetAtt OrdersQueue.Arn
                    BatchSize: 10
                    FunctionResponseTypes:
                    - ReportBatchItemFailures
              Policies:
                - Version: '2012-10-17'
                  Statement:
                    - Effect: Allow
                      Action:
                        - dynamodb:PutItem
                      Resource: '*'
              InlineCode: |
                import json

                def handler(event, context):
                    return {"batchItemFailures": []}

          OrdersQueuePolicy:
            Type: AWS::SQS::QueuePolicy
            Properties:
              Queues: [!Ref OrdersQueue]
              PolicyDocument: !Sub |
                {
                  "Version": "2012-10-17",
                  "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "sns.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": "${OrdersQueue.Arn}"
                  }]
                }

        Outputs:
          ApiUrl:
            Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/"
        """

    @Test func readsEverySection() throws {
        let root = try #require(try YAML.parse(Self.template))
        #expect(root.entries?.map { $0.key.string ?? "" } == [
            "AWSTemplateFormatVersion", "Transform", "Description", "Globals", "Parameters", "Conditions", "Resources",
            "Outputs",
        ])
        #expect(root["Description"]?.string == "Orders service: an API that queues orders and a worker that processes them.\n")
        #expect(root["Globals"]?["Function"]?["Timeout"]?.int == 30)
        #expect(root["Globals"]?["Function"]?["Environment"]?["Variables"]?["LOG_LEVEL"]?.string == "INFO")
        #expect(root["Parameters"]?["Stage"]?["AllowedValues"].map(Value.init) == ["dev", "staging", "prod"])
        let resources = try #require(root["Resources"])
        #expect(resources.entries?.count == 5)
        #expect(resources["OrdersQueue"]?["Properties"]?["VisibilityTimeout"]?.int == 180)
    }

    @Test func functionsEventsAndPolicies() throws {
        let root = try #require(try YAML.parse(Self.template)).cloudFormationLongForm()
        let api = try #require(root["Resources"]?["ApiFunction"]?["Properties"])
        #expect(api["Events"]?["PostOrder"]?["Type"]?.string == "Api")
        #expect(api["Events"]?["PostOrder"]?["Properties"]?["Method"]?.string == "post")
        #expect(api["Environment"].map(Value.init) == ["Variables": ["QUEUE_URL": ["Ref": "OrdersQueue"]]])
        let statement = try #require(api["Policies"]?[1]?["Statement"]?[0])
        #expect(statement["Action"].map(Value.init) == ["ssm:GetParameter"])
        #expect(
            statement["Resource"].map(Value.init)
                == ["Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/*"])

        let worker = try #require(root["Resources"]?["WorkerFunction"]?["Properties"])
        let sqs = try #require(worker["Events"]?["Orders"])
        #expect(sqs["Type"]?.string == "SQS")
        #expect(sqs["Properties"]?["Queue"].map(Value.init) == ["Fn::GetAtt": ["OrdersQueue", "Arn"]])
        #expect(sqs["Properties"]?["BatchSize"]?.int == 10)
        #expect(sqs["Properties"]?["FunctionResponseTypes"].map(Value.init) == ["ReportBatchItemFailures"])
        #expect(
            worker["ReservedConcurrentExecutions"].map(Value.init)
                == ["Fn::If": ["IsProd", "10", ["Ref": "AWS::NoValue"]]])
        #expect(worker["Policies"]?[0]?["Statement"]?[0]?["Resource"]?.string == "*")
        #expect(
            worker["InlineCode"]?.string
                == "import json\n\ndef handler(event, context):\n    return {\"batchItemFailures\": []}\n")
        #expect(root["Conditions"]?["IsProd"].map(Value.init) == ["Fn::Equals": [["Ref": "Stage"], "prod"]])

        let queuePolicy = try #require(root["Resources"]?["OrdersQueuePolicy"]?["Properties"])
        #expect(queuePolicy["Queues"].map(Value.init) == [["Ref": "OrdersQueue"]])
        let document = try #require(queuePolicy["PolicyDocument"]?["Fn::Sub"]?.string)
        #expect(document.hasPrefix("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n"))
        #expect(document.hasSuffix("    \"Resource\": \"${OrdersQueue.Arn}\"\n  }]\n}\n"))
    }

    @Test func marksPointAtTheTemplateText() throws {
        let root = try #require(try YAML.parse(Self.template))
        let resources = try #require(root["Resources"])
        let worker = try #require(resources.entries?.first { $0.key.string == "WorkerFunction" })
        #expect(worker.key.mark == Mark(line: 60, column: 3))
        #expect(worker.value["Properties"]?["Events"]?["Orders"]?["Properties"]?["Queue"]?.mark == Mark(line: 70, column: 20))
        #expect(resources["ApiFunction"]?["Type"]?.mark == Mark(line: 39, column: 11))
        #expect(worker.value["Properties"]?["InlineCode"]?.mark == Mark(line: 81, column: 19))
    }
}
