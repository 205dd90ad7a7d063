import AdvisorCore

/// The answer that fits one screen (SPEC §5): at most 45 lines at 100 columns plus a preview of at most
/// 12 lines. What it leaves out — every input, every not-chosen reason, each price's rate, the limits and
/// the front door's notes — `--explain` prints (`RecommendationText`), as do markdown and JSON.
enum RecommendationScreen {
    /// The most lines of handler code shown under the answer.
    static let previewLines = 12

    /// What follows the answer: the scaffold command, or the folder a project was written to.
    struct Next {
        var starter: ScaffoldCommand.Starter
        /// The folder written and how many files, when `--scaffold` wrote the project.
        var written: (folder: String, files: Int)?
        /// The command that prints everything this screen leaves out, where the user has not typed one
        /// (the questionnaire): nil after `recommend`, whose own command line takes `--explain`.
        var explain: String?
    }

    /// The most lines above the code of the preview, its heading included (SPEC §5).
    static let maxLines = 45

    /// How tightly one answer is set: each level keeps every section and every warning, and gives up a
    /// little more of what `--explain` repeats in full, until the answer fits `maxLines`.
    struct Density {
        var defaultsLine = true
        var sourceSections = true
        var blankLines = true
        var fullWarnings = true
        var fullSummary = true
        var reasons = true

        static let allCases: [Density] = [
            Density(),
            Density(defaultsLine: false, sourceSections: false),
            Density(defaultsLine: false, sourceSections: false, blankLines: false),
            Density(defaultsLine: false, sourceSections: false, blankLines: false, fullWarnings: false),
            Density(defaultsLine: false, sourceSections: false, blankLines: false, fullWarnings: false, fullSummary: false),
            Density(defaultsLine: false, sourceSections: false, blankLines: false, fullWarnings: false, fullSummary: false, reasons: false),
        ]
    }

    static func render(_ r: Recommendation, rules: RuleSet, style: Style, cost: CostEstimate, next: Next) -> String {
        let code = preview(next.starter, style: style)
        var text = ""
        for density in Density.allCases {
            text = render(r, rules: rules, style: style, cost: cost, next: next, density: density)
            if lineCount(text) + 1 <= maxLines { break }  // + the preview's heading
        }
        return text + code
    }

    static func lineCount(_ text: String) -> Int { text.split(separator: "\n", omittingEmptySubsequences: false).count - 1 }

