/// A compiled rule set written out as text, so that the built-in rules load without reading JSON or
/// compiling a single expression: every command starts by loading them, and reading and compiling
/// 200 KB of rules was three quarters of `recommend`'s start-up.
///
/// `rules-snapshot` writes the snapshot of the built-in rules into `BuiltInSnapshot.swift`, recording the
/// digest of the rule texts it was compiled from. `RuleSet.load(.embedded)` uses it only while that digest
/// is the digest of the rules embedded in the binary; after any edit to `rules/` the rules are compiled
/// from JSON as before until the snapshot is made again (a test says when). Rules given with `--rules`,
/// and `rules lint`, always compile from JSON.
///
/// The format is UTF-8 text (it lives in a Swift string literal): numbers in decimal ended by `;`, doubles
/// as the 16 hex digits of their bits, optionals as `N` or `S` and a value, lists and maps as a count and
/// their items (maps sorted by key). Every distinct string is written once, in a table after the digest (its
/// UTF-8 length, `;`, then the bytes); the rules refer to a string by its place in the table. The rules hold
/// some 5,600 strings, many the same (input names in expressions, sources, units), and making each String
/// once, not at every mention, is what the table is for.
public enum RuleSnapshot {
    /// Bumped whenever the layout below changes, so an old snapshot is never misread.
    static let format = 6

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The snapshot of a compiled rule set, for the rule texts with `digest`.
    public static func encode(_ rules: RuleSet, digest: String) -> String {
        var body = SnapshotWriter()
        rules.write(&body)
        var w = SnapshotWriter()
        w.int(format)
        w.inline(Array(digest.utf8))
        w.int(body.table.count)
        for string in body.table { w.inline(Array(string.utf8)) }
        w.bytes += body.bytes
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The rule set in a snapshot, if the snapshot is of this format and of the rule texts with `digest`.
    public static func decode(_ text: String, digest: String, files: RuleFiles) throws(Failure) -> RuleSet {
        var contiguous = text
        let result: Result<RuleSet, Failure> = contiguous.withUTF8 { bytes in
            var r = SnapshotReader(bytes: bytes)
            do throws(Failure) {
                guard try r.int() == format else { throw Failure(description: "snapshot format differs") }
                guard try r.inline() == digest else { throw Failure(description: "snapshot is of other rules") }
                try r.readTable()
                let rules = try RuleSet(snapshot: &r, files: files, text: text)
                guard r.atEnd else { throw Failure(description: "snapshot has bytes left over") }
                return .success(rules)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// FNV-1a (64 bits) over every path and text, in path order: what a snapshot is a snapshot of.
    /// rules-embedder computes the same for the embedded files.
    public static func digest(_ files: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for path in files.keys.sorted() {
            for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0) &* 0x100_0000_01b3
            for byte in files[path]!.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

struct SnapshotWriter {
    var bytes: [UInt8] = []
    /// The strings written so far, each once, in the order first written, and where each is in it.
    private(set) var table: [String] = []
    private var places: [String: Int] = [:]

    mutating func int(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
        bytes.append(UInt8(ascii: ";"))
    }
    mutating func double(_ value: Double) { bits(value.bitPattern) }
    /// 64 bits as 16 hex digits.
    mutating func bits(_ value: UInt64) {
        let hex = String(value, radix: 16)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 16 - hex.utf8.count))
        bytes.append(contentsOf: hex.utf8)
    }
    mutating func bool(_ value: Bool) { bytes.append(UInt8(ascii: value ? "T" : "F")) }
    /// A string, as its place in the table.
    mutating func string(_ value: String) {
        if let place = places[value] { int(place); return }
        places[value] = table.count
        int(table.count)
        table.append(value)
    }
    /// Bytes in line: their length, `;`, then the bytes (the digest, the table's strings, a part decoded later).
    mutating func inline(_ value: [UInt8]) {
        int(value.count)
        bytes.append(contentsOf: value)
    }
    /// A part written by `body` in line, whose strings go into this writer's table (a part a reader decodes
    /// later on its own, with the table).
    mutating func part(_ body: (inout SnapshotWriter) -> Void) {
        var part = SnapshotWriter()
        swap(&part.table, &table)
        swap(&part.places, &places)
        body(&part)
        swap(&part.table, &table)
        swap(&part.places, &places)
        inline(part.bytes)
    }
    mutating func optional<T>(_ value: T?, _ each: (inout SnapshotWriter, T) -> Void) {
        guard let value else { bytes.append(UInt8(ascii: "N")); return }
        bytes.append(UInt8(ascii: "S"))
        each(&self, value)
    }
    mutating func list<T>(_ items: [T], _ each: (inout SnapshotWriter, T) -> Void) {
        int(items.count)
        for item in items { each(&self, item) }
    }
    mutating func map<T>(_ items: [String: T], _ each: (inout SnapshotWriter, T) -> Void) {
        int(items.count)
        for key in items.keys.sorted() {
            string(key)
            each(&self, items[key]!)
        }
    }
    /// A bit mask as hex digits ended by `;` (masks are mostly a few bits, so no leading zeros).
    mutating func mask(_ value: UInt64) {
        bytes.append(contentsOf: String(value, radix: 16).utf8)
        bytes.append(UInt8(ascii: ";"))
    }
    mutating func strings(_ items: [String]) { list(items) { $0.string($1) } }
    mutating func optionalString(_ value: String?) { optional(value) { $0.string($1) } }
}

struct SnapshotReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    /// The snapshot's strings, read once by `readTable`; a string in the rules is its place here.
    private(set) var table: [String] = []
    /// The expression name made of each place of the table, once (a name is looked up in the process's name
    /// table when it is made, and the rules mention a few hundred names thousands of times).
    private var names: [Int: Name] = [:]

    init(bytes: UnsafeBufferPointer<UInt8>, table: [String] = []) {
        self.bytes = bytes
        self.table = table
    }

    var atEnd: Bool { offset == bytes.count }

    func fail() -> RuleSnapshot.Failure { RuleSnapshot.Failure(description: "snapshot damaged at byte \(offset)") }

    mutating func byte() throws(RuleSnapshot.Failure) -> UInt8 {
        guard offset < bytes.count else { throw fail() }
        defer { offset += 1 }
        return bytes[offset]
    }
    /// Decimal digits ended by `;`, read straight from the buffer (the snapshot holds tens of thousands of
    /// them: every length and count).
    mutating func int() throws(RuleSnapshot.Failure) -> Int {
        var index = offset
        let end = bytes.count
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        let start = index
        var value = 0
        while index < end {
            let digit = bytes[index] &- 0x30
            if digit >= 10 { break }
            value = value &* 10 &+ Int(digit)
            index += 1
        }
        // The digits end at a `;`, and there are 1 to 18 of them.
        guard index < end, bytes[index] == UInt8(ascii: ";"), index > start, index - start <= 18 else {
            offset = index
            throw fail()
        }
        offset = index + 1
        return negative ? -value : value
    }
    mutating func double() throws(RuleSnapshot.Failure) -> Double { Double(bitPattern: try bits()) }
    mutating func bits() throws(RuleSnapshot.Failure) -> UInt64 {
        var bits: UInt64 = 0
        for _ in 0..<16 {
            let next = try byte()
            let digit: UInt8
            switch next {
            case 0x30...0x39: digit = next - 0x30
            case 0x61...0x66: digit = next - 0x61 + 10
            default: throw fail()
            }
            bits = bits << 4 | UInt64(digit)
        }
        return bits
    }
    mutating func bool() throws(RuleSnapshot.Failure) -> Bool {
        switch try byte() {
        case UInt8(ascii: "T"): return true
        case UInt8(ascii: "F"): return false
        default: throw fail()
        }
    }
    /// A string of the table, by its place.
    mutating func string() throws(RuleSnapshot.Failure) -> String {
        let place = try int()
        guard place >= 0, place < table.count else { throw fail() }
        return table[place]
    }
    /// A string of the table as an expression name.
    mutating func name() throws(RuleSnapshot.Failure) -> Name {
        let place = try int()
        guard place >= 0, place < table.count else { throw fail() }
        if let name = names[place] { return name }
        let name = Name(table[place])
        names[place] = name
        return name
    }
    /// Bytes in line, as a string.
    mutating func inline() throws(RuleSnapshot.Failure) -> String {
        let count = try int()
        guard count >= 0, offset + count <= bytes.count else { throw fail() }
        defer { offset += count }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
    }
    /// Bytes in line, as where they are in the snapshot (a part decoded later).
    mutating func part() throws(RuleSnapshot.Failure) -> Range<Int> {
        let count = try int()
        guard count >= 0, offset + count <= bytes.count else { throw fail() }
        defer { offset += count }
        return offset..<offset + count
    }
    mutating func readTable() throws(RuleSnapshot.Failure) {
        let count = try int()
        guard count >= 0, count <= bytes.count - offset else { throw fail() }
        var strings: [String] = []
        strings.reserveCapacity(count)
        for _ in 0..<count { strings.append(try inline()) }
        table = strings
    }
    mutating func optional<T>(_ each: (inout SnapshotReader) throws(RuleSnapshot.Failure) -> T) throws(RuleSnapshot.Failure) -> T? {
        switch try byte() {
        case UInt8(ascii: "N"): return nil
        case UInt8(ascii: "S"): return try each(&self)
        default: throw fail()
        }
    }
    mutating func list<T>(_ each: (inout SnapshotReader) throws(RuleSnapshot.Failure) -> T) throws(RuleSnapshot.Failure) -> [T] {
        let count = try int()
        guard count >= 0, count <= bytes.count - offset else { throw fail() }
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try each(&self)) }
        return items
    }
    mutating func map<T>(_ each: (inout SnapshotReader) throws(RuleSnapshot.Failure) -> T) throws(RuleSnapshot.Failure) -> [String: T] {
        let count = try int()
        guard count >= 0, count <= bytes.count - offset else { throw fail() }
        var items: [String: T] = [:]
        items.reserveCapacity(count)
        for _ in 0..<count {
            let key = try string()
            items[key] = try each(&self)
        }
        return items
    }
    mutating func mask() throws(RuleSnapshot.Failure) -> UInt64 {
        var value: UInt64 = 0, digits = 0
        while true {
            let next = try byte()
            if next == UInt8(ascii: ";") { break }
            let digit: UInt8
            switch next {
            case 0x30...0x39: digit = next - 0x30
            case 0x61...0x66: digit = next - 0x61 + 10
            default: throw fail()
            }
            guard digits < 16 else { throw fail() }
            value = value << 4 | UInt64(digit)
            digits += 1
        }
        guard digits > 0 else { throw fail() }
        return value
    }
    mutating func strings() throws(RuleSnapshot.Failure) -> [String] { try list { r throws(RuleSnapshot.Failure) in try r.string() } }
    mutating func optionalString() throws(RuleSnapshot.Failure) -> String? { try optional { r throws(RuleSnapshot.Failure) in try r.string() } }
}

// MARK: - The rule set

extension RuleSet {
    func write(_ w: inout SnapshotWriter) {
        w.list(inputs) { $1.write(&$0) }
        w.list(constraints) { w, item in item.rule.write(&w); item.when.write(&w) }
        w.list(derived) { w, item in item.rule.write(&w); item.expression.write(&w) }
        tree.write(&w)
        w.list(patterns) { $1.write(&$0) }
        w.map(patternConstraints) { w, list in w.list(list) { $1.write(&$0) } }
        w.list(warnings) { $1.write(&$0) }
        w.list(doors) { $1.write(&$0) }
        w.list(serviceLimits) { $1.write(&$0) }
        w.list(documents) { w, d in w.string(d.id); w.string(d.short); w.string(d.title); w.string(d.contributes) }
        w.list(pages) { w, p in w.string(p.id); w.string(p.title); w.string(p.url); w.string(p.read) }
        w.map(expressions) { $1.write(&$0) }
        w.map(doorTimes.mapValues(\.list)) { w, times in w.list(times) { $0.double($1) } }
        costs.write(&w)
        w.optional(counterfactualIndex) { w, index in
            w.list(index.searchableIndices) { $0.int($1) }
            w.map(index.paths) { w, paths in
                w.list(paths) { w, path in
                    w.list(path.nodes) { $0.int($1) }
                    w.list(path.branches) { $0.int($1) }
                    w.list(path.menders) { $0.mask($1) }
                }
            }
        }
        // Each pattern's scaffold manifest, decoded when a command first asks for it (a manifest that does not
        // read is left out: `Scaffold.manifest` then reads the file and reports what is wrong with it).
        var manifests: [String: Scaffold.Manifest] = [:]
        for pattern in patterns { manifests[pattern.id] = try? Scaffold.manifest(pattern.id, rules: self) }
        w.map(manifests) { w, manifest in w.part { manifest.write(&$0) } }
    }

