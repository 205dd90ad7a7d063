/// `check` over files, streamed (SPEC §7, issue #20): each file, and each piece of a large design file, is
/// read, checked and written out as it comes, on every core, with a bounded number of files in flight;
/// what a file gives is written at once in its final form — text lines, JSON items, SARIF results — to a
/// spool file, never kept as a parsed document or a verdict. The output is the same document, byte for
/// byte, as `CheckReport`'s for the same files: `finish` writes it from the spool with what must come
/// first (SARIF's rules, JSON's sections in their order, the summary) made from small counts.
///
/// What is held in memory until the end: the counts, the problems of files that could not be checked,
/// the design files' workloads that name a template function (`function`, for the `workload-*` findings),
/// and the reports of the templates that have such a function (they are finished once every workload is
/// known), the ids of the findings raised, and a duplicate-name table per design file while it is read.
public final class CheckStream {
    public enum Format: Sendable { case text, json, sarif }

    /// The severity word's colour (text only).
    public typealias Paint = @Sendable (Finding.Severity, String) -> String

    let rules: RuleSet
    let findings: TemplateRules
    let format: Format
    let paint: Paint
    let tool: SARIFReport.Tool
    let designCheck: DesignCheck

    /// The counts of a piece of output.
    struct Counts: Sendable {
        var summary = CheckReport.Summary()
        var error = false
        var warning = false

        mutating func add(_ other: Counts) {
            summary.workloads += other.summary.workloads
            summary.templates += other.summary.templates
            summary.errors += other.summary.errors
            summary.warnings += other.summary.warnings
            summary.ok += other.summary.ok
            error = error || other.error
            warning = warning || other.warning
        }
    }

    /// What one verdict or template report is in the output format: `main` the text lines, the JSON item
    /// or the SARIF results (each item after `,\n` and its indent), `notes` SARIF's notifications for a
    /// template's notes, and the finding ids in the order they were raised.
    struct Rendered: Sendable {
        var main: [UInt8] = []
        var notes: [UInt8] = []
        var ids: [String] = []
        var counts = Counts()

        mutating func add(_ other: Rendered) {
            main += other.main
            notes += other.notes
            for id in other.ids where !ids.contains(id) { ids.append(id) }
            counts.add(other.counts)
        }
    }

    /// A design file's verdicts in the spool.
    struct WorkloadSegment {
        var index: Int
        var range: Range<Int>
        var ids: [String]
        var counts: Counts
    }

    /// Templates in the spool (a run of consecutive ones), or a report finished at the end.
    enum TemplatePiece {
        case spooled(first: Int, last: Int, main: Range<Int>, notes: Range<Int>, ids: [String], counts: Counts)
        case pending(index: Int, report: TemplateCheck.Report)

        var first: Int {
            switch self {
            case .spooled(let first, _, _, _, _, _): return first
            case .pending(let index, _): return index
            }
        }
    }

    private let workloadSpool: Spool
    private let templateSpool: Spool
    private let notesSpool: Spool
    private var workloadSegments: [WorkloadSegment] = []
    private var templatePieces: [TemplatePiece] = []
    /// Input indices of templates read early (before `named` was known): late runs are not merged across them.
    private var earlyTemplates: [Int] = []
    private var problems: [(index: Int, problems: [DesignProblem])] = []
    private var namedWorkloads: [(index: Int, workload: Workload)] = []
    private var designPaths: Set<String> = []
    private var engineError: Engine.EngineError?

    /// Files read as design files, and whether every file that could not be checked is a design file.
    public private(set) var designFiles = 0
    public private(set) var onlyDesignFiles = true
    public private(set) var templates = 0

    /// Design files at least this large are split and read on every core; smaller ones are read whole.
    nonisolated(unsafe) static var splitSize = 1 << 20
    /// The size of a piece of a split design file.
    nonisolated(unsafe) static var pieceSize = 256 << 10

    public init(rules: RuleSet, findings: TemplateRules, format: Format, tool: SARIFReport.Tool, paint: @escaping Paint = { $1 }) throws(SpoolError) {
        self.rules = rules; self.findings = findings; self.format = format; self.tool = tool; self.paint = paint
        designCheck = DesignCheck(rules: rules)
        workloadSpool = try Spool()
        templateSpool = try Spool()
        notesSpool = try Spool()
    }

    // MARK: Reading

