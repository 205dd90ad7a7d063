/// The `workload-*` findings (SPEC §7): a design file's workload that names a template's function
/// (`function`) is held against that function, when both are in the run — its timeout against the
/// workload's duration, its concurrency caps against the concurrency the workload needs (§4), its doors
/// against the workload's entry, its memory against the memory the cost assumed.
extension TemplateCheck {
    public static func hold(_ workloads: [Workload], against reports: inout [Report], rules: RuleSet, findings: TemplateRules) {
        let named = workloads.filter { $0.function != nil }
        guard !named.isEmpty else { return }
        var byFunction: [String: [(report: Int, function: Int)]] = [:]
        for (reportIndex, report) in reports.enumerated() {
            for (functionIndex, function) in report.functions.enumerated() { byFunction[function.id, default: []].append((reportIndex, functionIndex)) }
        }
        for workload in named {
            for place in byFunction[workload.function!] ?? [] {
                let function = reports[place.report].functions[place.function]
                let found = hold(workload, against: function, rules: rules, findings: findings)
                guard !found.isEmpty else { continue }
                reports[place.report].findings += found
                reports[place.report].findings = reports[place.report].findings.enumerated()
                    .sorted { ($0.element.location.line, $0.offset) < ($1.element.location.line, $1.offset) }.map(\.element)
            }
        }
    }

    static func hold(_ workload: Workload, against function: FunctionSummary, rules: RuleSet, findings: TemplateRules) -> [TemplateFinding] {
        let scope = workload.answers.scope(rules: rules)
        func number(_ name: String) -> Double? { if case .number(let value)? = scope[name] { return value }; return nil }
        func text(_ id: String) -> String { workload.answers.text(id, rules: rules) ?? "?" }
        var found: [TemplateFinding] = []
        func add(_ id: String, resource: String? = nil, at location: SourceLocation? = nil, _ holes: [String: String]) {
            guard !function.ignored.contains(id), let rule = findings.rule(id), let message = findings.message(id, holes) else { return }
            found.append(TemplateFinding(id: id, severity: rule.severity, resource: resource ?? function.id, location: location ?? function.location, message: message))
        }
        let name = "'\(function.id)'"
        let base = ["workload": workload.name, "pattern": workload.pattern, "function": name, "duration": text("duration")]

        if let duration = number("duration"), let timeout = function.timeout, timeout < duration,
           findings.words("workload-timeout-short", "patterns").contains(workload.pattern) {
            let suggested = min(findings.number("timeout-over-limit", "maximum", 900), (max(duration * 1.1, duration + 5) * 1000).rounded() / 1000).rounded(.up)
            add("workload-timeout-short", base.merging(["timeout": format(timeout), "suggested": format(suggested)]) { $1 })
        }
        // SPEC §4: a workflow's or durable function's Lambda tasks hold concurrency for their active time only.
        let active = findings.words("workload-concurrency-cap", "activePatterns").contains(workload.pattern)
        if let throughput = number("throughput"), let time = number(active ? "activeDuration" : "duration") {
            let needed = (throughput * time).rounded(.up)
            var holes = base.merging(["needed": Value.formatNumber(needed), "throughput": text("throughput"),
                                      "time": text(active ? "activeDuration" : "duration")]) { $1 }
            if let reserved = function.reservedConcurrency, reserved < needed {
                holes["cap"] = "ReservedConcurrentExecutions"
                holes["maximum"] = Value.formatNumber(reserved)
                add("workload-concurrency-cap", holes)
            }
            for mapping in function.mappings where mapping.maximum < needed {
                holes["cap"] = "ScalingConfig.MaximumConcurrency of \(mapping.name)"
                holes["maximum"] = Value.formatNumber(mapping.maximum)
                add("workload-concurrency-cap", resource: mapping.resource, at: mapping.location, holes)
            }
        }
        if case .string(let trigger)? = scope["trigger"], trigger == "request" || trigger == "webhook",
           findings.words("workload-door-mismatch", "patterns").contains(workload.pattern),
           case .string(let entry)? = scope[.entry], let kinds = findings.table("workload-door-mismatch", "entries")[entry],
           function.doorKinds.isDisjoint(with: kinds) {
            let doors = function.doorKinds.isEmpty ? "no front door in the template" : "only " + list(function.doorKinds.sorted().map { "a \($0) door" })
            add("workload-door-mismatch", base.merging(["entry": entry, "doors": doors]) { $1 })
        }
        if let memory = number("memory"), let own = function.memory, own != memory {
            add("workload-memory-differs", base.merging(["memory": Value.formatNumber(own) + " MB", "assumed": Value.formatNumber(memory) + " MB"]) { $1 })
        }
        return found
    }
}