    init(snapshot r: inout SnapshotReader, files: RuleFiles, text: String) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        let inputs = try r.list { r throws(F) in try InputRule(snapshot: &r) }
        let constraints = try r.list { r throws(F) in (rule: try InputConstraint(snapshot: &r), when: try Expression(snapshot: &r)) }
        let derived = try r.list { r throws(F) in (rule: try DerivedValue(snapshot: &r), expression: try Expression(snapshot: &r)) }
        let tree = try DecisionTree(snapshot: &r)
        let patterns = try r.list { r throws(F) in try Pattern(snapshot: &r) }
        let patternConstraints = try r.map { r throws(F) in try r.list { r throws(F) in try CompiledConstraint(snapshot: &r) } }
        let warnings = try r.list { r throws(F) in try CompiledWarning(snapshot: &r) }
        let doors = try r.list { r throws(F) in try Door(snapshot: &r) }
        let serviceLimits = try r.list { r throws(F) in try ServiceLimit(snapshot: &r) }
        let documents = try r.list { r throws(F) in SourceDocument(id: try r.string(), short: try r.string(), title: try r.string(), contributes: try r.string()) }
        let pages = try r.list { r throws(F) in SourcePage(id: try r.string(), title: try r.string(), url: try r.string(), read: try r.string()) }
        let expressions = try r.map { r throws(F) in try Expression(snapshot: &r) }
        var doorTimes: [String: DoorTimes] = [:]
        for (id, list) in try r.map({ r throws(F) in try r.list { r throws(F) in try r.double() } }) {
            guard let times = DoorTimes(list: list) else { throw r.fail() }
            doorTimes[id] = times
        }
        let costs = try CostModels(snapshot: &r, text: text)
        self.init(files: files, inputs: inputs, constraints: constraints, derived: derived, tree: tree, patterns: patterns,
                  patternConstraints: patternConstraints, warnings: warnings, doors: doors, serviceLimits: serviceLimits,
                  documents: documents, pages: pages, expressions: expressions, doorTimes: doorTimes, costs: costs)
        let index = try r.optional { r throws(F) in
            (searchable: try r.list { r throws(F) in try r.int() },
             paths: try r.map { r throws(F) in
                 try r.list { r throws(F) in
                     Counterfactual.Index.Path(nodes: try r.list { r throws(F) in try r.int() }, branches: try r.list { r throws(F) in try r.int() },
                                               menders: try r.list { r throws(F) in try r.mask() })
                 }
             })
        }
        guard index?.searchable.allSatisfy(inputs.indices.contains) ?? true else { throw r.fail() }
        let manifests = try r.map { r throws(F) in try r.part() }
        finish(index: index)
        self.manifests = SnapshotParts(text: text, ranges: manifests, strings: r.table) { r throws(F) in try Scaffold.Manifest(snapshot: &r) }
    }
}

