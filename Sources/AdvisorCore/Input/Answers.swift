/// The workload as resolved inputs: every input of the rule set with its value and whether it was given.
public struct Answers: Sendable {
    public struct Entry: Sendable {
        public var value: Value
        public var defaulted: Bool
    }

    public var entries: [String: Entry] { didSet { resolvedScope = nil } }
    /// Input ids in rule order.
    public var order: [String]
    /// The scope `resolve` worked out to check the constraints, kept so that the engine does not work it out
    /// again (`check` resolves thousands of workloads). Cleared when `entries` change.
    private var resolvedScope: Scope?

    public init(entries: [String: Entry], order: [String]) {
        self.entries = entries
        self.order = order
    }

    public subscript(id: String) -> Value? { entries[id]?.value }

    public enum Problem: Error, Sendable, CustomStringConvertible {
        case missing([InputRule])
        case invalid(InputRule, String)
        case inconsistent(String, inputs: [String])

        public var description: String {
            switch self {
            case .missing(let inputs):
                return "missing required " + (inputs.count == 1 ? "input " : "inputs ")
                    + inputs.map { "--\($0.flag) (\($0.kind == .choice ? ($0.choices ?? []).map(\.value).joined(separator: "|") : $0.prompt))" }.joined(separator: ", ")
            case .invalid(_, let message): return message
            case .inconsistent(let message, _): return message
            }
        }
    }

    /// Resolves raw answers (input id → text) into typed values, applying defaults and checking the
    /// rule set's constraints. All missing inputs are named in one error.
    public static func resolve(_ raw: [String: String], rules: RuleSet) throws(Problem) -> Answers {
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(rules.inputs.count)
        var scope = Scope()
        var missing: [InputRule] = []
        var deferred: [(InputRule, Expression)] = []

        func holds(_ expression: Expression?) -> Bool {
            guard let expression else { return false }
            return (try? expression.evaluateBool(scope)) ?? false
        }

        // The text given for each input, by its place in the rules: one lookup per given value instead of
        // one per input (and the rules' structs are read in place, never copied, below).
        let inputs = rules.inputs, compiledInputs = rules.compiledInputs
        var given = [String?](repeating: nil, count: inputs.count)
        for (id, text) in raw {
            if let index = rules.inputIndex[id], inputs.indices.contains(index), inputs[index].id == id { given[index] = text }
            else if let index = inputs.firstIndex(where: { $0.id == id }) { given[index] = text }
        }
        // Which inputs the user gave is known before any default is worked out: `given(volume)` in a
        // default of an earlier input reads it.
        for index in inputs.indices where given[index] != nil { scope[compiledInputs[index].givenKey] = .bool(true) }
        for index in inputs.indices {
            if let text = given[index] {
                let value: Value
                do { value = try InputValue.parse(text, for: inputs[index]) } catch { throw .invalid(inputs[index], error.message) }
                if case .string(let chosen) = value, let when = compiledInputs[index].choiceWhen[chosen], !((try? when.evaluateBool(scope)) ?? true) {
                    throw notOffered(inputs[index], chosen, scope: scope, rules: rules)
                }
                entries[inputs[index].id] = Entry(value: value, defaulted: false)
                scope[inputs[index].key] = value
                continue
            }
            if let conditional = compiledInputs[index].defaultWhen.first(where: { holds($0.when) }) {
                if let value = conditional.value {
                    entries[inputs[index].id] = Entry(value: value, defaulted: true)
                    scope[inputs[index].key] = value
                } else if let expression = conditional.expression {
                    deferred.append((inputs[index], expression))
                }
                continue
            }
            if inputs[index].required == true || holds(compiledInputs[index].requiredWhen) {
                missing.append(inputs[index])
                continue
            }
            if let value = compiledInputs[index].defaultValue {
                entries[inputs[index].id] = Entry(value: value, defaulted: true)
                scope[inputs[index].key] = value
            } else if let expression = compiledInputs[index].defaultExpression {
                deferred.append((inputs[index], expression))
            }
        }
        guard missing.isEmpty else { throw .missing(missing) }
        for (input, expression) in deferred {
            let value: Value
            do { value = try expression.evaluate(scope) } catch {
                throw .invalid(input, "cannot compute the default of --\(input.flag): \(error.message)")
            }
            entries[input.id] = Entry(value: value, defaulted: true)
            scope[input.key] = value
        }
        var answers = Answers(entries: entries, order: rules.inputIDs)
        // `scope` holds every input now; the door and the derived values complete it.
        var full = scope
        complete(&full, rules: rules)
        answers.resolvedScope = full
        for constraint in rules.constraints where (try? constraint.when.evaluateBool(full)) == true {
            let message = (try? MessageTemplate(constraint.rule.message).render(full)) ?? constraint.rule.message
            throw .inconsistent(message, inputs: constraint.rule.inputs)
        }
        return answers
    }

    /// A choice given where its condition does not hold (`none` for a request): which ones are offered here.
    private static func notOffered(_ input: InputRule, _ chosen: String, scope: Scope, rules: RuleSet) -> Problem {
        let when = input.choices?.first(where: { $0.value == chosen })?.when ?? ""
        let accepted = rules.offeredChoices(input, in: scope).map(\.value)
        return .invalid(input, "--\(input.flag) \(chosen) does not fit here (\(when)); accepted: \(accepted.joined(separator: ", "))")
    }

    /// Every value an expression can read: the inputs, the entry's door (`window`, `doorLimit`) and the
    /// rule set's derived values.
    public func scope(rules: RuleSet) -> Scope {
        if let resolvedScope { return resolvedScope }
        var scope = Scope()
        for (index, id) in rules.inputIDs.enumerated() {
            guard let entry = entries[id] else { continue }
            scope[rules.inputs[index].key] = entry.value
            if !entry.defaulted { scope[rules.compiledInputs[index].givenKey] = .bool(true) }
        }
        Self.complete(&scope, rules: rules)
        return scope
    }

    /// Adds to a scope of inputs the entry's door (`window`, `doorLimit`) and the derived values.
    private static func complete(_ scope: inout Scope, rules: RuleSet) {
        if case .string(let entry)? = scope[.entry] { rules.enter(entry, into: &scope) }
        for derived in rules.derived {
            if let value = try? derived.expression.evaluate(scope) { scope[derived.rule.key] = value }
        }
    }

    /// The value as the user would type it.
    public func text(_ id: String, rules: RuleSet) -> String? {
        guard let entry = entries[id], let input = rules.input(id) else { return nil }
        return InputValue.format(entry.value, for: input)
    }
}
