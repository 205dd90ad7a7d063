import AdvisorCore

/// `patterns`, `explain ID` and `compare ID ID…`: the catalogue and the comparison tables.
enum CatalogueCommands {
    static let formatOption = OptionSpec(name: "format", valueName: "format", help: "Output format", values: ["text", "json"], defaultText: "text")

    static func patterns(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        let specs = [formatOption] + RecommendCommand.common
        let parsed = try ArgumentParser.parse(arguments, options: specs, command: "patterns", maxPositionals: 0)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(command: "patterns", overview: "List the pattern catalogue.", usage: "async-advisor patterns [--format text|json]", options: specs))
            return .success
        }
        let rules = try context.rules(arguments)
        if parsed["format"] == "json" {
            let list = JSONValue.array(rules.patterns.map { .object([("id", .string($0.id)), ("name", .string($0.name)), ("summary", .string($0.summary))]) })
            context.console.write(JSONWriter.write(list) + "\n")
            return .success
        }
        let width = (rules.patterns.map(\.id.count).max() ?? 10) + 2
        for pattern in rules.patterns {
            let style = context.style
            context.console.write(style.bold(pattern.id.padding(to: width)) + pattern.name + "\n")
            context.console.write(style.dim(style.wrap(pattern.summary, first: String(repeating: " ", count: width))) + "\n")
        }
        context.console.write("\nMore: async-advisor explain <id> · async-advisor compare <id> <id>…\n")
        return .success
    }

    static func pattern(_ id: String, _ rules: RuleSet, command: String) throws -> Pattern {
        guard let pattern = rules.pattern(id) else {
            let ids = rules.patterns.map(\.id)
            let suggestion = Suggest.nearest(id, among: ids).map { " Did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "unknown pattern '\(id)'.\(suggestion) Known: \(ids.joined(separator: ", "))", command: command)
        }
        return pattern
    }

    static func explain(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        let specs = [formatOption] + RecommendCommand.common
        let parsed = try ArgumentParser.parse(arguments, options: specs, command: "explain", maxPositionals: 1)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(command: "explain", overview: "Show one pattern in full: limits, retries, status, audit trail, cost, pros, cons, pitfalls, sources.", usage: "async-advisor explain <pattern-id> [--format text|json]", options: specs))
            return .success
        }
        let rules = try context.rules(arguments)
        guard let id = parsed.positionals.first else {
            throw UsageError(message: "missing pattern id; one of \(rules.patterns.map(\.id).joined(separator: ", "))", command: "explain")
        }
        let p = try pattern(id, rules, command: "explain")
        if parsed["format"] == "json" {
            context.console.write(JSONWriter.write(PatternJSON.json(p, rules: rules)) + "\n")
            return .success
        }
        let s = context.style
        var out = s.bold(p.name) + " (\(p.id))\n" + s.wrap(p.summary, first: "  ") + "\n"
        func list(_ title: String, _ items: [String], bullet: String = "  - ") {
            guard !items.isEmpty else { return }
            out += "\n" + s.bold(title) + "\n"
            for item in items { out += s.wrap(item, first: bullet, rest: "    ") + "\n" }
        }
        func para(_ title: String, _ text: String) { out += "\n" + s.bold(title) + "\n" + s.wrap(text, first: "  ") + "\n" }
        list("When to use", p.whenToUse)
        var limits = p.limits.notes
        limits.insert("Longest task: " + (p.limits.maxDuration ?? "no limit of its own"), at: 0)
        if let max = p.limits.maxThroughput { limits.insert("Throughput ceiling: \(Rate.format(max))", at: 1) }
        list("Limits", limits)
        para("Retries and failures", p.retry)
        para("Status visibility", p.statusVisibility)
        para("Audit trail", p.auditTrail)
        para("Cost", p.costModel)
        list("Pros", p.pros, bullet: "  + ")
        list("Cons", p.cons, bullet: "  − ")
        list("Pitfalls", p.pitfalls.map { "\($0.text) [\(rules.sourceTitle($0.source))]" }, bullet: "  ! ")
        list("Notes", p.notes.map { "\($0.text) [\(rules.sourceTitle($0.source))]" })
        list("Sources", p.sources.map { rules.sourceReference($0) })
        context.console.write(out)
        return .success
    }

    static func compare(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        let specs = [formatOption] + RecommendCommand.common
        let parsed = try ArgumentParser.parse(arguments, options: specs, command: "compare", maxPositionals: 20)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(command: "compare", overview: "Compare patterns side by side on the comparison tables (the aspects of Async Patterns: Bypassing the 30-Second Timeout, DT-14's decision factors, anti-patterns).", usage: "async-advisor compare <pattern-id> <pattern-id>… [--format text|json]", options: specs))
            return .success
        }
        let rules = try context.rules(arguments)
        guard parsed.positionals.count >= 2 else {
            throw UsageError(message: "compare needs at least two pattern ids; known: \(rules.patterns.map(\.id).joined(separator: ", "))", command: "compare")
        }
        var chosen: [Pattern] = []
        for id in parsed.positionals { chosen.append(try pattern(id, rules, command: "compare")) }
        let comparisons = try rules.comparisons()
        let ids = chosen.map(\.id)
        if parsed["format"] == "json" {
            var members: [(key: String, value: JSONValue)] = []
            members.append(("patterns", .array(chosen.map { .object([("id", .string($0.id)), ("name", .string($0.name))]) })))
            members.append(("aspects", .array(comparisons.aspects.map { aspect in
                .object([("id", .string(aspect.id)), ("label", .string(aspect.label)), ("source", .string(aspect.source)),
                         ("values", .object(ids.map { (key: $0, value: .string(comparisons.aspectTable[$0]?[aspect.id] ?? "")) }))])
            })))
            members.append(("factors", .array(comparisons.factors.map { factor in
                .object([("title", .string(factor.title)), ("source", .string(factor.source)),
                         ("rows", .array(factor.rows.filter { !Set($0.patterns).isDisjoint(with: ids) }.map { row in
                             .object([("cells", .array(row.cells.map { .string($0) })), ("patterns", .array(row.patterns.filter(ids.contains).map { .string($0) }))]
                                     + (row.source.map { [("source", JSONValue.string($0))] } ?? []))
                         }))])
            })))
            members.append(("antiPatterns", .array(comparisons.antiPatterns.filter { !Set($0.patterns).isDisjoint(with: ids) }.map {
                .object([("id", .string($0.id)), ("title", .string($0.title)), ("problem", .string($0.problem)), ("fix", .string($0.fix)), ("source", .string($0.source))])
            })))
            members.append(("guides", .array(comparisons.guides.filter { !Set($0.patterns).isDisjoint(with: ids) }.map { guide in
                .object([("title", .string(guide.title)), ("source", .string(guide.source)),
                         ("rows", .array(guide.rows.map { .object([("choose", .string($0.choose)), ("when", .string($0.when))]) }))])
            })))
            context.console.write(JSONWriter.write(.object(members)) + "\n")
            return .success
        }
        let s = context.style
        let labelWidth = min(22, (comparisons.aspects.map(\.label.count).max() ?? 10) + 2)
        let columnWidth = max(18, (context.console.width - labelWidth) / ids.count - 2)
        var out = s.bold("".padding(to: labelWidth) + ids.map { $0.padding(to: columnWidth + 2) }.joined()) + "\n"
        for aspect in comparisons.aspects {
            let cells = ids.map { wrapCell(comparisons.aspectTable[$0]?[aspect.id] ?? "—", width: columnWidth) }
            let height = cells.map(\.count).max() ?? 1
            for line in 0..<height {
                var row = (line == 0 ? aspect.label : "").padding(to: labelWidth)
                for cell in cells { row += (line < cell.count ? cell[line] : "").padding(to: columnWidth + 2) }
                out += (line == 0 ? row : row) .trimmedTrailing + "\n"
            }
        }
        out += s.dim("Source: " + (comparisons.aspects.first?.source ?? "")) + "\n"
        for factor in comparisons.factors {
            let rows = factor.rows.filter { !Set($0.patterns).isDisjoint(with: ids) }
            guard !rows.isEmpty else { continue }
            out += "\n" + s.bold(factor.title) + s.dim(" (\(factor.source))") + "\n"
            for row in rows {
                let rowSource = row.source.map { " (\($0))" } ?? ""
                out += s.wrap(row.cells.joined(separator: " → ") + "  [" + row.patterns.filter(ids.contains).joined(separator: ", ") + "]" + rowSource, first: "  - ", rest: "    ") + "\n"
            }
        }
        let antis = comparisons.antiPatterns.filter { !Set($0.patterns).isDisjoint(with: ids) }
        if !antis.isEmpty {
            out += "\n" + s.bold("Anti-patterns and pitfalls") + "\n"
            for anti in antis { out += s.wrap("\(anti.title): \(anti.problem) Fix: \(anti.fix) [\(anti.source)]", first: "  ! ", rest: "    ") + "\n" }
        }
        for guide in comparisons.guides where !Set(guide.patterns).isDisjoint(with: ids) {
            out += "\n" + s.bold(guide.title) + s.dim(" (\(guide.source))") + "\n"
            for row in guide.rows { out += s.wrap("\(row.choose) when \(row.when)", first: "  - ", rest: "    ") + "\n" }
        }
        context.console.write(out)
        return .success
    }

    static func wrapCell(_ text: String, width: Int) -> [String] {
        Style.wrap(text, width: width, first: "", rest: "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

/// A pattern as JSON, every field of SPEC §3.
enum PatternJSON {
    static func json(_ p: Pattern, rules: RuleSet) -> JSONValue {
        func strings(_ items: [String]) -> JSONValue { .array(items.map { .string($0) }) }
        func sourced(_ items: [Pattern.Sourced]) -> JSONValue { .array(items.map { .object([("text", .string($0.text)), ("source", .string($0.source))]) }) }
        return .object([
            ("id", .string(p.id)), ("name", .string(p.name)), ("summary", .string(p.summary)),
            ("whenToUse", strings(p.whenToUse)),
            ("limits", .object([
                ("maxDuration", p.limits.maxDuration.map { .string($0) } ?? .null),
                ("maxThroughput", p.limits.maxThroughput.map { .number($0) } ?? .null),
                ("notes", strings(p.limits.notes)),
            ])),
            ("lambdaBased", .bool(p.lambdaBased)),
            ("retry", .string(p.retry)), ("statusVisibility", .string(p.statusVisibility)),
            ("auditTrail", .string(p.auditTrail)), ("costModel", .string(p.costModel)),
            ("pros", strings(p.pros)), ("cons", strings(p.cons)),
            ("pitfalls", sourced(p.pitfalls)), ("notes", sourced(p.notes)),
            ("constraints", .array((rules.patternConstraints[p.id] ?? []).map { .object([("id", .string($0.id)), ("when", .string($0.when.description)), ("source", .string($0.source))]) })),
            ("sources", strings(p.sources)),
        ])
    }
}

extension String {
    var trimmedTrailing: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