// MARK: - Expressions and values

extension Value {
    func write(_ w: inout SnapshotWriter) {
        switch self {
        case .number(let n): w.int(0); w.double(n)
        case .string(let s): w.int(1); w.string(s)
        case .bool(let b): w.int(2); w.bool(b)
        case .list(let items): w.int(3); w.list(items) { $1.write(&$0) }
        }
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        switch try r.int() {
        case 0: self = .number(try r.double())
        case 1: self = .string(try r.string())
        case 2: self = .bool(try r.bool())
        case 3: self = .list(try r.list { r throws(RuleSnapshot.Failure) in try Value(snapshot: &r) })
        default: throw r.fail()
        }
    }
}

extension Expression {
    func write(_ w: inout SnapshotWriter) {
        switch self {
        case .literal(let v): w.int(0); v.write(&w)
        case .name(let n): w.int(1); w.string(n.text)
        case .list(let items): w.int(2); w.list(items) { $1.write(&$0) }
        case .unary(let op, let e): w.int(3); w.string(op); e.write(&w)
        case .binary(let op, let a, let b): w.int(4); w.string(op); a.write(&w); b.write(&w)
        case .call(let f, let args): w.int(5); w.string(f); w.list(args) { $1.write(&$0) }
        }
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        switch try r.int() {
        case 0: self = .literal(try Value(snapshot: &r))
        case 1: self = .name(try r.name())
        case 2: self = .list(try r.list { r throws(F) in try Expression(snapshot: &r) })
        case 3: self = .unary(try r.string(), try Expression(snapshot: &r))
        case 4: self = .binary(try r.string(), try Expression(snapshot: &r), try Expression(snapshot: &r))
        case 5: self = .call(try r.string(), try r.list { r throws(F) in try Expression(snapshot: &r) })
        default: throw r.fail()
        }
    }
}

