/// Compiles `prices.json` and `costs.json`: every price dated, sourced and well-formed; every pattern with
/// exactly one model; every name an expression reads defined; every price id known and its unit matching.
extension RuleCompiler {
    mutating func compileCosts(patternIDs: [String]) -> CostModels {
        let priceList = compilePrices()
        let priceIDs = Set(priceList.prices.map(\.id))
        var known = knownNames

        var globalLets: [CostModel.Let] = []
        for located in costs.lets ?? [] {
            if let compiled = costLet(located, known: known) {
                globalLets.append(compiled)
                known.insert(compiled.name)
            }
        }
        let globalNotes = (costs.notes ?? []).compactMap { costNote($0, known: known) }

        var shared: [String: (lines: [CostModel.Line], notes: [CostModel.Note])] = [:]
        for (name, group) in (costs.shared ?? [:]).sorted(by: { $0.key < $1.key }) {
            let lines = (group.value.lines ?? []).compactMap { costLine($0, known: known, priceIDs: priceIDs, prices: priceList) }
            let notes = (group.value.notes ?? []).compactMap { costNote($0, known: known) }
            shared[name] = (lines, notes)
        }

        var models: [String: CostModel] = [:]
        let patternSet = Set(patternIDs)
        for located in costs.models {
            let rule = located.value
            if !patternSet.contains(rule.pattern) {
                problem("costs.json", located.path + [.key("pattern")], located.location,
                        "cost model for unknown pattern '\(rule.pattern)' (known: \(patternIDs.joined(separator: ", ")))")
            }
            if models[rule.pattern] != nil {
                problem("costs.json", located.path, located.location, "a second cost model for pattern '\(rule.pattern)'")
            }
            var modelKnown = known
            var lets = globalLets
            var seen: Set<String> = []
            for item in rule.lets ?? [] {
                if !seen.insert(item.value.name).inserted {
                    problem("costs.json", item.path, item.location, "'\(item.value.name)' is defined twice in this model")
                }
                if let compiled = costLet(item, known: modelKnown) {
                    lets.append(compiled)
                    modelKnown.insert(compiled.name)
                }
            }
            var lines: [CostModel.Line] = []
            var notes = globalNotes
            for (index, name) in (rule.include ?? []).enumerated() {
                guard let group = shared[name] else {
                    problem("costs.json", located.path + [.key("include"), .index(index)], located.location,
                            "unknown shared group '\(name)' (known: \(shared.keys.sorted().joined(separator: ", ")))")
                    continue
                }
                lines += group.lines
                notes += group.notes
            }
            lines += rule.lines.compactMap { costLine($0, known: modelKnown, priceIDs: priceIDs, prices: priceList) }
            notes += (rule.notes ?? []).compactMap { costNote($0, known: modelKnown) }
            if lines.isEmpty && rule.lines.isEmpty {
                problem("costs.json", located.path, located.location, "the cost model of '\(rule.pattern)' has no line items")
            }
            models[rule.pattern] = CostModel(pattern: rule.pattern, lets: lets, lines: lines, notes: notes)
        }
        for id in patternIDs where models[id] == nil {
            problem("costs.json", [.key("models")], nil, "pattern '\(id)' has no cost model; add one to costs.json")
        }
        return CostModels(prices: priceList, models: models)
    }

    private var architectures: [String] {
        questions.inputs.first { $0.value.id == "arch" }?.value.choices?.map(\.value) ?? []
    }

