/// Writes a `Value` as YAML, choosing at random among the styles a template author might use: block or
/// flow collections, compact or indented sequences, every scalar style, comments and blank lines.
struct ModelPrinter {
    var generator: SeededGenerator
    private var output = "" {
        didSet { endsWithKeptLines = false }
    }
    private var endsWithKeptLines = false

    private static let flowIndicators: Set<Unicode.Scalar> = [",", "[", "]", "{", "}"]
    private static let indicators: Set<Unicode.Scalar> = [
        ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`",
    ]

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    /// Whether `text` reads back as itself when written without quotes.
    static func isPlainSafe(_ text: String, inFlow: Bool) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last, first != " ", last != " " else { return false }
        if text.hasPrefix("---") || text.hasPrefix("...") { return false }
        if scalars.contains(where: { $0 == "\n" || $0 == "\t" || $0 == "\r" }) { return false }
        func isSafeAfterIndicator(_ index: Int) -> Bool {
            guard index < scalars.count else { return false }
            return scalars[index] != " " && !(inFlow && flowIndicators.contains(scalars[index]))
        }
        if first == "-" || first == "?" || first == ":" {
            if !isSafeAfterIndicator(1) { return false }
        } else if indicators.contains(first) {
            return false
        }
        for (index, scalar) in scalars.enumerated() {
            if scalar == ":" && !isSafeAfterIndicator(index + 1) { return false }
            if scalar == "#" && index > 0 && scalars[index - 1] == " " { return false }
            if inFlow && flowIndicators.contains(scalar) { return false }
        }
        return true
    }

    // MARK: - Block style

    /// The document in block style (collections may still be written in flow style here and there).
    mutating func block(_ value: Value) -> String {
        output = generator.chance(0.2) ? "---\n" : ""
        if generator.chance(0.2) {
            output += "# generated\n\n"
        }
        switch value {
        case .mapping(let pairs) where !pairs.isEmpty:
            writeMapping(pairs, indentation: 0, firstLineWritten: false)
        case .sequence(let items) where !items.isEmpty:
            writeSequence(items, indentation: 0, firstLineWritten: false)
        default:
            output += flow(value, parentIndentation: 0) + "\n"
        }
        if generator.chance(0.1) {
            output += "...\n"
        }
        return output
    }

    private mutating func writeMapping(_ pairs: [Value.Pair], indentation: Int, firstLineWritten: Bool) {
        for (index, pair) in pairs.enumerated() {
            if index > 0 || !firstLineWritten {
                writeBlankOrCommentLine(indentation: indentation)
                output += pad(indentation)
            }
            output += blockKey(pair.key) + ":"
            writeValue(pair.value, parentIndentation: indentation, isMappingValue: true)
        }
    }

    private mutating func writeSequence(_ items: [Value], indentation: Int, firstLineWritten: Bool) {
        for (index, item) in items.enumerated() {
            if index > 0 || !firstLineWritten {
                writeBlankOrCommentLine(indentation: indentation)
                output += pad(indentation)
            }
            output += "-"
            writeValue(item, parentIndentation: indentation, isMappingValue: false)
        }
    }

    /// Writes what follows `key:` or `-`, through the end of its last line.
    private mutating func writeValue(_ value: Value, parentIndentation: Int, isMappingValue: Bool) {
        let step = Int.random(in: 1...4, using: &generator)
        switch value {
        case .scalar(let text):
            writeScalar(text, parentIndentation: parentIndentation)
        case .sequence(let items) where items.isEmpty || generator.chance(0.2):
            output += " " + flow(value, parentIndentation: parentIndentation) + comment() + "\n"
        case .mapping(let pairs) where pairs.isEmpty || generator.chance(0.2):
            output += " " + flow(value, parentIndentation: parentIndentation) + comment() + "\n"
        case .sequence(let items):
            if isMappingValue {
                output += comment() + "\n"
                let indentation = generator.chance(0.5) ? parentIndentation : parentIndentation + step
                writeSequence(items, indentation: indentation, firstLineWritten: false)
            } else if generator.chance(0.6) {
                output += " "
                writeSequence(items, indentation: parentIndentation + 2, firstLineWritten: true)
            } else {
                output += comment() + "\n"
                writeSequence(items, indentation: parentIndentation + step, firstLineWritten: false)
            }
        case .mapping(let pairs):
            if isMappingValue || generator.chance(0.4) {
                output += comment() + "\n"
                writeMapping(pairs, indentation: parentIndentation + step, firstLineWritten: false)
            } else {
                output += " "
                writeMapping(pairs, indentation: parentIndentation + 2, firstLineWritten: true)
            }
        }
    }

    private enum ScalarStyle: CaseIterable {
        case empty, plain, foldedPlain, singleQuoted, doubleQuoted, foldedDoubleQuoted, literal, folded
    }

    private mutating func writeScalar(_ text: String, parentIndentation: Int) {
        var styles: [ScalarStyle] = [.doubleQuoted]
        if text.isEmpty {
            styles.append(.empty)
        }
        if Self.isPlainSafe(text, inFlow: false) {
            styles += [.plain, .plain]
            if Self.foldPoints(text).count > 0 {
                styles.append(.foldedPlain)
            }
        }
        if !text.contains("\n") {
            styles.append(.singleQuoted)
        }
        if Self.foldPoints(text).count > 0 && !text.contains("\t") {
            styles.append(.foldedDoubleQuoted)
        }
        if Self.canBeLiteral(text) {
            styles += [.literal, .literal]
        }
        if Self.canBeFolded(text) {
            styles.append(.folded)
        }
        let continuation = parentIndentation + Int.random(in: 1...3, using: &generator)
        switch generator.pick(styles) {
        case .empty:
            output += comment() + "\n"
        case .plain:
            output += " " + text + comment() + "\n"
        case .foldedPlain:
            output += " " + breakLines(text, indentation: continuation) + comment() + "\n"
        case .singleQuoted:
            output += " '" + text.replacingOccurrences(of: "'", with: "''") + "'" + comment() + "\n"
        case .doubleQuoted:
            output += " \"" + escapeDoubleQuoted(text) + "\"" + comment() + "\n"
        case .foldedDoubleQuoted:
            output += " \"" + breakLines(text, indentation: continuation, escape: true) + "\"" + comment() + "\n"
        case .literal:
            writeLiteral(text, parentIndentation: parentIndentation)
        case .folded:
            writeFolded(text, indentation: continuation)
        }
    }

    /// The offsets of single spaces between two other characters, where a line may be broken and folded
    /// back into a space.
    private static func foldPoints(_ text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > 2 else { return [] }
        return (1..<scalars.count - 1).filter { index in
            scalars[index] == " " && !isBlankOrBreak(scalars[index - 1]) && !isBlankOrBreak(scalars[index + 1])
                && (scalars[index + 1].properties.isAlphabetic || ("0"..."9").contains(scalars[index + 1]))
        }
    }

    private static func isBlankOrBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n"
    }

    /// `text` with some fold points turned into line breaks followed by `indentation` spaces.
    private mutating func breakLines(_ text: String, indentation: Int, escape: Bool = false) -> String {
        let points = Set(Self.foldPoints(text).filter { _ in generator.chance(0.5) })
        var result = ""
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if points.contains(index) {
                result += "\n" + pad(indentation)
            } else {
                result += escape ? escapeDoubleQuoted(String(scalar)) : String(scalar)
            }
        }
        return result
    }

    private static func canBeLiteral(_ text: String) -> Bool {
        let body = text.trimmingSuffix("\n")
        guard !body.isEmpty, !body.hasPrefix("\n") else { return false }
        return !body.split(separator: "\n", omittingEmptySubsequences: false).contains { line in
            !line.isEmpty && line.allSatisfy { $0 == " " || $0 == "\t" }
        }
    }

    private mutating func writeLiteral(_ text: String, parentIndentation: Int) {
        let body = text.trimmingSuffix("\n")
        let trailingBreaks = text.count - body.count
        let chomping = trailingBreaks == 0 ? "-" : trailingBreaks == 1 ? "" : "+"
        let step = Int.random(in: 1...3, using: &generator)
        let needsIndicator = body.first == " " || body.first == "\t" || generator.chance(0.2)
        output += " |" + (needsIndicator ? "\(step)" : "") + chomping + comment() + "\n"
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            output += line.isEmpty ? "\n" : pad(parentIndentation + step) + line + "\n"
        }
        output += String(repeating: "\n", count: max(0, trailingBreaks - 1))
        endsWithKeptLines = trailingBreaks > 1
    }

    private static func canBeFolded(_ text: String) -> Bool {
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        return !body.isEmpty && !body.contains("\n") && !body.contains("\t") && !body.contains("  ")
            && body.first != " " && body.last != " "
    }

    private mutating func writeFolded(_ text: String, indentation: Int) {
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        output += " >" + (body.count == text.count ? "-" : "") + comment() + "\n"
        output += pad(indentation) + breakLines(body, indentation: indentation) + "\n"
    }

    private func blockKey(_ key: Value) -> String {
        guard case .scalar(let text) = key else { return "?" }
        return Self.isPlainSafe(text, inFlow: false) ? text : "\"" + escapeDoubleQuoted(text) + "\""
    }

    private mutating func writeBlankOrCommentLine(indentation: Int) {
        // Blank lines after a `|+` block would belong to it.
        if generator.chance(0.05) && !endsWithKeptLines {
            output += "\n"
        }
        if generator.chance(0.05) {
            output += pad(Int.random(in: 0...indentation, using: &generator)) + "# between entries\n"
        }
    }

    private mutating func comment() -> String {
        generator.chance(0.1) ? " # note: [x], {y}" : ""
    }

    private func pad(_ count: Int) -> String {
        String(repeating: " ", count: max(0, count))
    }

    // MARK: - Flow style

    /// The value in flow style, JSON-like; line breaks inside it are indented past `parentIndentation`.
    mutating func flow(_ value: Value, parentIndentation: Int) -> String {
        switch value {
        case .scalar(let text):
            return flowScalar(text)
        case .sequence(let items):
            let entries = items.map { item -> String in
                if case .mapping(let pairs) = item, pairs.count == 1, generator.chance(0.3) {
                    return flowKey(pairs[0].key) + ": " + flow(pairs[0].value, parentIndentation: parentIndentation)
                }
                return flow(item, parentIndentation: parentIndentation)
            }
            return "[" + joinFlowEntries(entries, parentIndentation: parentIndentation) + "]"
        case .mapping(let pairs):
            let entries = pairs.map { pair -> String in
                if pair.value == .scalar(""), generator.chance(0.3) {
                    return flowKey(pair.key) + (generator.chance(0.5) ? ":" : "")
                }
                let key = flowKey(pair.key)
                let isQuoted = key.hasPrefix("\"") || key.hasPrefix("'")
                let colon = isQuoted && generator.chance(0.5) ? ":" : ": "
                return key + colon + flow(pair.value, parentIndentation: parentIndentation)
            }
            return "{" + joinFlowEntries(entries, parentIndentation: parentIndentation) + "}"
        }
    }

    private mutating func joinFlowEntries(_ entries: [String], parentIndentation: Int) -> String {
        var result = ""
        for (index, entry) in entries.enumerated() {
            result += flowSeparator(parentIndentation: parentIndentation) + entry
            if index < entries.count - 1 || generator.chance(0.2) {
                result += ","
            }
        }
        return result + flowSeparator(parentIndentation: parentIndentation)
    }

    private mutating func flowSeparator(parentIndentation: Int) -> String {
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: ""
        case 1: "\n" + pad(parentIndentation + 2)
        case 2: " # flow comment\n" + pad(parentIndentation + 1)
        case 3: "\n\t" + pad(parentIndentation + 1)
        default: " "
        }
    }

    private mutating func flowScalar(_ text: String) -> String {
        if Self.isPlainSafe(text, inFlow: true) && generator.chance(0.6) {
            return text
        }
        if !text.contains("\n") && generator.chance(0.3) {
            return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
        return "\"" + escapeDoubleQuoted(text) + "\""
    }

    private mutating func flowKey(_ key: Value) -> String {
        guard case .scalar(let text) = key else { return "?" }
        return flowScalar(text)
    }

    /// `text` with the escapes a double-quoted scalar needs, and sometimes non-ASCII characters escaped the
    /// way JSON writers do.
    private func escapeDoubleQuoted(_ text: String) -> String {
        var result = ""
        var generator = self.generator
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case _ where scalar.value > 0xFFFF && generator.chance(0.5):
                let offset = scalar.value - 0x10000
                result += "\\u" + hex4(0xD800 + (offset >> 10)) + "\\u" + hex4(0xDC00 + (offset & 0x3FF))
            case _ where scalar.value > 0x7F && generator.chance(0.5):
                result += scalar.value > 0xFFFF ? "\\U000" + String(scalar.value, radix: 16) : "\\u" + hex4(scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: Character) -> String {
        var text = self[...]
        while text.last == suffix {
            text = text.dropLast()
        }
        return String(text)
    }

    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