extension MessageTemplate {
    func write(_ w: inout SnapshotWriter) {
        w.string(source)
        w.list(parts) { w, part in
            switch part {
            case .text(let t): w.int(0); w.string(t)
            case .hole(let e): w.int(1); e.write(&w)
            }
        }
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        let source = try r.string()
        let parts = try r.list { r throws(RuleSnapshot.Failure) -> Part in
            switch try r.int() {
            case 0: return .text(try r.string())
            case 1: return .hole(try Expression(snapshot: &r))
            default: throw r.fail()
            }
        }
        self.init(parts: parts, source: source)
    }
}

extension Interval {
    func write(_ w: inout SnapshotWriter) {
        lower.write(&w); w.bool(lowerInclusive); upper.write(&w); w.bool(upperInclusive); w.string(source)
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        self.init(lower: try Expression(snapshot: &r), lowerInclusive: try r.bool(), upper: try Expression(snapshot: &r),
                  upperInclusive: try r.bool(), source: try r.string())
    }
}

extension SourceLocation {
    func write(_ w: inout SnapshotWriter) { w.int(line); w.int(column) }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) { self.init(line: try r.int(), column: try r.int()) }
}

func writePath(_ path: [JSONPathComponent], _ w: inout SnapshotWriter) {
    w.list(path) { w, component in
        switch component {
        case .key(let key): w.int(0); w.string(key)
        case .index(let index): w.int(1); w.int(index)
        }
    }
}