    /// Reads and checks every input, in the order `CheckCommand` has always used: the `.json` files given
    /// by name first (the design files among them name the functions the templates' summaries are kept
    /// for), then everything else on every core.
    public func read(_ inputs: [CheckFiles.Input]) throws(SpoolError) {
        var late: [Int] = []
        var named: Set<String> = []
        for index in inputs.indices {
            let input = inputs[index]
            guard !input.walked && input.path.lowercased().hasSuffix(".json") else { late.append(index); continue }
            guard let file = MappedFile(input.path), file.contains("\"workloads\"") else {
                // Not a design file (it has no "workloads"), or unreadable: read with the others.
                late.append(index)
                continue
            }
            try readEarly(input, index: index, file: file)
        }
        for (_, workload) in namedWorkloads { if let function = workload.function { named.insert(function) } }

        let rules = rules, findings = findings, format = format, paint = paint
        let keeping = named
        let lateIndices = late
        var failure: SpoolError?
        Parallel.ordered(late.count, { position -> (CheckDocument.Outcome, Rendered?) in
            let outcome = CheckDocument.check(inputs[lateIndices[position]], rules: rules, findings: findings, keeping: keeping)
            guard case .template(let report) = outcome, report.functions.isEmpty else { return (outcome, nil) }
            return (outcome, Self.render(report, format: format, paint: paint))
        }, consume: { position, done in
            do throws(SpoolError) { try self.take(done.0, rendered: done.1, index: late[position]) } catch {
                failure = error
                return false
            }
            return true
        })
        if let failure { throw failure }
    }

    /// A `.json` file given by name that has "workloads": a design file is split and read on every core
    /// when it is large; any other, and one whose pieces do not read, is read whole, as before.
    private func readEarly(_ input: CheckFiles.Input, index: Int, file: MappedFile) throws(SpoolError) {
        if file.bytes.count >= Self.splitSize, let split = DesignSplit.split(file.bytes, target: Self.pieceSize),
           try readSplit(input, index: index, file: file, split: split) {
            return
        }
        let outcome = CheckDocument.check(input, rules: rules, findings: findings, keeping: nil, contents: file.array)
        if case .template = outcome { earlyTemplates.append(index) }
        try take(outcome, rendered: nil, index: index)
    }

    /// Reads a split design file piece by piece, on every core, checking each workload as it is read and
    /// writing its verdict to the spool. False when a piece does not read (the file is then read whole, for
    /// the whole-file reader's errors). A file with problems is not checked: its verdicts are dropped.
    private func readSplit(_ input: CheckFiles.Input, index: Int, file: MappedFile, split: DesignSplit) throws(SpoolError) -> Bool {
        let reader = DesignFile.ItemReader(path: input.path, rules: rules)
        var collector = DesignFile.Collector(reader)
        let start = workloadSpool.count
        let namedBefore = namedWorkloads.count
        var rendered = Rendered()
        var position = 0
        var readable = true
        let invalid = Flag()
        var failure: SpoolError?
        var fileError: Engine.EngineError?
        let designCheck = designCheck, format = format, paint = paint
        Parallel.ordered(split.pieces.count, { piece -> (PieceRead, [Rendered?]) in
            let range = split.pieces[piece]
            let bytes = file.bytes
            guard String(validating: UnsafeBufferPointer(rebasing: bytes[range.start..<range.end]), as: UTF8.self) != nil,
                  let items = try? DesignSplit.items(bytes, range) else { return (PieceRead(readable: false), []) }
            var result = PieceRead(readable: true)
            result.reads = items.enumerated().map { reader.read($1, position: $0 + 1) }
            // Checked at once unless the file already has a problem (then nothing of it is reported).
            if !invalid.value {
                result.verdicts = result.reads.map { read in
                    read.workload.map { workload in Result { () throws(Engine.EngineError) in try designCheck.check(workload) } }
                }
            }
            let renders = result.verdicts.map { verdict -> Rendered? in
                guard case .success(let verdict)? = verdict else { return nil }
                return Self.render(verdict, format: format, paint: paint)
            }
            // The verdicts are written: only the workloads that name a function are kept.
            result.verdicts = result.verdicts.map { verdict in
                if case .failure = verdict { return verdict }
                return nil
            }
            return (result, renders)
        }, consume: { piece, done in
            let (read, renders) = done
            file.release(split.pieces[piece].start..<split.pieces[piece].end)
            guard read.readable else { readable = false; return false }
            for (offset, item) in read.reads.enumerated() {
                let workload = collector.take(item, base: position)
                if !collector.problems.isEmpty { invalid.value = true; continue }
                guard let workload else { continue }
                if offset < read.verdicts.count, case .failure(let error)? = read.verdicts[offset] {
                    if fileError == nil { fileError = error }
                    continue
                }
                guard offset < renders.count, let render = renders[offset] else { continue }
                do throws(SpoolError) { try workloadSpool.append(render.main) } catch { failure = error; return false }
                rendered.ids.append(contentsOf: render.ids.filter { !rendered.ids.contains($0) })
                rendered.counts.add(render.counts)
                if workload.function != nil { namedWorkloads.append((index, workload)) }
            }
            position += read.reads.count
            return true
        })
        if let failure { throw failure }
        guard readable else {
            try workloadSpool.truncate(to: start)
            namedWorkloads.removeSubrange(namedBefore...)
            return false
        }
        if !collector.problems.isEmpty {
            try workloadSpool.truncate(to: start)
            namedWorkloads.removeSubrange(namedBefore...)
            problems.append((index, collector.problems))
            return true
        }
        designFiles += 1
        if let fileError, engineError == nil { engineError = fileError }
        designPaths.insert(input.path)
        workloadSegments.append(WorkloadSegment(index: index, range: start..<workloadSpool.count, ids: rendered.ids, counts: rendered.counts))
        return true
    }

