/// A parsed rule expression: `duration > 15m && splittable == 'no'`, `volume * avgDuration * memory / 1024`.
///
/// Rules are data, so their logic is written in this small language and checked by `rules lint`
/// (every name defined, every function known) before a user ever runs it.
public indirect enum Expression: Sendable, Equatable {
    case literal(Value)
    case name(Name)
    case list([Expression])
    case unary(String, Expression)
    case binary(String, Expression, Expression)
    case call(String, [Expression])

    public struct Error: Swift.Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    /// Every name the expression reads.
    public var names: Set<String> {
        switch self {
        case .literal: return []
        case .name(let n): return [n.text]
        case .list(let items): return items.reduce(into: []) { $0.formUnion($1.names) }
        case .unary(_, let e): return e.names
        case .binary(_, let a, let b): return a.names.union(b.names)
        case .call("given", let args): return Set(args.compactMap { if case .name(let n) = $0 { Name.input(ofGiven: n.text) } else { nil } })
        case .call(_, let args): return args.reduce(into: []) { $0.formUnion($1.names) }
        }
    }

    /// Every function the expression calls.
    public var functions: Set<String> {
        switch self {
        case .literal, .name: return []
        case .list(let items): return items.reduce(into: []) { $0.formUnion($1.functions) }
        case .unary(_, let e): return e.functions
        case .binary(_, let a, let b): return a.functions.union(b.functions)
        case .call(let f, let args): return args.reduce(into: [f]) { $0.formUnion($1.functions) }
        }
    }

    public static let functionArity: [String: ClosedRange<Int>] = [
        "min": 2...8, "max": 2...8, "ceil": 1...1, "floor": 1...1, "round": 1...1,
        "ceilTo": 2...2, "given": 1...1, "dur": 1...1, "rate": 1...1, "int": 1...1, "num": 1...1, "money": 1...1, "volume": 1...1,
    ]

    public static func parse(_ text: String) throws(Error) -> Expression {
        var parser = ExpressionParser(text)
        return try parser.parseAll()
    }

    /// Evaluates against named values; unknown names, type mismatches and division by zero are errors.
    public func evaluate(_ scope: Scope) throws(Error) -> Value {
        switch self {
        case .literal(let v): return v
        case .name(let n):
            guard let v = scope[n] else { throw Error("unknown name '\(n)'") }
            return v
        case .list(let items):
            var values: [Value] = []
            for item in items { values.append(try item.evaluate(scope)) }
            return .list(values)
        case .unary(let op, let e):
            let v = try e.evaluate(scope)
            switch (op, v) {
            case ("-", .number(let n)): return .number(-n)
            case ("!", .bool(let b)): return .bool(!b)
            default: throw Error("'\(op)' cannot apply to \(v.typeName)")
            }
        case .binary(let op, let a, let b):
            return try Expression.apply(op, a, b, scope)
        case .call("given", let args):
            guard case .name(let flag)? = args.first else { throw Error("given() takes one input name") }
            return .bool(scope[flag] != nil)
        case .call(let f, let args):
            var values: [Value] = []
            for arg in args { values.append(try arg.evaluate(scope)) }
            return try Expression.call(f, values)
        }
    }

    public func evaluateNumber(_ scope: Scope) throws(Error) -> Double {
        let v = try evaluate(scope)
        guard case .number(let n) = v else { throw Error("expected a number, got \(v.typeName) '\(v)'") }
        return n
    }

    public func evaluateBool(_ scope: Scope) throws(Error) -> Bool {
        let v = try evaluate(scope)
        guard case .bool(let b) = v else { throw Error("expected true or false, got \(v.typeName) '\(v)'") }
        return b
    }

    private static func apply(_ op: String, _ a: Expression, _ b: Expression, _ scope: Scope) throws(Error) -> Value {
        if op == "&&" || op == "||" {
            guard case .bool(let left) = try a.evaluate(scope) else { throw Error("'\(op)' needs true/false on its left") }
            if op == "&&" && !left { return .bool(false) }
            if op == "||" && left { return .bool(true) }
            guard case .bool(let right) = try b.evaluate(scope) else { throw Error("'\(op)' needs true/false on its right") }
            return .bool(right)
        }
        let left = try a.evaluate(scope)
        let right = try b.evaluate(scope)
        switch (op, left, right) {
        case ("+", .number(let x), .number(let y)): return .number(x + y)
        case ("-", .number(let x), .number(let y)): return .number(x - y)
        case ("*", .number(let x), .number(let y)): return .number(x * y)
        case ("/", .number(let x), .number(let y)):
            guard y != 0 else { throw Error("division by zero in '\(Expression.binary(op, a, b))'") }
            return .number(x / y)
        case ("<", .number(let x), .number(let y)): return .bool(x < y)
        case ("<=", .number(let x), .number(let y)): return .bool(x <= y)
        case (">", .number(let x), .number(let y)): return .bool(x > y)
        case (">=", .number(let x), .number(let y)): return .bool(x >= y)
        case ("==", _, _): return .bool(left == right)
        case ("!=", _, _): return .bool(left != right)
        case ("in", _, .list(let items)): return .bool(items.contains(left))
        default:
            throw Error("'\(op)' cannot combine \(left.typeName) and \(right.typeName)")
        }
    }

    private static func call(_ f: String, _ args: [Value]) throws(Error) -> Value {
        guard let arity = functionArity[f] else { throw Error("unknown function '\(f)'") }
        guard arity.contains(args.count) else { throw Error("\(f)() takes \(arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound)–\(arity.upperBound)") argument(s), got \(args.count)") }
        var numbers: [Double] = []
        for arg in args {
            guard case .number(let n) = arg else { throw Error("\(f)() needs numbers, got \(arg.typeName)") }
            numbers.append(n)
        }
        switch f {
        case "min": return .number(numbers.min()!)
        case "max": return .number(numbers.max()!)
        case "ceil": return .number(numbers[0].rounded(.up))
        case "floor": return .number(numbers[0].rounded(.down))
        case "round": return .number(numbers[0].rounded())
        case "ceilTo": return .number(try ceilTo(numbers[0], numbers[1]))
        case "dur": return .string(Duration.format(numbers[0]))
        case "rate": return .string(Rate.format(numbers[0]))
        case "volume": return .string(Rate.formatVolume(numbers[0]))
        case "int": return .string(Value.formatNumber(numbers[0].rounded()))
        case "num": return .string(Value.formatNumber(numbers[0]))
        case "money": return .string(Money.format(numbers[0]))
        default: throw Error("unknown function '\(f)'")
        }
    }
}

extension Expression {
    /// `ceilTo(x, step)`: x rounded up to a whole number of steps, the way AWS bills (1 ms, 100 ms, 64 MB).
    /// A value that is a whole number of steps up to floating-point noise (1.1 s in 100 ms steps) stays put.
    static func ceilTo(_ value: Double, _ step: Double) throws(Error) -> Double {
        guard step > 0, step.isFinite else { throw Error("ceilTo() needs a step above 0, got \(Value.formatNumber(step))") }
        let steps = value / step
        let nearest = steps.rounded()
        if abs(steps - nearest) <= 1e-9 * max(1, abs(steps)) { return nearest * step }
        return steps.rounded(.up) * step
    }
}

extension Expression: CustomStringConvertible {
    public var description: String {
        switch self {
        case .literal(.string(let s)): return "'\(s)'"
        case .literal(let v): return v.description
        case .name(let n): return n.text
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .unary(let op, let e): return "\(op)\(e)"
        case .binary(let op, let a, let b): return "(\(a) \(op) \(b))"
        case .call(let f, let args): return "\(f)(" + args.map(\.description).joined(separator: ", ") + ")"
        }
    }
}

/// Dollar amounts as people read them: `$2,000.00`, `$0.20`, and `$0.0042` below a cent.
public enum Money {
    public static func format(_ dollars: Double) -> String {
        guard dollars.isFinite else { return "n/a" }
        // Past Int64's range whole cents cannot be grouped; such figures only come from absurd inputs.
        guard abs(dollars) < 1e15 else { return (dollars < 0 ? "-$" : "$") + "\(abs(dollars).rounded())" }
        if dollars != 0 && abs(dollars) < 0.01 {
            var digits = 4
            while digits < 10 && (abs(dollars) * pow10(digits)).rounded() == 0 { digits += 1 }
            return "$" + fixed(dollars, digits)
        }
        let cents = (dollars * 100).rounded()
        let whole = Int64((abs(cents) / 100).rounded(.down))
        let rest = Int64(abs(cents)) % 100
        return (cents < 0 ? "-$" : "$") + Value.groupThousands(String(whole)) + "." + (rest < 10 ? "0" : "") + String(rest)
    }

    /// A bill's figure: always two decimals (SPEC §8), so a line under a cent reads $0.00 or $0.01.
    public static func bill(_ dollars: Double) -> String {
        guard dollars.isFinite, abs(dollars) < 1e15 else { return format(dollars) }
        return format((dollars * 100).rounded() / 100)
    }

    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { r, _ in r * 10 } }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        let scaled = (abs(value) * pow10(digits)).rounded()
        var text = String(Int64(scaled))
        while text.count <= digits { text = "0" + text }
        text.insert(".", at: text.index(text.endIndex, offsetBy: -digits))
        while text.hasSuffix("0") && !text.hasSuffix(".00") && text.split(separator: ".")[1].count > 2 { text.removeLast() }
        return (value < 0 ? "-" : "") + text
    }
}