func readPath(_ r: inout SnapshotReader) throws(RuleSnapshot.Failure) -> [JSONPathComponent] {
    try r.list { r throws(RuleSnapshot.Failure) -> JSONPathComponent in
        switch try r.int() {
        case 0: return .key(try r.string())
        case 1: return .index(try r.int())
        default: throw r.fail()
        }
    }
}

extension JSONValue {
    func write(_ w: inout SnapshotWriter) {
        switch self {
        case .null: w.int(0)
        case .bool(let b): w.int(1); w.bool(b)
        case .number(let n): w.int(2); w.double(n)
        case .string(let s): w.int(3); w.string(s)
        case .array(let items): w.int(4); w.list(items) { $1.write(&$0) }
        case .object(let members): w.int(5); w.list(members) { w, member in w.string(member.key); member.value.write(&w) }
        }
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        switch try r.int() {
        case 0: self = .null
        case 1: self = .bool(try r.bool())
        case 2: self = .number(try r.double())
        case 3: self = .string(try r.string())
        case 4: self = .array(try r.list { r throws(F) in try JSONValue(snapshot: &r) })
        case 5: self = .object(try r.list { r throws(F) in (key: try r.string(), value: try JSONValue(snapshot: &r)) })
        default: throw r.fail()
        }
    }
}

// MARK: - Inputs

extension InputRule {
    func write(_ w: inout SnapshotWriter) {
        w.string(id); w.string(flag); w.string(kind.rawValue); w.string(prompt); w.string(help); w.string(source)
        w.optionalString(group)
        w.optional(choices) { w, choices in w.list(choices) { w, c in w.string(c.value); w.string(c.meaning); w.optionalString(c.when) } }
        w.optionalString(`default`); w.optionalString(defaultExpression); w.optionalString(defaultLabel)
        w.optional(defaultWhen) { w, list in w.list(list) { w, d in w.string(d.when); w.optionalString(d.value); w.optionalString(d.expression); w.optionalString(d.label) } }
        w.optional(required) { $0.bool($1) }
        w.optional(optional) { $0.bool($1) }
        w.optionalString(requiredWhen); w.optionalString(askWhen)
        w.optional(minimum) { $0.double($1) }; w.optional(maximum) { $0.double($1) }
        w.optionalString(unit)
        w.optional(promptWhen) { w, list in w.list(list) { w, p in w.string(p.when); w.string(p.prompt); w.optionalString(p.help) } }
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        let id = try r.string(), flag = try r.string()
        guard let kind = Kind(rawValue: try r.string()) else { throw r.fail() }
        let prompt = try r.string(), help = try r.string(), source = try r.string(), group = try r.optionalString()
        let choices = try r.optional { r throws(F) in
            try r.list { r throws(F) in Choice(value: try r.string(), meaning: try r.string(), when: try r.optionalString()) }
        }
        let defaultText = try r.optionalString(), defaultExpression = try r.optionalString(), defaultLabel = try r.optionalString()
        let defaultWhen = try r.optional { r throws(F) in
            try r.list { r throws(F) in ConditionalDefault(when: try r.string(), value: try r.optionalString(), expression: try r.optionalString(), label: try r.optionalString()) }
        }
        let required = try r.optional { r throws(F) in try r.bool() }
        let optional = try r.optional { r throws(F) in try r.bool() }
        let requiredWhen = try r.optionalString(), askWhen = try r.optionalString()
        let minimum = try r.optional { r throws(F) in try r.double() }, maximum = try r.optional { r throws(F) in try r.double() }
        self.init(id: id, key: Name(id), flag: flag, kind: kind, prompt: prompt, help: help, source: source, group: group,
                  choices: choices, default: defaultText, defaultExpression: defaultExpression, defaultLabel: defaultLabel,
                  defaultWhen: defaultWhen, required: required, optional: optional, requiredWhen: requiredWhen, askWhen: askWhen,
                  minimum: minimum, maximum: maximum, unit: try r.optionalString())
        promptWhen = try r.optional { r throws(F) in
            try r.list { r throws(F) in ConditionalPrompt(when: try r.string(), prompt: try r.string(), help: try r.optionalString()) }
        }
    }
}