    struct PieceRead: Sendable {
        var readable: Bool
        var reads: [DesignFile.ItemRead] = []
        var verdicts: [Result<DesignCheck.Verdict, Engine.EngineError>?] = []
    }

    /// A flag the consumer sets and the workers read.
    final class Flag: @unchecked Sendable {
        private let lock = Lock()
        private var set = false
        var value: Bool {
            get { lock.with { set } }
            set { lock.with { set = newValue } }
        }
    }

    /// One file's outcome, in input order.
    private func take(_ outcome: CheckDocument.Outcome, rendered: Rendered?, index: Int) throws(SpoolError) {
        switch outcome {
        case .design(let file):
            designFiles += 1
            var verdicts: [DesignCheck.Verdict] = []
            do { verdicts = try designCheck.check(file.workloads).verdicts } catch {
                if engineError == nil { engineError = error }
                return
            }
            designPaths.insert(file.path)
            let format = format, paint = paint
            let renders = Parallel.map(verdicts) { Self.render($0, format: format, paint: paint) }
            let start = workloadSpool.count
            var all = Rendered()
            for render in renders {
                try workloadSpool.append(render.main)
                all.ids.append(contentsOf: render.ids.filter { !all.ids.contains($0) })
                all.counts.add(render.counts)
            }
            for workload in file.workloads where workload.function != nil { namedWorkloads.append((index, workload)) }
            workloadSegments.append(WorkloadSegment(index: index, range: start..<workloadSpool.count, ids: all.ids, counts: all.counts))
        case .template(let report):
            templates += 1
            guard let rendered else {
                templatePieces.append(.pending(index: index, report: report))
                return
            }
            let main = templateSpool.count, notes = notesSpool.count
            try templateSpool.append(rendered.main)
            try notesSpool.append(rendered.notes)
            if case .spooled(let first, let last, let mainRange, let notesRange, var ids, var counts)? = templatePieces.last,
               !earlyTemplates.contains(where: { $0 > last && $0 < index }) {
                for id in rendered.ids where !ids.contains(id) { ids.append(id) }
                counts.add(rendered.counts)
                templatePieces[templatePieces.count - 1] = .spooled(first: first, last: index, main: mainRange.lowerBound..<templateSpool.count,
                                                                    notes: notesRange.lowerBound..<notesSpool.count, ids: ids, counts: counts)
            } else {
                templatePieces.append(.spooled(first: index, last: index, main: main..<templateSpool.count, notes: notes..<notesSpool.count,
                                               ids: rendered.ids, counts: rendered.counts))
            }
        case .problems(let found, let design):
            problems.append((index, found))
            if !design { onlyDesignFiles = false }
        case .passedOver:
            break
        }
    }

    // MARK: Rendering

