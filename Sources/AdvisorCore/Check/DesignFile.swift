/// A design file: the workloads a team runs, each with the pattern it chose (SPEC §5).
///
/// ```json
/// {"workloads": [{"name": "export", "pattern": "sqs-queue", "duration": "4m", "response": "ack"}]}
/// ```
/// Keys are the `flag` names of the rule set's inputs (so a new input in `rules/questions.json` is a new
/// key with no Swift change), plus `name` and `pattern`. Values are the strings the flags take; numbers
/// and booleans are accepted where they read naturally (`"memory": 1024`, `"splittable": true`) and go
/// through the same `Answers.resolve` as the flags, so a value means the same in both places.
public struct DesignFile: Sendable {
    public var path: String
    public var workloads: [Workload]

    public static let shape = #"{"workloads": [{"name": "…", "pattern": "<pattern id>", "duration": "4m", …}]}"#

    /// Reads the workloads of a design file's JSON; every problem in the file is collected and thrown
    /// together, each with its line and column.
    public static func read(_ json: LocatedJSON, path: String, rules: RuleSet) throws(DesignFileError) -> DesignFile {
        var reader = Reader(path: path, rules: rules)
        let workloads = reader.read(json)
        guard reader.problems.isEmpty else { throw DesignFileError(problems: reader.problems) }
        return DesignFile(path: path, workloads: workloads)
    }

    /// The keys a workload may have, in the order help and errors list them.
    public static func keys(_ rules: RuleSet) -> [String] { ["name", "pattern"] + rules.inputs.map(\.designKey) + ["function", "acknowledge"] }

    /// The ids an `acknowledge` entry may name: the advisory warnings of the rules, and `not-recommended`.
    public static func acknowledgeable(_ rules: RuleSet) -> [String] {
        var seen: Set<String> = []
        return (rules.warnings.map(\.rule.id) + [Finding.notRecommended]).filter { seen.insert($0).inserted }
    }