    static func render(_ r: Recommendation, rules: RuleSet, style: Style, cost: CostEstimate, next: Next, density: Density) -> String {
        let gap = density.blankLines ? "\n" : ""
        var out = style.wrap("\(r.pattern.name) (\(r.pattern.id))", first: "Recommended: ", rest: "  ")
            .replacing("Recommended: ", with: style.bold("Recommended: "), maxReplacements: 1) + "\n"
        if let summary = rules.pattern(r.pattern.id)?.summary {
            out += style.wrap(density.fullSummary ? summary : firstClause(summary), first: "  ") + "\n"
        }
        if let inputs = inputsLine(r, rules: rules, withDefaults: density.defaultsLine) { out += style.dim(style.wrap(inputs, first: "  ", rest: "    ")) + "\n" }

        out += gap + style.bold("Why") + "\n"
        for (index, step) in r.path.enumerated() {
            out += stepLine(step, number: index + 1, source: rules.sourceTitle(step.source), width: style.width,
                            withSection: density.sourceSections, style: style) + "\n"
        }

        out += gap + style.bold("Cost") + ": " + style.bold(Money.format(cost.monthly)) + " a month"
        let largest = cost.lines.enumerated().sorted { ($0.element.monthly, -$0.offset) > ($1.element.monthly, -$1.offset) }.prefix(3).map(\.element)
        out += cost.lines.count > largest.count ? ", the \(largest.count) largest of \(cost.lines.count) lines:\n" : ":\n"
        out += Self.costTable(Array(largest), width: style.width, style: style)
        out += style.dim(style.wrap(CostText.assumptionLine(cost, answers: r.answers, rules: rules), first: "  Assumes ", rest: "    ")) + "\n"

        if !r.warnings.isEmpty {
            out += gap + style.bold("Watch out") + (density.fullWarnings ? "" : " (--explain says what to do)") + "\n"
            for w in r.warnings {
                let message = density.fullWarnings ? w.message : firstClause(w.message)
                out += style.yellow(style.wrap("\(w.id): \(message)", first: "  ! ", rest: "    ")) + "\n"
            }
        }
        if !r.alternatives.isEmpty || !r.companions.isEmpty {
            out += gap + style.bold("Also fits") + "\n"
            for c in r.companions {
                out += style.wrap(density.reasons ? "\(c.id), together with it: \(c.why)" : "\(c.id), together with it", first: "  + ", rest: "    ") + "\n"
            }
            for a in r.alternatives { out += style.wrap(density.reasons ? "\(a.id): \(a.why)" : a.id, first: "  - ", rest: "    ") + "\n" }
        }
        if !r.notChosen.isEmpty {
            let others = r.notChosen.count == 1 ? "1 other pattern" : "\(r.notChosen.count) other patterns"
            var line = others
            let nearest = nearestNotChosen(r.notChosen).map { n in "\(n.id) with `\(flags(n.wouldBeChosenWith ?? [], rules: rules))`" }
            if !nearest.isEmpty { line += "; the nearest: " + nearest.joined(separator: ", ") }
            if let explain = next.explain {
                out += gap + style.wrap(line + "; every reason, input, price and limit:", first: style.bold("Ruled out") + ": ", rest: "  ") + "\n"
                out += command(explain, width: style.width) + "\n"
            } else {
                out += gap + style.wrap(line + "; add --explain for every reason, input, price and limit.", first: style.bold("Ruled out") + ": ", rest: "  ") + "\n"
            }
        }

        out += gap + style.bold("Next") + ":"
        if let written = next.written {
            out += " " + style.wrap("Wrote \(written.files) files to \(written.folder). Its README.md says how to test and deploy it.", first: "", rest: "  ") + "\n"
        } else {
            // A command wider than the screen goes on lines of its own, each flag with its value.
            let scaffold = next.starter.request.command
            out += scaffold.count + 6 <= style.width ? " " + scaffold + "\n"
                : "\n" + ScaffoldCommand.Starter.shellLines(scaffold, width: style.width)
        }
        return out + gap
    }

    /// The cost lines as `cost` prints them, the item names cut with '…' where a line would be wider than
    /// the screen (the full names are in `--explain`).
    static func costTable(_ lines: [CostEstimate.Line], width: Int, style: Style) -> String {
        var lines = lines
        let widest = CostText.table(lines, style: style).split(separator: "\n").map(\.count).max() ?? 0
        if widest > width, let longest = lines.map(\.item.count).max() {
            let keep = max(8, longest - (widest - width) - 1)
            for index in lines.indices where lines[index].item.count > keep {
                lines[index].item = String(lines[index].item.prefix(keep)) + "…"
            }
        }
        return CostText.table(lines, style: style)
    }

    /// A command indented by two, continued with ` \\` where it is wider than the screen, so that it
    /// still pastes into a shell as one command.
    static func command(_ text: String, width: Int) -> String {
        if text.count + 2 <= width { return "  " + text }
        let lines = Style.wrap(text, width: width - 2, first: "  ", rest: "      ").split(separator: "\n")
        return lines.enumerated().map { $0.offset < lines.count - 1 ? $0.element + " \\" : String($0.element) }.joined(separator: "\n")
    }

    /// A sentence's first clause, up to its first ': ', '; ' or '. ' (where the rest says what to do).
    static func firstClause(_ text: String) -> String {
        let ends = [": ", "; ", ". "].compactMap { text.firstRange(of: $0)?.lowerBound }
        guard let end = ends.min() else { return text }
        return String(text[..<end])
    }