    static func render(_ verdict: DesignCheck.Verdict, format: Format, paint: Paint) -> Rendered {
        var out = Rendered()
        out.counts.summary.workloads = 1
        switch verdict.status {
        case .error: out.counts.summary.errors = 1; out.counts.error = true
        case .warning: out.counts.summary.warnings = 1; out.counts.warning = true
        case .ok: out.counts.summary.ok = 1
        }
        for finding in verdict.findings where !out.ids.contains(finding.id) { out.ids.append(finding.id) }
        switch format {
        case .text:
            for finding in verdict.findings {
                out.main += "\(verdict.workload.origin.label): \(verdict.workload.name): \(paint(finding.severity, finding.severity.rawValue)): \(finding.id): \(finding.message)\n".utf8
            }
        case .json:
            item(CheckReport.json(verdict), level: 2, to: &out.main)
        case .sarif:
            for finding in verdict.findings {
                result(SARIFReport.result(finding, verdict: verdict, index: -1), id: finding.id, to: &out.main)
            }
        }
        return out
    }

    static func render(_ report: TemplateCheck.Report, format: Format, paint: Paint) -> Rendered {
        var out = Rendered()
        out.counts.summary.templates = 1
        if report.findings.allSatisfy({ $0.severity == .note }) { out.counts.summary.ok = 1 }
        for finding in report.findings {
            switch finding.severity {
            case .error: out.counts.summary.errors += 1; out.counts.error = true
            case .warning: out.counts.summary.warnings += 1; out.counts.warning = true
            case .note: break
            }
            if !out.ids.contains(finding.id) { out.ids.append(finding.id) }
        }
        switch format {
        case .text:
            for finding in report.findings {
                out.main += "\(report.path):\(finding.location.line): \(finding.resource): \(paint(finding.severity, finding.severity.rawValue)): \(finding.id): \(finding.message)\n".utf8
            }
            for note in report.notes {
                out.main += "\(report.path):\(note.location.line): \(note.resource): note: \(note.message)\n".utf8
            }
        case .json:
            item(CheckReport.json(report), level: 2, to: &out.main)
        case .sarif:
            for finding in report.findings {
                result(SARIFReport.result(finding, template: report.path, index: -1), id: finding.id, to: &out.main)
            }
            for note in SARIFReport.notifications(report) { item(note, level: 6, to: &out.notes) }
        }
        return out
    }

    /// `,\n`, the indent of `level`, and the value as written at that level of the document.
    static func item(_ value: JSONValue, level: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
        JSONWriter.append(value, level: level, to: &out)
    }

    /// A SARIF result, with its rule index left as `NUL id NUL` until the rules' order is known.
    static func result(_ value: JSONValue, id: String, to out: inout [UInt8]) {
        let start = out.count
        item(value, level: 4, to: &out)
        let placeholder = Array("\"ruleIndex\": -1".utf8)
        var at = start
        while at + placeholder.count <= out.count {
            if out[at] == placeholder[0] && out[at..<(at + placeholder.count)].elementsEqual(placeholder) { break }
            at += 1
        }
        let number = at + placeholder.count - 2
        out.replaceSubrange(number..<(number + 2), with: [0] + Array(id.utf8) + [0])
    }

    // MARK: Writing

    /// What the run found, for the exit code and the lines on stderr.
    public struct Finished {
        public var summary: CheckReport.Summary
        public var problems: [DesignProblem]
        /// The files the problems are in, counted once each.
        public var unreadableFiles: Int
        public var error: Bool
        public var warning: Bool

        public func fails(strict: Bool) -> Bool { error || (strict && warning) }

        /// `design.json:4:30: error: unknown pattern …`, one line per problem.
        public var problemLines: String { problems.map { "\($0.file):\($0.location): error: \($0.detail)\n" }.joined() }
    }

    private var pendingRenders: [Int: Rendered] = [:]
    private var designIDs: Set<String> = []
    private var ruleIndex: [String: Int] = [:]
    private var ruleIDs: [String] = []
    private var sortedProblems: [DesignProblem] = []