    fileprivate struct Reader {
        let path: String
        let rules: RuleSet
        let inputsByKey: [String: InputRule]
        let acceptedKeys: [String]
        let patternIDs: [String]
        let knownPatterns: Set<String>
        let warningIDs: [String]
        /// The ids of the patterns' hard limits: errors, which an `acknowledge` entry cannot turn into notes.
        let limitIDs: Set<String>
        var problems: [DesignProblem] = []

        init(path: String, rules: RuleSet) {
            self.path = path
            self.rules = rules
            inputsByKey = Dictionary(rules.inputs.map { ($0.designKey, $0) }, uniquingKeysWith: { first, _ in first })
            acceptedKeys = DesignFile.keys(rules)
            patternIDs = rules.patterns.map(\.id)
            knownPatterns = Set(patternIDs)
            warningIDs = DesignFile.acknowledgeable(rules)
            limitIDs = Set(rules.patternConstraints.values.flatMap { $0.map(\.id) })
        }

        mutating func problem(_ location: SourceLocation, _ workload: String?, _ message: String) {
            problems.append(DesignProblem(file: path, location: location, workload: workload, message: message))
        }

        mutating func read(_ json: LocatedJSON) -> [Workload] {
            guard case .object(let members) = json.kind else {
                problem(json.location, nil, "a design file is a JSON object \(DesignFile.shape); found \(kindName(json))")
                return []
            }
            var list: LocatedJSON?
            for member in members {
                if member.key == "workloads" { list = member.value; continue }
                problem(member.keyLocation, nil, "unknown top-level key \"\(member.key)\"\(suggestion(member.key, among: ["workloads"])) A design file has only \"workloads\": \(DesignFile.shape)")
            }
            guard let list else {
                problem(json.location, nil, "no \"workloads\" key; a design file is \(DesignFile.shape)")
                return []
            }
            guard case .array(let items) = list.kind else {
                problem(list.location, nil, "\"workloads\" must be an array of workload objects, found \(kindName(list)); \(DesignFile.shape)")
                return []
            }
            if items.isEmpty { problem(list.location, nil, "\"workloads\" is empty: add at least one workload, \(DesignFile.shape)") }
            // Read each workload's keys and resolve its values in parallel (the costly part), then, in file
            // order, find duplicate names and report.
            let reader = self
            let read = Parallel.map(Array(items.enumerated())) { index, item in
                let entry = reader.entry(item, position: index + 1)
                return (entry, reader.resolve(entry))
            }
            var workloads: [Workload] = []
            workloads.reserveCapacity(items.count)
            var firstSeen: [String: SourceLocation] = [:]
            for (read, (answers, valueProblems)) in read {
                var entry = read
                if let name = entry.name, let location = entry.nameLocation {
                    if let first = firstSeen[name] {
                        // A name's problems come first, and a non-empty string name has no other.
                        entry.problems.insert(problem(in: entry, location, "duplicate workload name (first at \(first)); each workload needs its own name"), at: 0)
                    } else {
                        firstSeen[name] = location
                    }
                }
                problems += entry.problems + valueProblems
                guard entry.problems.isEmpty, valueProblems.isEmpty, let name = entry.name, let pattern = entry.pattern, let answers else { continue }
                workloads.append(Workload(name: name, pattern: pattern, answers: answers, origin: .file(path: path, location: entry.location),
                                          function: entry.function, acknowledged: entry.acknowledged))
            }
            return workloads
        }

        /// One workload's keys as read, before its values are resolved.
        struct Entry: Sendable {
            var position: Int
            var location: SourceLocation
            var name: String?
            /// Where the name is, for telling a duplicate from the first of its name.
            var nameLocation: SourceLocation?
            var pattern: String?
            /// The logical id of the template function that runs the workload (SPEC §5 `function`).
            var function: String?
            var acknowledged: [Workload.Acknowledgement] = []
            var raw: [String: String] = [:]
            var valueLocations: [String: SourceLocation] = [:]
            var problems: [DesignProblem] = []
            /// False when the workload is not even an object: there is nothing to resolve.
            var resolvable = true
        }

        func problem(in entry: Entry, _ location: SourceLocation, _ message: String) -> DesignProblem {
            DesignProblem(file: path, location: location, workload: entry.name, index: entry.name == nil ? entry.position : nil, message: message)
        }

        func entry(_ json: LocatedJSON, position: Int) -> Entry {
            var entry = Entry(position: position, location: json.location)
            guard case .object(let members) = json.kind else {
                entry.problems.append(problem(in: entry, json.location, "each workload must be an object {\"name\": …, \"pattern\": …, …}, found \(kindName(json))"))
                entry.resolvable = false
                return entry
            }
            var nameProblems: [DesignProblem] = []
            for member in members where member.key == "name" {
                guard case .string(let text) = member.value.kind, !text.trimmed.isEmpty else {
                    nameProblems.append(problem(in: entry, member.value.location, "\"name\" must be a non-empty string, found \(kindName(member.value))"))
                    continue
                }
                entry.name = text
                entry.nameLocation = member.value.location
            }
            entry.problems = nameProblems
            if !members.contains(where: { $0.key == "name" }) {
                entry.problems.append(problem(in: entry, json.location, "no \"name\"; every workload needs a unique name"))
            }
            for member in members {
                switch member.key {
                case "name":
                    continue
                case "pattern":
                    guard case .string(let id) = member.value.kind else {
                        entry.problems.append(problem(in: entry, member.value.location, "\"pattern\" must be a pattern id string, one of \(patternIDs.joined(separator: ", ")); found \(kindName(member.value))"))
                        continue
                    }
                    guard knownPatterns.contains(id) else {
                        entry.problems.append(problem(in: entry, member.value.location, "unknown pattern \"\(id)\"\(suggestion(id, among: patternIDs)) Valid ids: \(patternIDs.joined(separator: ", "))"))
                        continue
                    }
                    entry.pattern = id
                case "function":
                    guard case .string(let id) = member.value.kind, !id.trimmed.isEmpty else {
                        entry.problems.append(problem(in: entry, member.value.location, "\"function\" must be the logical id of a template's function (such as \"ExportFunction\"), found \(kindName(member.value))"))
                        continue
                    }
                    entry.function = id
                case "acknowledge":
                    readAcknowledge(member.value, into: &entry)
                default:
                    guard let input = inputsByKey[member.key] else {
                        entry.problems.append(problem(in: entry, member.keyLocation, "unknown key \"\(member.key)\"\(suggestion(member.key, among: acceptedKeys)) Accepted keys: \(acceptedKeys.joined(separator: ", "))"))
                        continue
                    }
                    guard let text = rawText(member.value, for: input) else {
                        entry.problems.append(problem(in: entry, member.value.location, "\"\(member.key)\" must be a string (or a number or boolean where it reads naturally), found \(kindName(member.value)); accepted: \(accepted(input))"))
                        continue
                    }
                    entry.raw[input.id] = text
                    entry.valueLocations[input.id] = member.value.location
                }
            }
            if !members.contains(where: { $0.key == "pattern" }) {
                entry.problems.append(problem(in: entry, json.location, "no \"pattern\"; the pattern this workload uses, one of \(patternIDs.joined(separator: ", "))"))
            }
            return entry
        }

        /// `"acknowledge": [{"id": WARNING, "reason": TEXT}]`: every entry needs a warning id and its reason.
        func readAcknowledge(_ value: LocatedJSON, into entry: inout Entry) {
            let shape = #"[{"id": "<warning id>", "reason": "<why it is handled>"}]"#
            guard case .array(let items) = value.kind else {
                entry.problems.append(problem(in: entry, value.location, "\"acknowledge\" must be an array \(shape), found \(kindName(value))"))
                return
            }
            for item in items {
                guard case .object(let members) = item.kind else {
                    entry.problems.append(problem(in: entry, item.location, "each \"acknowledge\" entry is an object {\"id\": …, \"reason\": …}, found \(kindName(item))"))
                    continue
                }
                var id: String?
                var reason: String?
                for member in members {
                    switch member.key {
                    case "id":
                        guard case .string(let text) = member.value.kind else {
                            entry.problems.append(problem(in: entry, member.value.location, "an acknowledged \"id\" must be a warning id string, found \(kindName(member.value))"))
                            continue
                        }
                        if warningIDs.contains(text) {
                            id = text
                        } else if limitIDs.contains(text) {
                            entry.problems.append(problem(in: entry, member.value.location, "\"\(text)\" is a hard limit, an error: it cannot be acknowledged, since the pattern cannot run the workload; choose a pattern that can"))
                        } else {
                            entry.problems.append(problem(in: entry, member.value.location, "\"\(text)\" is not a warning id\(suggestion(text, among: warningIDs)) Warnings that can be acknowledged: \(warningIDs.joined(separator: ", "))"))
                        }
                    case "reason":
                        guard case .string(let text) = member.value.kind, !text.trimmed.isEmpty else {
                            entry.problems.append(problem(in: entry, member.value.location, "an acknowledged \"reason\" must be a non-empty string saying why the warning is handled, found \(kindName(member.value))"))
                            reason = ""
                            continue
                        }
                        reason = text.trimmed
                    default:
                        entry.problems.append(problem(in: entry, member.keyLocation, "unknown key \"\(member.key)\" in an \"acknowledge\" entry\(suggestion(member.key, among: ["id", "reason"])) An entry is {\"id\": …, \"reason\": …}"))
                    }
                }
                if !members.contains(where: { $0.key == "id" }) {
                    entry.problems.append(problem(in: entry, item.location, "an \"acknowledge\" entry has no \"id\": name the warning that is handled"))
                }
                if !members.contains(where: { $0.key == "reason" }) {
                    entry.problems.append(problem(in: entry, item.location, "the acknowledged warning\(id.map { " \"\($0)\"" } ?? "") has no \"reason\": say why it is handled, e.g. {\"id\": \"\(id ?? "no-failure-destination")\", \"reason\": \"failures go to the team's DLQ alarm\"}"))
                }
                guard let id, let reason, !reason.isEmpty else { continue }
                if entry.acknowledged.contains(where: { $0.id == id }) {
                    entry.problems.append(problem(in: entry, item.location, "\"\(id)\" is acknowledged twice; keep one entry"))
                    continue
                }
                entry.acknowledged.append(Workload.Acknowledgement(id: id, reason: reason))
            }
        }

        /// The workload's answers, or the problems with its values. Values are checked even when the name
        /// or pattern is wrong, so one run shows every problem.
        func resolve(_ entry: Entry) -> (Answers?, [DesignProblem]) {
            guard entry.resolvable else { return (nil, []) }
            do {
                return (try Answers.resolve(entry.raw, rules: rules), [])
            } catch {
                if case .invalid = error {
                    // resolve stops at the first bad value; name every one of them.
                    var bad: [DesignProblem] = []
                    for input in rules.inputs {
                        guard let text = entry.raw[input.id] else { continue }
                        do { _ = try InputValue.parse(text, for: input) } catch {
                            bad.append(problem(in: entry, entry.valueLocations[input.id] ?? entry.location, designWording(error.message)))
                        }
                    }
                    if !bad.isEmpty { return (nil, bad) }
                }
                return (nil, [locate(error, in: entry)])
            }
        }

        /// The text a flag would carry for this JSON value, or nil when the value has no such reading.
        func rawText(_ value: LocatedJSON, for input: InputRule) -> String? {
            switch value.kind {
            case .string(let text): return text
            case .number(let number): return JSONWriter.formatNumber(number)
            case .bool(let flag):
                let values = (input.choices ?? []).map(\.value)
                if values.contains("yes") && values.contains("no") { return flag ? "yes" : "no" }
                return flag ? "true" : "false"
            case .null, .array, .object: return nil
            }
        }

        /// Places an `Answers` problem at the value at fault (or at the workload, for a missing input) and
        /// words it with design-file keys rather than flags.
        func locate(_ error: Answers.Problem, in entry: Entry) -> DesignProblem {
            switch error {
            case .missing(let inputs):
                let keys = inputs.map { "\"\($0.designKey)\"" + ($0.kind == .choice ? " (\(($0.choices ?? []).map(\.value).joined(separator: "|")))" : " (\($0.prompt))") }
                return problem(in: entry, entry.location, "missing required key\(inputs.count == 1 ? "" : "s") \(keys.joined(separator: ", "))")
            case .invalid(let input, let message):
                return problem(in: entry, entry.valueLocations[input.id] ?? entry.location, designWording(message))
            case .inconsistent(let message, let flags):
                let location = flags.compactMap { flag in inputsByKey[flag].flatMap { entry.valueLocations[$0.id] } }.first ?? entry.location
                return problem(in: entry, location, designWording(message))
            }
        }

        /// `--memory: 64 is below …` → `"memory": 64 is below …`: a design file has keys, not flags.
        func designWording(_ message: String) -> String {
            var text = message
            for input in rules.inputs.sorted(by: { $0.flag.count > $1.flag.count }) where text.contains("--\(input.flag)") {
                text = text.replacing("--\(input.flag)", with: "\"\(input.designKey)\"")
            }
            return text
        }

        func accepted(_ input: InputRule) -> String {
            switch input.kind {
            case .choice: return (input.choices ?? []).map(\.value).joined(separator: ", ")
            case .duration: return Duration.acceptedForms
            case .rate: return Rate.acceptedRates
            case .volume: return Rate.acceptedVolumes
            case .size: return Size.accepted
            case .flag: return "true or false"
            case .number:
                switch (input.minimum, input.maximum) {
                case let (min?, max?): return "a number \(Value.formatNumber(min))–\(Value.formatNumber(max))"
                case let (min?, nil): return "a number, \(Value.formatNumber(min)) or more"
                default: return "a number"
                }
            case .integer:
                switch (input.minimum, input.maximum) {
                case let (min?, max?): return "a whole number \(Value.formatNumber(min))–\(Value.formatNumber(max))"
                case let (min?, nil): return "a whole number, \(Value.formatNumber(min)) or more"
                default: return "a whole number"
                }
            }
        }

        func suggestion(_ word: String, among candidates: [String]) -> String {
            Suggest.nearest(String(word.prefix(64)), among: candidates).map { ". Did you mean \"\($0)\"?" } ?? "."
        }

        func kindName(_ json: LocatedJSON) -> String {
            switch json.kind {
            case .null: return "null"
            case .bool(let flag): return flag ? "true" : "false"
            case .number(let number): return "the number \(JSONWriter.formatNumber(number))"
            case .string(let text): return "the string \(JSONWriter.quote(String(text.prefix(40))))"
            case .array: return "an array"
            case .object: return "an object"
            }
        }
    }
}

