import Foundation
import Testing
@testable import AdvisorCore

/// docs/cost-model.md lists every line each model bills and every price with its source (SPEC §8: a budget
/// reviewer takes the estimate line by line to the pricing pages). Regenerate it with scripts/update-cost-model-doc.
@Suite struct CostModelDocTests {
    static let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/cost-model.md").path

    @Test func everyModelLineAndPriceIsOnThePage() throws {
        let text = try String(contentsOfFile: Self.doc, encoding: .utf8)
        for (pattern, model) in shippedRules.costs.models.sorted(by: { $0.key < $1.key }) {
            #expect(text.contains("## \(pattern)\n"), "no section for \(pattern): run scripts/update-cost-model-doc")
            for line in model.lines {
                #expect(text.contains("| \(line.item) |"), "\(pattern): line '\(line.item)' is missing: run scripts/update-cost-model-doc")
            }
        }
        for price in shippedRules.costs.prices.prices {
            let source = try #require(price.source)
            #expect(text.contains("| `\(price.id)` | \(price.arch ?? "") | \(price.service) | \(price.description) |"), "price \(price.id) is missing or changed")
            #expect(text.contains("| \(price.asOf ?? "?") | \(source) |"), "price \(price.id): its date and source")
        }
    }
}
