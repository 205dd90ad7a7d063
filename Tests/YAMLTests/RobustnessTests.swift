import Testing
import YAML

/// Hostile input: garbage, deep nesting and alias bombs end in located errors, not crashes.
@Suite struct RobustnessTests {
    @Test func binaryGarbageIsAnError() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 1...400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                _ = try YAML.parse(text)
            } catch {
                #expect(LineTable(text).contains(error.mark), "\(error)")
            }
        }
        #expect(readingError(String(decoding: [0x00, 0xFF, 0x13, 0x37, 0xDE, 0xAD], as: UTF8.self)) != nil)
    }

    @Test func nestingUpToTheLimitReads() throws {
        let depth = YAML.maximumDepth - 1
        let flow = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try YAML.parse(flow) != nil)
        let block = (0..<depth).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " v"
        #expect(try YAML.parse(block) != nil)
    }

    @Test(arguments: [
        String(repeating: "[", count: 100_000),
        String(repeating: "{a: ", count: 20_000),
        String(repeating: "- ", count: 20_000) + "x",
        (0..<2_000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n"),
        String(repeating: "!t [", count: 5_000),
    ])
    func deepNestingIsALocatedError(text: String) {
        let error = readingError(text)
        #expect(error?.message == "nesting is deeper than \(YAML.maximumDepth) levels")
    }

    @Test func aliasBombIsRefused() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1..<12 {
            let previous = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]")
        }
        let error = readingError(lines.joined(separator: "\n"))
        #expect(error?.message == "aliases expand the document to more than 1000000 nodes")
        #expect(error?.mark.line == 6)
    }

    @Test func aliasesCannotNestDeeperThanTheLimit() throws {
        let deep = String(repeating: "[", count: 300) + "x" + String(repeating: "]", count: 300)
        let fits = "a: &a \(deep)\nb: [*a]"
        #expect(try YAML.parse(fits)?["b"]?[0]?.elements != nil)
        let chained = "a: &a \(deep)\nb: &b [[*a]]\nc: [*b, \(String(repeating: "[", count: 300))*a\(String(repeating: "]", count: 300))]"
        #expect(readingError(chained)?.message == "nesting through aliases is deeper than \(YAML.maximumDepth) levels")
        #expect(readingError(chained)?.mark == Mark(line: 3, column: 309))
    }

    @Test func longLinesAndManyEntriesStayFast() throws {
        let entries = (0..<5_000).map { "Key\($0): \(String(repeating: "v", count: 50))" }.joined(separator: "\n")
        #expect(try YAML.parse(entries)?.entries?.count == 5_000)
        let wide = "[" + Array(repeating: "item", count: 20_000).joined(separator: ", ") + "]"
        #expect(try YAML.parse(wide)?.elements?.count == 20_000)
    }
}
