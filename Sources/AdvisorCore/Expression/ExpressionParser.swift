/// Recursive-descent parser for `Expression`. Precedence, lowest first:
/// `||`, `&&`, `!`, comparison and `in`, `+ -`, `* /`, unary `-`.
struct ExpressionParser {
    private enum Token: Equatable {
        case number(Double), string(String), name(String), symbol(String), end
    }

    private let text: String
    private var tokens: [(token: Token, column: Int)] = []
    private var position = 0
    private var depth = 0

    init(_ text: String) { self.text = text }

    mutating func parseAll() throws(Expression.Error) -> Expression {
        tokens = try Self.tokenize(text)
        let expression = try parseOr()
        guard case .end = current else { throw unexpected("end of expression") }
        return expression
    }

    private var current: Token { tokens[position].token }

    private func unexpected(_ expected: String) -> Expression.Error {
        let found: String
        switch current {
        case .end: found = "the end"
        case .number(let n): found = "'\(Value.formatNumber(n))'"
        case .string(let s): found = "'\(s)'"
        case .name(let n): found = "'\(n)'"
        case .symbol(let s): found = "'\(s)'"
        }
        return Expression.Error("in '\(text)' at column \(tokens[position].column): expected \(expected), found \(found)")
    }

    private mutating func take(_ symbol: String) -> Bool {
        if current == .symbol(symbol) || current == .name(symbol) { position += 1; return true }
        return false
    }