    private mutating func compilePrices() -> PriceList {
        var seen: Set<String> = []
        var archsByID: [String: [String?]] = [:]
        for located in prices.prices {
            let price = located.value
            let path = located.path
            let key = price.id + "|" + (price.arch ?? "")
            if !seen.insert(key).inserted {
                problem("prices.json", path, located.location, "duplicate price '\(price.id)'\(price.arch.map { " for \($0)" } ?? "")")
            }
            archsByID[price.id, default: []].append(price.arch)
            if let source = price.source, !source.isEmpty {
                if !source.hasPrefix("https://") {
                    problem("prices.json", path + [.key("source")], located.location, "price '\(price.id)': source '\(source)' must be the https:// URL the price was read from")
                }
            } else {
                problem("prices.json", path, located.location, "price '\(price.id)' has no source: add the https:// URL it was read from")
            }
            if let date = price.asOf, !date.isEmpty {
                if !Self.isDate(date) {
                    problem("prices.json", path + [.key("asOf")], located.location, "price '\(price.id)': asOf '\(date)' is not a date (YYYY-MM-DD)")
                }
            } else {
                problem("prices.json", path, located.location, "price '\(price.id)' has no date: add asOf, the day it was read (YYYY-MM-DD)")
            }
            if price.unit.isEmpty { problem("prices.json", path + [.key("unit")], located.location, "price '\(price.id)' has no unit") }
            if !(price.per > 0) { problem("prices.json", path + [.key("per")], located.location, "price '\(price.id)': per must be above 0") }
            if let arch = price.arch, !architectures.contains(arch) {
                problem("prices.json", path + [.key("arch")], located.location, "price '\(price.id)': unknown arch '\(arch)' (known: \(architectures.joined(separator: ", ")))")
            }
            if let free = price.free, !(free.quantity >= 0) {
                problem("prices.json", path + [.key("free")], located.location, "price '\(price.id)': a free quantity must be 0 or more")
            }
            switch (price.usd, price.tiers) {
            case (nil, nil):
                problem("prices.json", path, located.location, "price '\(price.id)' needs usd or tiers")
            case (_, .some(let tiers)) where tiers.isEmpty:
                problem("prices.json", path, located.location, "price '\(price.id)' needs usd or tiers")
            case (.some, .some):
                problem("prices.json", path, located.location, "price '\(price.id)' has both usd and tiers; keep one")
            case (.some(let usd), nil):
                if !(usd >= 0) { problem("prices.json", path + [.key("usd")], located.location, "price '\(price.id)': usd must be 0 or more") }
            case (nil, .some(let tiers)):
                var previous = 0.0
                for (index, tier) in tiers.enumerated() {
                    let tierPath = path + [.key("tiers"), .index(index)]
                    if !(tier.usd >= 0) { problem("prices.json", tierPath, located.location, "price '\(price.id)': usd must be 0 or more") }
                    if index == tiers.count - 1 {
                        if tier.upTo != nil { problem("prices.json", tierPath, located.location, "price '\(price.id)': the last tier must be open (no upTo)") }
                    } else if let upTo = tier.upTo {
                        if !(upTo > previous) { problem("prices.json", tierPath, located.location, "price '\(price.id)': tiers must rise (upTo \(Value.formatNumber(upTo)) after \(Value.formatNumber(previous)))") }
                        previous = upTo
                    } else {
                        problem("prices.json", tierPath, located.location, "price '\(price.id)': only the last tier may be open; give upTo")
                    }
                }
            }
        }
        for (id, archs) in archsByID.sorted(by: { $0.key < $1.key }) where archs.contains(where: { $0 != nil }) {
            let missing = architectures.filter { !archs.contains($0) }
            if archs.contains(where: { $0 == nil }) || !missing.isEmpty {
                problem("prices.json", [.key("prices")], nil, "price '\(id)' varies by arch but has no entry for \(missing.isEmpty ? "some entries' arch" : missing.joined(separator: ", "))")
            }
        }
        return PriceList(region: prices.region, currency: prices.currency, pricing: prices.pricing, prices: prices.prices.map(\.value))
    }

    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    private mutating func costExpression(_ text: String, _ path: [JSONPathComponent], _ location: SourceLocation, known: Set<String>) -> Expression? {
        do {
            let compiled = try Expression.parse(text)
            check(names: compiled.names, functions: compiled.functions, "costs.json", path, location, known: known)
            return compiled
        } catch {
            problem("costs.json", path, location, error.message)
            return nil
        }
    }

    private mutating func costLet(_ located: Located<CostsFile.LetRule>, known: Set<String>) -> CostModel.Let? {
        let rule = located.value
        checkSource(rule.source, "costs.json", located.path + [.key("source")], located.location)
        if questions.inputs.contains(where: { $0.value.id == rule.name }) || RuleSet.builtInNames.contains(rule.name) {
            problem("costs.json", located.path + [.key("name")], located.location, "'\(rule.name)' is an input or built-in name; choose another")
        }
        guard let expression = costExpression(rule.expression, located.path + [.key("expression")], located.location, known: known) else { return nil }
        return CostModel.Let(name: rule.name, key: Name(rule.name), expression: expression, meaning: rule.meaning, source: rule.source)
    }

    private mutating func costLine(_ located: Located<CostsFile.LineRule>, known: Set<String>, priceIDs: Set<String>, prices: PriceList) -> CostModel.Line? {
        let rule = located.value
        let path = located.path
        let when = rule.when.flatMap { costExpression($0, path + [.key("when")], located.location, known: known) }
        let quantity = costExpression(rule.quantity, path + [.key("quantity")], located.location, known: known)
        if !priceIDs.contains(rule.price) {
            problem("costs.json", path + [.key("price")], located.location, "unknown price id '\(rule.price)' (known: \(priceIDs.sorted().joined(separator: ", ")))")
        } else if let price = prices.prices.first(where: { $0.id == rule.price }), price.unit != rule.unit {
            problem("costs.json", path + [.key("unit")], located.location, "unit '\(rule.unit)' does not match price '\(rule.price)', which is per \(price.unit)")
        }
        guard let quantity, rule.when == nil || when != nil else { return nil }
        return CostModel.Line(item: rule.item, when: when, quantity: quantity, unit: rule.unit, price: rule.price)
    }

    private mutating func costNote(_ located: Located<CostsFile.NoteRule>, known: Set<String>) -> CostModel.Note? {
        let when = located.value.when.flatMap { costExpression($0, located.path + [.key("when")], located.location, known: known) }
        do {
            let text = try MessageTemplate(located.value.text)
            check(names: text.names, functions: text.functions, "costs.json", located.path + [.key("text")], located.location, known: known)
            guard located.value.when == nil || when != nil else { return nil }
            return CostModel.Note(when: when, text: text)
        } catch {
            problem("costs.json", located.path + [.key("text")], located.location, error.message)
            return nil
        }
    }
}