extension InputConstraint {
    func write(_ w: inout SnapshotWriter) { w.string(when); w.string(message); w.strings(inputs); w.string(source) }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        self.init(when: try r.string(), message: try r.string(), inputs: try r.strings(), source: try r.string())
    }
}

extension DerivedValue {
    func write(_ w: inout SnapshotWriter) { w.string(name); w.string(expression); w.string(meaning) }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        let name = try r.string()
        self.init(name: name, key: Name(name), expression: try r.string(), meaning: try r.string())
    }
}

// MARK: - The tree

extension DecisionTree {
    func write(_ w: inout SnapshotWriter) {
        w.string(root)
        w.map(nodes) { $1.write(&$0) }
        w.map(leaves) { $1.write(&$0) }
        w.strings(nodeOrder)
        w.strings(leafOrder)
        w.map(reachable) { w, patterns in w.strings(patterns.sorted()) }
        w.map(templates) { $1.write(&$0) }
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        self.init(root: try r.string(), nodes: try r.map { r throws(F) in try CompiledNode(snapshot: &r) },
                  leaves: try r.map { r throws(F) in try Leaf(snapshot: &r) }, nodeOrder: try r.strings(), leafOrder: try r.strings(),
                  reachable: try r.map { r throws(F) in Set(try r.strings()) },
                  templates: try r.map { r throws(F) in try MessageTemplate(snapshot: &r) })
    }
}

extension DecisionTree.Leaf {
    func write(_ w: inout SnapshotWriter) {
        w.string(id); w.string(pattern); w.string(because); w.string(source)
        w.optional(alternatives) { w, list in
            w.list(list) { w, alternative in
                w.string(alternative.value.pattern); w.string(alternative.value.why); w.optionalString(alternative.value.when)
                alternative.location.write(&w); writePath(alternative.path, &w)
            }
        }
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        self.init(id: try r.string(), pattern: try r.string(), because: try r.string(), source: try r.string(),
                  alternatives: try r.optional { r throws(F) in
                      try r.list { r throws(F) in
                          let value = DecisionTree.Alternative(pattern: try r.string(), why: try r.string(), when: try r.optionalString())
                          return Located(value, location: try SourceLocation(snapshot: &r), path: try readPath(&r))
                      }
                  })
    }
}

extension CompiledNode {
    func write(_ w: inout SnapshotWriter) {
        w.string(id); w.string(input); w.string(rule); w.string(title); w.string(source)
        w.list(branches) { $1.write(&$0) }
        location.write(&w); writePath(path, &w)
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        let id = try r.string(), input = try r.string()
        self.init(id: id, input: input, inputKey: Name(input), rule: try r.string(), title: try r.string(), source: try r.string(),
                  branches: try r.list { r throws(RuleSnapshot.Failure) in try CompiledBranch(snapshot: &r) },
                  location: try SourceLocation(snapshot: &r), path: try readPath(&r))
    }
}

extension CompiledBranch {
    func write(_ w: inout SnapshotWriter) {
        switch condition {
        case .interval(let interval): w.int(0); interval.write(&w)
        case .choices(let values): w.int(1); w.strings(values)
        case .otherwise: w.int(2)
        }
        w.string(next); because.write(&w); w.optionalString(source); w.strings(warnings)
        w.list(companions) { w, c in w.string(c.pattern); w.string(c.why) }
        location.write(&w); writePath(path, &w)
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        let condition: Condition
        switch try r.int() {
        case 0: condition = .interval(try Interval(snapshot: &r))
        case 1: condition = .choices(try r.strings())
        case 2: condition = .otherwise
        default: throw r.fail()
        }
        self.init(condition: condition, next: try r.string(), because: try MessageTemplate(snapshot: &r), source: try r.optionalString(),
                  warnings: try r.strings(),
                  companions: try r.list { r throws(RuleSnapshot.Failure) in DecisionTree.Companion(pattern: try r.string(), why: try r.string()) },
                  location: try SourceLocation(snapshot: &r), path: try readPath(&r))
    }
}