    private mutating func nested<T>(_ body: (inout ExpressionParser) throws(Expression.Error) -> T) throws(Expression.Error) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth < 200 else { throw Expression.Error("'\(text.prefix(40))…' is nested too deeply") }
        return try body(&self)
    }

    private mutating func parseOr() throws(Expression.Error) -> Expression {
        try nested { (p: inout ExpressionParser) throws(Expression.Error) -> Expression in
            var left = try p.parseAnd()
            while p.take("||") { left = .binary("||", left, try p.parseAnd()) }
            return left
        }
    }

    private mutating func parseAnd() throws(Expression.Error) -> Expression {
        var left = try parseNot()
        while take("&&") { left = .binary("&&", left, try parseNot()) }
        return left
    }

    private mutating func parseNot() throws(Expression.Error) -> Expression {
        if take("!") { return try nested { (p: inout ExpressionParser) throws(Expression.Error) in .unary("!", try p.parseNot()) } }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(Expression.Error) -> Expression {
        let left = try parseSum()
        for op in ["<=", ">=", "==", "!=", "<", ">", "in"] where take(op) {
            return .binary(op, left, try parseSum())
        }
        return left
    }

    private mutating func parseSum() throws(Expression.Error) -> Expression {
        var left = try parseProduct()
        while true {
            if take("+") { left = .binary("+", left, try parseProduct()) }
            else if take("-") { left = .binary("-", left, try parseProduct()) }
            else { return left }
        }
    }

    private mutating func parseProduct() throws(Expression.Error) -> Expression {
        var left = try parseUnary()
        while true {
            if take("*") { left = .binary("*", left, try parseUnary()) }
            else if take("/") { left = .binary("/", left, try parseUnary()) }
            else { return left }
        }
    }

    private mutating func parseUnary() throws(Expression.Error) -> Expression {
        if take("-") { return try nested { (p: inout ExpressionParser) throws(Expression.Error) in .unary("-", try p.parseUnary()) } }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(Expression.Error) -> Expression {
        switch current {
        case .number(let n): position += 1; return .literal(.number(n))
        case .string(let s): position += 1; return .literal(.string(s))
        case .name("true"): position += 1; return .literal(.bool(true))
        case .name("false"): position += 1; return .literal(.bool(false))
        case .name("inf"): position += 1; return .literal(.number(.infinity))
        case .name(let n) where n == "in":
            throw unexpected("a value")
        case .name(let n):
            position += 1
            guard take("(") else { return .name(Name(n)) }
            var args: [Expression] = []
            if !take(")") {
                repeat { args.append(try parseOr()) } while take(",")
                guard take(")") else { throw unexpected("')' to close \(n)(") }
            }
            // given(x): whether the user gave input x rather than taking its default. It reads the flag
            // `Answers` sets beside each given input, not x's value.
            if n == "given" {
                guard args.count == 1, case .name(let input) = args[0] else { throw Expression.Error("given() takes one input name, as in given(volume)") }
                return .call(n, [.name(Name.given(input.text))])
            }
            return .call(n, args)
        case .symbol("("):
            position += 1
            let inner = try parseOr()
            guard take(")") else { throw unexpected("')'") }
            return inner
        case .symbol("["):
            position += 1
            var items: [Expression] = []
            if !take("]") {
                repeat { items.append(try parseOr()) } while take(",")
                guard take("]") else { throw unexpected("']' to close the list") }
            }
            return .list(items)
        default:
            throw unexpected("a value (number, duration like 15m, 'string', name, '(' or '[')")
        }
    }

    private static func tokenize(_ text: String) throws(Expression.Error) -> [(token: Token, column: Int)] {
        // Unicode scalars, not Characters: grapheme breaking made this the costliest step of loading rules.
        let characters = Array(text.unicodeScalars)
        var tokens: [(token: Token, column: Int)] = []
        var i = 0
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        func isLetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
        func isNameStart(_ c: Unicode.Scalar) -> Bool { isLetter(c) || c == "_" }
        func isNamePart(_ c: Unicode.Scalar) -> Bool { isLetter(c) || isDigit(c) || c == "_" }
        func string(_ range: Range<Int>) -> String {
            var out = String.UnicodeScalarView()
            out.append(contentsOf: characters[range])
            return String(out)
        }
        while i < characters.count {
            let c = characters[i]
            let column = i + 1
            if c == " " || c == "\t" || c == "\n" { i += 1; continue }
            if isDigit(c) || (c == "." && i + 1 < characters.count && isDigit(characters[i + 1])) {
                let start = i
                while i < characters.count, isDigit(characters[i]) || characters[i] == "." { i += 1 }
                // exponent: 1e3, 2.5E-4
                if i < characters.count, characters[i] == "e" || characters[i] == "E",
                   i + 1 < characters.count, isDigit(characters[i + 1]) || ((characters[i + 1] == "-" || characters[i + 1] == "+") && i + 2 < characters.count && isDigit(characters[i + 2])) {
                    i += 2
                    while i < characters.count, isDigit(characters[i]) { i += 1 }
                }
                if i < characters.count, isLetter(characters[i]) {
                    // a duration literal: 15m, 800ms, 1h30m
                    while i < characters.count, isLetter(characters[i]) || isDigit(characters[i]) || characters[i] == "." { i += 1 }
                    let literal = string(start..<i)
                    do { tokens.append((.number(try Duration.parse(literal).seconds), column)) }
                    catch { throw Expression.Error("in '\(text)' at column \(column): \(error.message)") }
                    continue
                }
                let literal = string(start..<i)
                guard let value = Double(literal) else { throw Expression.Error("in '\(text)' at column \(column): '\(literal)' is not a number") }
                tokens.append((.number(value), column))
                continue
            }
            if isNameStart(c) {
                let start = i
                while i < characters.count, isNamePart(characters[i]) { i += 1 }
                tokens.append((.name(string(start..<i)), column))
                continue
            }
            if c == "'" {
                i += 1
                let start = i
                while i < characters.count, characters[i] != "'" { i += 1 }
                guard i < characters.count else { throw Expression.Error("in '\(text)' at column \(column): unterminated string (missing closing ')") }
                tokens.append((.string(string(start..<i)), column))
                i += 1
                continue
            }
            if i + 1 < characters.count {
                let next = characters[i + 1]
                let pair = (c == "<" || c == ">" || c == "=" || c == "!") && next == "=" || (c == "&" && next == "&") || (c == "|" && next == "|")
                if pair { tokens.append((.symbol(string(i..<i + 2)), column)); i += 2; continue }
            }
            if "+-*/<>!()[],".unicodeScalars.contains(c) {
                tokens.append((.symbol(String(Character(c))), column)); i += 1; continue
            }
            throw Expression.Error("in '\(text)' at column \(column): unexpected character '\(Character(c))'")
        }
        tokens.append((.end, characters.count + 1))
        return tokens
    }
}
