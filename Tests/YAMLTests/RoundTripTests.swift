import Testing
import YAML

/// Property tests: random documents, printed in block and in flow style, read back to the same tree.
@Suite struct RoundTripTests {
    static let seeds: ClosedRange<UInt64> = 1...500

    @Test func blockStyleReadsBack() throws {
        for seed in Self.seeds {
            var model = DocumentModel(seed: seed)
            let value = model.document()
            var printer = ModelPrinter(seed: seed &* 31)
            let text = printer.block(value)
            try expectRoundTrip(text, value, seed: seed)
        }
    }

    @Test func flowStyleReadsBack() throws {
        for seed in Self.seeds {
            var model = DocumentModel(seed: seed)
            let value = model.document()
            var printer = ModelPrinter(seed: seed &* 37)
            let text = printer.flow(value, parentIndentation: -1)
            try expectRoundTrip(text, value, seed: seed)
        }
    }

    private func expectRoundTrip(_ text: String, _ value: Value, seed: UInt64) throws {
        do {
            let read = try YAML.parse(text).map(Value.init)
            #expect(read == value, "seed \(seed):\n\(text)")
        } catch {
            Issue.record("seed \(seed): \(error)\n\(text)")
        }
    }
}