    /// Finishes the templates that wait for the workloads, and counts. Throws the rule set's failure to
    /// decide a workload, as the unstreamed check does.
    public func finish() throws(Engine.EngineError) -> Finished {
        if let engineError { throw engineError }
        workloadSegments.sort { $0.index < $1.index }  // stable: a file's segments keep their order
        templatePieces = templatePieces.enumerated().sorted { ($0.element.first, $0.offset) < ($1.element.first, $1.offset) }.map(\.element)
        let workloads = namedWorkloads.enumerated().sorted { ($0.element.index, $0.offset) < ($1.element.index, $1.offset) }.map(\.element.workload)
        var total = Counts()
        for segment in workloadSegments {
            total.add(segment.counts)
            for id in segment.ids where ruleIndex[id] == nil { ruleIndex[id] = ruleIDs.count; ruleIDs.append(id); designIDs.insert(id) }
        }
        for (position, piece) in templatePieces.enumerated() {
            switch piece {
            case .spooled(_, _, _, _, let ids, let counts):
                total.add(counts)
                for id in ids where ruleIndex[id] == nil { ruleIndex[id] = ruleIDs.count; ruleIDs.append(id) }
            case .pending(_, var report):
                var reports = [report]
                TemplateCheck.hold(workloads, against: &reports, rules: rules, findings: findings)
                report = reports[0]
                let rendered = Self.render(report, format: format, paint: paint)
                pendingRenders[position] = rendered
                total.add(rendered.counts)
                for id in rendered.ids where ruleIndex[id] == nil { ruleIndex[id] = ruleIDs.count; ruleIDs.append(id) }
            }
        }
        sortedProblems = problems.enumerated().sorted { ($0.element.index, $0.offset) < ($1.element.index, $1.offset) }.flatMap(\.element.problems)
        var summary = total.summary
        summary.problems = sortedProblems.count
        return Finished(summary: summary, problems: sortedProblems, unreadableFiles: Set(sortedProblems.map(\.file)).count,
                        error: total.error, warning: total.warning)
    }

    /// Writes the document: text, JSON or SARIF, as `CheckReport` writes it for the same files.
    public func write(_ finished: Finished, to sink: @escaping (String) -> Void) throws(SpoolError) {
        var out = Output(sink: sink)
        switch format {
        case .text:
            try copyWorkloads(&out, resolving: false)
            try copyTemplates(&out, notes: false, resolving: false)
            out.append(Array((CheckReport.summaryLine(finished.summary, files: designPaths.count + templates, unreadable: finished.unreadableFiles) + "\n").utf8))
        case .json:
            let marks = Marks()
            var members: [(key: String, value: JSONValue)] = [("workloads", .array(finished.summary.workloads == 0 ? [] : [.string(marks.workloads)]))]
            if templates > 0 { members.append(("templates", .array([.string(marks.templates)]))) }
            if !finished.problems.isEmpty { members.append(("problems", .array(finished.problems.map(CheckReport.json)))) }
            members.append(("summary", CheckReport.json(finished.summary, templates: templates > 0, problems: !finished.problems.isEmpty)))
            try splice(JSONWriter.write(.object(members)) + "\n", &out, [
                (marks.workloads, 2, { (out: inout Output) throws(SpoolError) in try self.copyWorkloads(&out, resolving: false) }),
                (marks.templates, 2, { (out: inout Output) throws(SpoolError) in try self.copyTemplates(&out, notes: false, resolving: false) }),
            ])
        case .sarif:
            let marks = Marks()
            let rules = ruleIDs.map { SARIFReport.rule($0, designIDs: designIDs, rules: self.rules, templateRules: findings, tool: tool) }
            let notes = templatePieces.enumerated().contains { position, piece in
                if case .spooled(_, _, _, let range, _, _) = piece { return !range.isEmpty }
                return !(pendingRenders[position]?.notes.isEmpty ?? true)
            }
            let invocation = SARIFReport.invocation(successful: finished.problems.isEmpty,
                                                    notifications: finished.problems.map(SARIFReport.notification) + (notes ? [.string(marks.templates)] : []))
            let results = !ruleIDs.isEmpty
            let log = SARIFReport.document(rules: rules, invocation: invocation, results: results ? [.string(marks.workloads)] : [], tool: tool)
            try splice(JSONWriter.write(log) + "\n", &out, [
                (marks.templates, 6, { (out: inout Output) throws(SpoolError) in try self.copyTemplates(&out, notes: true, resolving: false) }),
                (marks.workloads, 4, { (out: inout Output) throws(SpoolError) in
                    try self.copyWorkloads(&out, resolving: true)
                    try self.copyTemplates(&out, notes: false, resolving: true)
                }),
            ])
        }
        out.flush()
    }

    /// Strings no real value carries, standing for a section in the document's skeleton.
    private struct Marks {
        let workloads = "\u{1}async-advisor-spooled-workloads-\(getpid())"
        let templates = "\u{1}async-advisor-spooled-templates-\(getpid())"
    }