// MARK: - Patterns, warnings, limits

extension Pattern {
    func write(_ w: inout SnapshotWriter) {
        w.string(id); w.string(name); w.string(summary); w.strings(whenToUse)
        w.optionalString(limits.maxDuration); w.optional(limits.maxThroughput) { $0.double($1) }; w.strings(limits.notes)
        w.bool(lambdaBased); w.string(retry); w.string(statusVisibility); w.string(auditTrail); w.string(costModel)
        w.strings(pros); w.strings(cons)
        w.list(pitfalls) { w, p in w.string(p.text); w.string(p.source) }
        w.list(constraints) { w, c in
            w.string(c.value.id); w.string(c.value.when); w.string(c.value.message); w.string(c.value.source)
            c.location.write(&w); writePath(c.path, &w)
        }
        w.list(notes) { w, n in w.string(n.text); w.string(n.source) }
        w.strings(sources)
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        let id = try r.string(), name = try r.string(), summary = try r.string(), whenToUse = try r.strings()
        let limits = Limits(maxDuration: try r.optionalString(), maxThroughput: try r.optional { r throws(F) in try r.double() }, notes: try r.strings())
        let lambdaBased = try r.bool()
        let retry = try r.string(), statusVisibility = try r.string(), auditTrail = try r.string(), costModel = try r.string()
        let pros = try r.strings(), cons = try r.strings()
        let pitfalls = try r.list { r throws(F) in Sourced(text: try r.string(), source: try r.string()) }
        let constraints = try r.list { r throws(F) in
            let value = Constraint(id: try r.string(), when: try r.string(), message: try r.string(), source: try r.string())
            return Located(value, location: try SourceLocation(snapshot: &r), path: try readPath(&r))
        }
        let notes = try r.list { r throws(F) in Sourced(text: try r.string(), source: try r.string()) }
        self.init(id: id, name: name, summary: summary, whenToUse: whenToUse, limits: limits, lambdaBased: lambdaBased, retry: retry,
                  statusVisibility: statusVisibility, auditTrail: auditTrail, costModel: costModel, pros: pros, cons: cons,
                  pitfalls: pitfalls, constraints: constraints, notes: notes, sources: try r.strings())
    }
}

extension CompiledConstraint {
    func write(_ w: inout SnapshotWriter) { w.string(id); when.write(&w); message.write(&w); w.string(source) }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        self.init(id: try r.string(), when: try Expression(snapshot: &r), message: try MessageTemplate(snapshot: &r), source: try r.string())
    }
}

extension CompiledWarning {
    func write(_ w: inout SnapshotWriter) {
        w.string(rule.id); w.string(rule.title); w.optionalString(rule.when); w.string(rule.message); w.string(rule.source)
        w.optional(when) { $1.write(&$0) }
        message.write(&w)
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        let rule = WarningRule(id: try r.string(), title: try r.string(), when: try r.optionalString(), message: try r.string(), source: try r.string())
        self.init(rule: rule, when: try r.optional { r throws(RuleSnapshot.Failure) in try Expression(snapshot: &r) },
                  message: try MessageTemplate(snapshot: &r))
    }
}

extension Door {
    func write(_ w: inout SnapshotWriter) {
        w.string(id); w.string(name); w.string(window); w.optionalString(stream)
        w.optionalString(timeout?.from); w.optionalString(timeout?.to); w.optionalString(timeout?.windowCap)
        w.strings(notes); w.strings(sources)
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        let (id, name, window, stream) = (try r.string(), try r.string(), try r.string(), try r.optionalString())
        let (from, to, cap) = (try r.optionalString(), try r.optionalString(), try r.optionalString())
        var timeout: RaisedTimeout?
        if let from, let to, let cap { timeout = RaisedTimeout(from: from, to: to, windowCap: cap) }
        self.init(id: id, name: name, window: window, stream: stream, timeout: timeout, notes: try r.strings(), sources: try r.strings())
    }
}

extension ServiceLimit {
    func write(_ w: inout SnapshotWriter) { w.string(id); w.string(service); w.string(name); w.string(value); w.optionalString(note); w.string(source) }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        self.init(id: try r.string(), service: try r.string(), name: try r.string(), value: try r.string(), note: try r.optionalString(), source: try r.string())
    }
}

