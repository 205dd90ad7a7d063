/// Random documents for the round-trip test: a small model of the trees templates contain, built from
/// mappings, sequences and scalars of every kind the printer can write.
struct DocumentModel {
    var generator: SeededGenerator

    /// Words that read as themselves when written plain, in both block and flow context.
    static let plainWords = [
        "hello", "Fn::GetAtt", "arn:aws:s3:::bucket/*", "a#b", "x-y_z", "two words", "100", "true", "null", "~",
        "caf\u{E9}", "src/app.py", "Queue.Arn", "-dash", "key=value", "50%", ":colon", "?what", "AWS::Region",
        "python3.13", "1.5", "snake_case", "\u{1F600} emoji",
    ]
    /// Text that needs quotes or a block scalar somewhere.
    static let awkwardStrings = [
        "", " leading", "trailing ", "a: b", "a #b", "- dash", "[x]", "{y}", "'quote'", "\"dq\"", "multi\nline",
        "tab\there", "back\\slash", "#hash", "@at", "`tick`", "%pct", "&amp", "*star", "!bang", "|pipe", ">gt",
        "? q", ": c", ",comma", "${AWS::Region}", "line\n\nbreaks\n", "---", "...", "a  b", "ends with colon:",
        "two\nlines\n", "keep\n\n\n", "  indented\nfirst", "x\n  more indented\ny",
    ]
    static let alphabet: [Unicode.Scalar] = Array("ab z:# -,[]{}'\"\\\n\t!&*|>?%@`\u{E9}\u{1F600}.".unicodeScalars)

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    /// A root collection, nested at most `depth` levels.
    mutating func document(depth: Int = 4) -> Value {
        generator.chance(0.7) ? mapping(depth: depth) : sequence(depth: depth)
    }

    mutating func value(depth: Int) -> Value {
        let roll = Double.random(in: 0..<1, using: &generator)
        if depth <= 0 || roll < 0.55 {
            return .scalar(scalar())
        }
        return roll < 0.8 ? mapping(depth: depth - 1) : sequence(depth: depth - 1)
    }

    mutating func mapping(depth: Int) -> Value {
        var keys: Set<String> = []
        var pairs: [Value.Pair] = []
        for _ in 0..<Int.random(in: 0...4, using: &generator) {
            let key = generator.chance(0.8) ? generator.pick(Self.plainWords) : scalar()
            guard !key.contains("\n"), keys.insert(key).inserted else { continue }
            pairs.append(Value.Pair(key: .scalar(key), value: value(depth: depth)))
        }
        return .mapping(pairs)
    }

    mutating func sequence(depth: Int) -> Value {
        .sequence((0..<Int.random(in: 0...4, using: &generator)).map { _ in value(depth: depth) })
    }

    mutating func scalar() -> String {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0..<5:
            return generator.pick(Self.plainWords)
        case 5..<7:
            return generator.pick(Self.awkwardStrings)
        case 7:
            return (0..<Int.random(in: 2...5, using: &generator)).map { _ in generator.pick(Self.plainWords) }
                .joined(separator: " ")
        default:
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...10, using: &generator) {
                text.append(generator.pick(Self.alphabet))
            }
            return String(text)
        }
    }
}