extension DesignFile {
    /// A design file read a piece at a time (a large file is split at workload boundaries and its pieces
    /// read on every core): `read` takes one workload's JSON, `Collector.take` the reads in file order.
    /// Together they give exactly what `DesignFile.read` gives for a file of the shape
    /// `{"workloads": [ … ]}` with at least one workload — the same workloads and the same problems in the
    /// same order.
    struct ItemReader: Sendable {
        fileprivate let reader: Reader

        init(path: String, rules: RuleSet) { reader = Reader(path: path, rules: rules) }

        /// One workload's keys read and its values resolved; `position` counts from 1 in the file.
        func read(_ item: LocatedJSON, position: Int) -> ItemRead {
            let entry = reader.entry(item, position: position)
            let (answers, valueProblems) = reader.resolve(entry)
            var workload: Workload?
            if entry.problems.isEmpty, valueProblems.isEmpty, let name = entry.name, let pattern = entry.pattern, let answers {
                workload = Workload(name: name, pattern: pattern, answers: answers, origin: .file(path: reader.path, location: entry.location),
                                    function: entry.function, acknowledged: entry.acknowledged)
            }
            return ItemRead(entry: entry, valueProblems: valueProblems, workload: workload)
        }
    }

    /// One workload as read: the workload when it has no problem of its own (a duplicate name, found only
    /// in file order, may still stop it).
    struct ItemRead: Sendable {
        fileprivate var entry: Reader.Entry
        fileprivate var valueProblems: [DesignProblem]
        var workload: Workload?