// MARK: - Prices and cost models

extension CostModels {
    func write(_ w: inout SnapshotWriter) {
        w.string(prices.region); w.string(prices.currency); w.string(prices.pricing)
        w.list(prices.prices) { $1.write(&$0) }
        // Each model as a blob of known length, so that reading the snapshot can skip it (see CostModels).
        w.map(models) { w, model in w.part { model.write(&$0) } }
    }
    init(snapshot r: inout SnapshotReader, text: String) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        let list = PriceList(region: try r.string(), currency: try r.string(), pricing: try r.string(),
                             prices: try r.list { r throws(F) in try Price(snapshot: &r) })
        let ranges = try r.map { r throws(F) in try r.part() }
        self.init(prices: list, snapshot: text, ranges: ranges, strings: r.table)
    }
}

extension Price {
    func write(_ w: inout SnapshotWriter) {
        w.string(id); w.string(service); w.string(description); w.optionalString(arch); w.string(unit); w.double(per)
        w.optional(usd) { $0.double($1) }
        w.optional(tiers) { w, tiers in w.list(tiers) { w, t in w.optional(t.upTo) { $0.double($1) }; w.double(t.usd) } }
        w.optional(free) { w, f in w.double(f.quantity); w.string(f.note) }
        w.optionalString(grade); w.optionalString(asOf); w.optionalString(source)
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        self.init(id: try r.string(), service: try r.string(), description: try r.string(), arch: try r.optionalString(), unit: try r.string(),
                  per: try r.double(), usd: try r.optional { r throws(F) in try r.double() },
                  tiers: try r.optional { r throws(F) in try r.list { r throws(F) in Tier(upTo: try r.optional { r throws(F) in try r.double() }, usd: try r.double()) } },
                  free: try r.optional { r throws(F) in Allowance(quantity: try r.double(), note: try r.string()) },
                  grade: try r.optionalString(), asOf: try r.optionalString(), source: try r.optionalString())
    }
}

extension CostModel {
    func write(_ w: inout SnapshotWriter) {
        w.string(pattern)
        w.list(lets) { w, l in w.string(l.name); l.expression.write(&w); w.string(l.meaning); w.string(l.source) }
        w.list(lines) { w, l in w.string(l.item); w.optional(l.when) { $1.write(&$0) }; l.quantity.write(&w); w.string(l.unit); w.string(l.price) }
        w.list(notes) { w, n in w.optional(n.when) { $1.write(&$0) }; n.text.write(&w) }
    }
    init(snapshot r: inout SnapshotReader) throws(RuleSnapshot.Failure) {
        typealias F = RuleSnapshot.Failure
        let pattern = try r.string()
        let lets = try r.list { r throws(F) in
            let name = try r.string()
            return Let(name: name, key: Name(name), expression: try Expression(snapshot: &r), meaning: try r.string(), source: try r.string())
        }
        let lines = try r.list { r throws(F) in
            Line(item: try r.string(), when: try r.optional { r throws(F) in try Expression(snapshot: &r) }, quantity: try Expression(snapshot: &r),
                 unit: try r.string(), price: try r.string())
        }
        let notes = try r.list { r throws(F) in
            Note(when: try r.optional { r throws(F) in try Expression(snapshot: &r) }, text: try MessageTemplate(snapshot: &r))
        }
        self.init(pattern: pattern, lets: lets, lines: lines, notes: notes)
    }
}

extension RuleSnapshot {
    /// The Swift source of `BuiltInSnapshot.swift` for the rules built into this binary: what
    /// `scripts/update-snapshot` writes after `rules/` changes.
    public static func builtInSource() throws(RuleSetError) -> String {
        let digest = Self.digest(RuleFiles.builtIn)
        let text = encode(try RuleSet.compile(.embedded), digest: digest)
        var literal = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": literal += "\\\\"
            case "\"": literal += "\\\""
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: literal += "\\u{\(String(scalar.value, radix: 16))}"
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return """
            // Generated by scripts/update-snapshot from rules/: the built-in rules, compiled (see RuleSnapshot).
            // Do not edit. While `digest` differs from the embedded rules', the rules compile from JSON instead.

            enum BuiltInSnapshot {
                static let digest = "\(digest)"
                static let text = "\(literal)"
            }

            """
    }

    /// Whether the built-in rules load from their snapshot (false after `rules/` changed until it is made again).
    public static var builtInIsCurrent: Bool { BuiltInSnapshot.digest == EmbeddedRules.digest }
}