    /// Writes `skeleton` with each mark's line (`indent`, the quoted mark) replaced by its section, whose
    /// items come with `,\n` before each: the first of them is dropped, so the section fits where the
    /// one-item array held the mark.
    private func splice(_ skeleton: String, _ out: inout Output,
                        _ sections: [(mark: String, level: Int, write: (inout Output) throws(SpoolError) -> Void)]) throws(SpoolError) {
        var bytes = Array(skeleton.utf8)[...]
        var places: [(at: Int, length: Int, section: Int)] = []
        for (number, section) in sections.enumerated() {
            let needle = Array((String(repeating: " ", count: 2 * section.level) + JSONWriter.quote(section.mark)).utf8)
            guard let at = Self.find(needle, in: bytes) else { continue }
            places.append((at, needle.count, number))
        }
        places.sort { $0.at < $1.at }
        var cursor = bytes.startIndex
        for place in places {
            out.append(Array(bytes[cursor..<place.at]))
            out.skip = 2  // the first item's ",\n"
            try sections[place.section].write(&out)
            out.skip = 0
            cursor = place.at + place.length
        }
        out.append(Array(bytes[cursor...]))
        bytes = []
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var at = haystack.startIndex
        while at + needle.count <= haystack.endIndex {
            if haystack[at] == needle[0] && haystack[at..<(at + needle.count)].elementsEqual(needle) { return at }
            at += 1
        }
        return nil
    }

    private func copyWorkloads(_ out: inout Output, resolving: Bool) throws(SpoolError) {
        for segment in workloadSegments {
            try workloadSpool.read(segment.range) { resolving ? out.appendResolving($0, ruleIndex) : out.append($0) }
        }
    }

    private func copyTemplates(_ out: inout Output, notes: Bool, resolving: Bool) throws(SpoolError) {
        for (position, piece) in templatePieces.enumerated() {
            switch piece {
            case .spooled(_, _, let main, let notesRange, _, _):
                try (notes ? notesSpool : templateSpool).read(notes ? notesRange : main) { resolving ? out.appendResolving($0, ruleIndex) : out.append($0) }
            case .pending:
                guard let rendered = pendingRenders[position] else { continue }
                let bytes = notes ? rendered.notes : rendered.main
                bytes.withUnsafeBufferPointer { resolving ? out.appendResolving($0, ruleIndex) : out.append($0) }
            }
        }
    }

    /// The output, written in pieces of about 256 KB; `skip` drops the next bytes appended (a section's
    /// leading `,\n`); `appendResolving` writes each `NUL id NUL` as the id's rule index.
    struct Output {
        let sink: (String) -> Void
        var buffer: [UInt8] = []
        var skip = 0
        private var pendingToken: [UInt8]? = nil

        init(sink: @escaping (String) -> Void) {
            self.sink = sink
            buffer.reserveCapacity(Self.piece + 65_536)
        }

        static let piece = 256 << 10

        mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            var bytes = bytes[...]
            if skip > 0 {
                let dropped = min(skip, bytes.count)
                bytes = bytes.dropFirst(dropped)
                skip -= dropped
            }
            buffer.append(contentsOf: bytes)
            if buffer.count >= Self.piece { flush() }
        }

        mutating func appendResolving(_ bytes: UnsafeBufferPointer<UInt8>, _ index: [String: Int]) {
            guard let base = bytes.baseAddress else { return }
            var at = 0
            while at < bytes.count {
                if pendingToken != nil {
                    // Inside a token (it began in an earlier block): to its closing NUL.
                    guard let end = memchr(base + at, 0, bytes.count - at) else {
                        pendingToken! += UnsafeBufferPointer(rebasing: bytes[at...])
                        return
                    }
                    let close = base.distance(to: end.assumingMemoryBound(to: UInt8.self))
                    pendingToken! += UnsafeBufferPointer(rebasing: bytes[at..<close])
                    append(Array(String(index[String(decoding: pendingToken!, as: UTF8.self)] ?? -1).utf8))
                    pendingToken = nil
                    at = close + 1
                    continue
                }
                guard let found = memchr(base + at, 0, bytes.count - at) else {
                    append(UnsafeBufferPointer(rebasing: bytes[at...]))
                    return
                }
                let open = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                append(UnsafeBufferPointer(rebasing: bytes[at..<open]))
                pendingToken = []
                at = open + 1
            }
        }

        mutating func flush() {
            guard !buffer.isEmpty else { return }
            sink(String(decoding: buffer, as: UTF8.self))
            buffer.removeAll(keepingCapacity: true)
        }
    }
}

extension DesignFile.Collector {
    /// `take` for a read made in a piece whose first workload is at `base + 1` in the file.
    mutating func take(_ read: DesignFile.ItemRead, base: Int) -> Workload? {
        take(base == 0 ? read : read.shifted(by: base))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