        /// The read as if its workload were `base` places further on in the file.
        func shifted(by base: Int) -> ItemRead {
            var read = self
            read.entry.position += base
            func shift(_ problem: inout DesignProblem) { if let index = problem.index { problem.index = index + base } }
            for index in read.entry.problems.indices { shift(&read.entry.problems[index]) }
            for index in read.valueProblems.indices { shift(&read.valueProblems[index]) }
            return read
        }
    }

    /// Takes the reads in file order: finds duplicate names and gathers every problem, as `read` does.
    struct Collector {
        fileprivate let reader: Reader
        private var firstSeen: [String: SourceLocation] = [:]
        private(set) var problems: [DesignProblem] = []

        init(_ items: ItemReader) { reader = items.reader }

        /// The workload, when it and every workload before it had no problem so far in this file.
        mutating func take(_ read: ItemRead) -> Workload? {
            var entry = read.entry
            if let name = entry.name, let location = entry.nameLocation {
                if let first = firstSeen[name] {
                    entry.problems.insert(reader.problem(in: entry, location, "duplicate workload name (first at \(first)); each workload needs its own name"), at: 0)
                } else {
                    firstSeen[name] = location
                }
            }
            problems += entry.problems + read.valueProblems
            guard entry.problems.isEmpty, read.valueProblems.isEmpty else { return nil }
            return read.workload
        }
    }
}
