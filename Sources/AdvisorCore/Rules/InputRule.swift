/// One workload input: a flag of `recommend`, a question of `ask` and a key of a design file at once.
public struct InputRule: Sendable {
    /// `number` is a decimal with a range (Fargate vCPU: 0.25–16); `flag` is a switch given bare (`--free-tier`).
    public enum Kind: String, CaseIterable, Sendable { case duration, rate, volume, size, choice, integer, number, flag }

    public struct Choice: Sendable {
        public var value: String
        public var meaning: String
        /// Offered only when this holds, e.g. `none` only for events and schedules.
        public var when: String?
    }

    /// A default that applies when `when` holds: a `value` in the input's own syntax, or an `expression`
    /// computed from the other inputs (a schedule's volume is its rate × 30 days), shown as `label`.
    public struct ConditionalDefault: Sendable {
        public var when: String
        public var value: String?
        public var expression: String?
        public var label: String?
    }

    /// Other wording of the question where `when` holds: a schedule is asked how often it runs, not its peak.
    public struct ConditionalPrompt: Sendable {
        public var when: String
        public var prompt: String
        public var help: String?
    }

    public var id: String
    /// The id as a name expressions read.
    public var key: Name
    public var flag: String
    public var kind: Kind
    public var prompt: String
    public var help: String
    public var promptWhen: [ConditionalPrompt]? = nil
    public var source: String
    public var group: String?
    public var choices: [Choice]?
    /// The default in the input's own syntax (`3s`, `request`, `100k/month`).
    public var `default`: String?
    /// A default computed from other inputs: `volume / 2592000` for throughput.
    public var defaultExpression: String?
    /// How the computed default is shown: "spread evenly over a 30-day month".
    public var defaultLabel: String?
    public var defaultWhen: [ConditionalDefault]?
    public var required: Bool?
    /// Absent unless given (`--door-timeout`): rules read it only behind `given(x)`.
    public var optional: Bool?
    public var requiredWhen: String?
    /// The questionnaire asks it when this holds even if the tree does not need it (cost inputs, the entry).
    public var askWhen: String?
    public var minimum: Double?
    public var maximum: Double?
    public var unit: String?

    /// The name a design file uses: the flag without dashes.
    public var designKey: String { flag }
}

/// An input's conditions and defaults as `Answers.resolve` evaluates them for each of thousands of
/// workloads: expressions already compiled, default texts already parsed.
public struct CompiledInput: Sendable {
    public var requiredWhen: Expression?
    public var defaultWhen: [(when: Expression, value: Value?, expression: Expression?)]
    public var defaultValue: Value?
    public var defaultExpression: Expression?
    /// The condition of each choice offered only when it holds, by the choice's value.
    public var choiceWhen: [String: Expression]
    /// The flag `given(id)` reads, made once (making a name takes a lock).
    public var givenKey: Name

    init(_ input: InputRule, _ rules: RuleSet) {
        requiredWhen = input.requiredWhen.flatMap { rules.expressions[$0] }
        defaultWhen = (input.defaultWhen ?? []).compactMap { conditional in
            guard let when = rules.expressions[conditional.when] else { return nil }
            let value = conditional.value.map { (try? InputValue.parse($0, for: input)) ?? .string($0) }
            return (when, value, conditional.expression.flatMap { rules.expressions[$0] })
        }
        defaultValue = rules.defaultValues[input.id]
        defaultExpression = input.defaultExpression.flatMap { rules.expressions[$0] }
        var choiceWhen: [String: Expression] = [:]
        for choice in input.choices ?? [] {
            if let when = choice.when, let expression = rules.expressions[when] { choiceWhen[choice.value] = expression }
        }
        self.choiceWhen = choiceWhen
        givenKey = Name.given(input.id)
    }
}

/// A combination of inputs that makes no sense, e.g. a webhook that wants progress updates.
public struct InputConstraint: Sendable {
    public var when: String
    public var message: String
    public var inputs: [String]
    public var source: String
}

public struct DerivedValue: Sendable {
    public var name: String
    public var key: Name
    public var expression: String
    public var meaning: String
}

struct QuestionsFile: Sendable {
    var version: Int
    var inputs: [Located<InputRule>]
    var constraints: [Located<InputConstraint>]
    var derived: [Located<DerivedValue>]
}