    /// One step of the path on one line where it fits: the reason and its source's title with its section,
    /// else a shorter form of the title (the section and URL are in `--explain`); a reason too long even so
    /// is wrapped.
    static func stepLine(_ step: Recommendation.Step, number: Int, source: String, width: Int, withSection: Bool, style: Style) -> String {
        let first = "  \(number). "
        var forms = shorterForms(of: source)
        if !withSection && forms.count > 1 { forms.removeFirst() }
        for form in forms {
            let line = first + step.because + " — " + form
            if line.count <= width { return line }
        }
        return style.wrap(step.because + " — " + forms.last!, first: first, rest: String(repeating: " ", count: first.count))
    }

    /// A title, then without its section (`DT-14 § DECISION TREE` → `DT-14`), then before its subtitle
    /// (`Async Patterns: Bypassing the 30-Second Timeout` → `Async Patterns`): each still finds the document.
    static func shorterForms(of source: String) -> [String] {
        var forms = [source]
        // This tool's own rules are found by their section number: keep it.
        if source.hasPrefix("async-advisor decision rules § ") { return forms }
        if let document = source.split(separator: " § ", maxSplits: 1).first.map(String.init), document != forms.last { forms.append(document) }
        if let colon = forms.last!.firstRange(of: ": "), forms.last!.distance(from: forms.last!.startIndex, to: colon.lowerBound) >= 6 {
            forms.append(String(forms.last![..<colon.lowerBound]))
        }
        return forms
    }

    /// `wouldBeChosenWith` as flags: `--shape steps --orchestrate code`, `no --response` for one left out.
    static func flags(_ changes: [(id: String, text: String?)], rules: RuleSet) -> String {
        changes.map { change in
            let flag = rules.input(change.id)?.flag ?? change.id
            return change.text.map { "--\(flag) \($0)" } ?? "no --\(flag)"
        }.joined(separator: " ")
    }

    /// "Inputs …": the inputs given, then the defaults the path tested (they decided the answer too).
    static func inputsLine(_ r: Recommendation, rules: RuleSet, withDefaults: Bool) -> String? {
        var given: [String] = []
        var decided: [String] = []
        let tested = Set(r.path.compactMap(\.input))
        for input in rules.inputs {
            guard let entry = r.answers.entries[input.id] else { continue }
            let value = InputValue.format(entry.value, for: input)
            if !entry.defaulted { given.append(input.kind == .flag ? "--\(input.flag)" : "--\(input.flag) \(value)") }
            else if withDefaults && tested.contains(input.id) { decided.append("--\(input.flag) \(value)") }
        }
        guard !given.isEmpty || !decided.isEmpty else { return nil }
        var parts: [String] = []
        if !given.isEmpty { parts.append("for " + given.joined(separator: " ")) }
        if !decided.isEmpty { parts.append("defaults that decided it: " + decided.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    /// The two patterns a workload is closest to: the fewest changes in `wouldBeChosenWith`, in the
    /// not-chosen order among equals.
    static func nearestNotChosen(_ notChosen: [Recommendation.NotChosen]) -> [Recommendation.NotChosen] {
        let reachable = notChosen.enumerated().compactMap { item -> (Int, Int, Recommendation.NotChosen)? in
            guard let changes = item.element.wouldBeChosenWith else { return nil }
            return (changes.count, item.offset, item.element)
        }
        return reachable.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(2).map(\.2)
    }

    /// The last lines of the main handler up to where the user's code goes; code is cut with '…', not wrapped.
    static func preview(_ starter: ScaffoldCommand.Starter, style: Style) -> String {
        var lines = starter.preview.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var shown = Array(lines.suffix(previewLines))
        while shown.first?.trimmed.isEmpty == true { shown.removeFirst() }
        var out = style.bold("Starter code") + " (\(starter.request.language)): \(starter.main), up to where your code goes:\n"
        for line in shown { out += ScaffoldCommand.Starter.codeLine(line, width: style.width) + "\n" }
        return out
    }
}
