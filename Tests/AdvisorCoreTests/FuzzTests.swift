import Testing
import AdvisorFuzz

/// A short run of the fuzzing campaign (`advisor-fuzz` runs 100,000 inputs per target; see the README).
@Suite struct FuzzTests {
    @Test(arguments: Fuzz.targets)
    func shortCampaign(_ target: String) throws {
        let iterations = target == "rules" ? 300 : target == "snapshot" ? 600 : 3_000
        let result = try #require(Fuzz.run(target, iterations: iterations, seed: 7))
        #expect(result.inputs == iterations && result.accepted + result.rejected == iterations)
        #expect(result.failures.isEmpty, "\(result.failures.prefix(5))")
        #expect(result.rejected > 0, "the inputs exercise rejections")
    }
}
