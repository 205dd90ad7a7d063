import Testing
import YAML

/// Damaged input: valid documents edited at random, byte by byte. Each read must either succeed or throw a
/// `YAMLError` located inside the text; it must never crash or hang.
@Suite struct MutationTests {
    static let editCount = 20_000
    /// Edits applied one after another to the same document before starting again from a clean one.
    static let editsPerWalk = 25

    static let documents = [
        SAMTemplateTests.template,
        JSONTests.template,
        "A: [1, {b: 'c'}, \"d\\n\"]\nB: |+\n  keep\n\nC: >-\n  folded\n  text\nD: &x !Tag value\nE: *x\n",
        "- - a\n  - b: c\n    d:\n    - e\n-\n  f: \"g\\\n    h\"\n--- \n",
        "%YAML 1.2\n---\n{\"a\": [true, null, 1.5e3], 'b': {c: d}}\n...\n",
    ]
    /// Bytes worth inserting: YAML's indicators, whitespace, line breaks, a tab, and a few that are not
    /// allowed or not valid UTF-8 on their own.
    static let interestingBytes: [UInt8] = Array(":-?#&*!|>'\"%@`,[]{}\\ \n\r\t.aZ0".utf8) + [0x00, 0x01, 0x7F, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF, 0xFF]

    @Test func randomEditsNeverCrashOrHang() {
        var generator = SeededGenerator(seed: 20_240_601)
        var failures: [String] = []
        var edits = 0
        while edits < Self.editCount {
            var bytes = Array(generator.pick(Self.documents).utf8)
            for _ in 0..<Self.editsPerWalk where edits < Self.editCount {
                Self.edit(&bytes, using: &generator)
                edits += 1
                let text = String(decoding: bytes, as: UTF8.self)
                if let problem = Self.problem(reading: text), failures.count < 5 {
                    failures.append("edit \(edits): \(problem)\n\(text)")
                }
            }
        }
        for failure in failures {
            Issue.record(Comment(rawValue: failure))
        }
    }

    /// Deletes, inserts or duplicates a few bytes at a random place.
    static func edit(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        let position = Int.random(in: 0...bytes.count, using: &generator)
        switch Int.random(in: 0..<3, using: &generator) {
        case 0 where !bytes.isEmpty:
            let end = min(bytes.count, position + Int.random(in: 1...3, using: &generator))
            bytes.removeSubrange(min(position, bytes.count - 1)..<end)
        case 1:
            let byte = generator.chance(0.9) ? generator.pick(interestingBytes) : UInt8.random(in: 0...255, using: &generator)
            bytes.insert(byte, at: position)
        default:
            let source = Int.random(in: 0...bytes.count, using: &generator)
            let chunk = bytes[source..<min(bytes.count, source + Int.random(in: 1...24, using: &generator))]
            bytes.insert(contentsOf: chunk, at: position)
        }
    }

    /// What is wrong with reading `text`, or `nil` when the result is acceptable.
    static func problem(reading text: String) -> String? {
        let lines = LineTable(text)
        do {
            guard let root = try YAML.parse(text) else { return nil }
            var stack = [root]
            while let node = stack.popLast() {
                guard lines.contains(node.mark) else { return "node mark \(node.mark) outside the text" }
                switch node.kind {
                case .scalar: break
                case .sequence(let items): stack += items
                case .mapping(let entries): stack += entries.flatMap { [$0.key, $0.value] }
                }
            }
            return nil
        } catch {
            return lines.contains(error.mark) ? nil : "error mark outside the text: \(error)"
        }
    }
}

/// The lines of a text as the reader counts them (LF, CRLF and CR break lines; a leading byte-order mark is
/// dropped), to check that a mark points inside the text.
struct LineTable {
    private var lengths = [0]

    init(_ text: String) {
        let bytes = Array(text.utf8)
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D || byte == 0x0A {
                lengths.append(0)
                if byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A {
                    index += 1
                }
            } else if byte & 0xC0 != 0x80 {
                lengths[lengths.count - 1] += 1
            }
            index += 1
        }
    }

    /// Whether `mark` is on a line of the text, at a column on it or just past its end.
    func contains(_ mark: Mark) -> Bool {
        guard (1...lengths.count).contains(mark.line) else { return false }
        return (1...lengths[mark.line - 1] + 1).contains(mark.column)
    }
}
