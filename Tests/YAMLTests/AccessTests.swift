import Testing
import YAML

/// The core-schema accessors callers use to read values.
@Suite struct AccessTests {
    static func scalar(_ text: String) throws -> Node {
        try #require(try YAML.parse("Key: \(text)")?["Key"])
    }

    @Test(arguments: [("42", 42), ("-7", -7), ("+3", 3), ("0o17", 15), ("0x1F", 31), ("007", 7)])
    func integers(text: String, value: Int) throws {
        #expect(try Self.scalar(text).int == value)
        #expect(try Self.scalar(text).double == Double(value))
    }

    @Test(arguments: ["'42'", "\"42\"", "4 2", "1.5", "0x", "12abc", "99999999999999999999", "!!str 42", "|\n  42"])
    func notIntegers(text: String) throws {
        #expect(try Self.scalar(text).int == nil)
    }

    @Test(arguments: [("1.5", 1.5), ("-2e3", -2000), (".5", 0.5), ("1.", 1), ("+1E+2", 100), (".inf", .infinity), ("-.Inf", -.infinity)])
    func floats(text: String, value: Double) throws {
        #expect(try Self.scalar(text).double == value)
    }

    @Test func nanAndNonFloats() throws {
        #expect(try Self.scalar(".nan").double?.isNaN == true)
        for text in ["'1.5'", "1e", "e5", ".", "1.5.2", "0x1p3", "inf", "1_000"] {
            #expect(try Self.scalar(text).double == nil, "\(text)")
        }
    }

    @Test func booleans() throws {
        for text in ["true", "True", "TRUE"] { #expect(try Self.scalar(text).bool == true) }
        for text in ["false", "False", "FALSE"] { #expect(try Self.scalar(text).bool == false) }
        for text in ["yes", "on", "'true'", "tRUE", "1"] { #expect(try Self.scalar(text).bool == nil, "\(text)") }
        #expect(try Self.scalar("!!bool true").bool == true)
    }

    @Test func nulls() throws {
        for text in ["", "~", "null", "Null", "NULL", "# comment"] { #expect(try Self.scalar(text).isNull, "\(text)") }
        for text in ["''", "\"null\"", "nil", "[]"] { #expect(try !Self.scalar(text).isNull, "\(text)") }
    }

    @Test func stringsAndCollections() throws {
        let node = try #require(try YAML.parse("A: 30\nB: [x, y]\nC: {d: e}\nD: 'q'"))
        #expect(node["A"]?.string == "30")
        #expect(node["D"]?.string == "q")
        #expect(node["B"]?.string == nil)
        #expect(node["B"]?[1]?.string == "y")
        #expect(node["B"]?[2] == nil)
        #expect(node["B"]?[-1] == nil)
        #expect(node["B"]?["x"] == nil)
        #expect(node["C"]?["d"]?.string == "e")
        #expect(node["C"]?[0] == nil)
        #expect(node["Missing"] == nil)
        #expect(node.entries?.map { $0.key.string } == ["A", "B", "C", "D"])
        #expect(node["B"]?.elements?.count == 2)
        #expect(node.elements == nil)
    }
}
