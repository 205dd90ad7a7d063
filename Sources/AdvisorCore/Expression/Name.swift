import Synchronization

/// A name an expression reads (`duration`, `window`, `lambdaGBs`), with its slot in every `Scope`.
///
/// Rules evaluate hundreds of expressions per workload and `check` resolves thousands of workloads, so a
/// name is looked up by its slot, an array index fixed when the name is first seen, never by hashing its
/// text. Slots are process-wide: a name means the same slot in every rule set and every thread.
public struct Name: Hashable, Sendable, CustomStringConvertible {
    public let text: String
    let slot: Int

    /// The name's slot, given it one if this is the first time the process meets it.
    public init(_ text: String) {
        self.text = text
        slot = Self.table.withLock { table in
            if let slot = table[text] { return slot }
            let slot = table.count
            table[text] = slot
            return slot
        }
    }

    /// The name if the process has met it, else nil: reading an unknown name must not grow the table.
    static func existing(_ text: String) -> Name? {
        Self.table.withLock { table in table[text].map { Name(text: text, slot: $0) } }
    }

    private init(text: String, slot: Int) { self.text = text; self.slot = slot }

    public var description: String { text }
    public static func == (lhs: Name, rhs: Name) -> Bool { lhs.slot == rhs.slot }
    public func hash(into hasher: inout Hasher) { hasher.combine(slot) }

    private static let table = Mutex<[String: Int]>([:])

    // Names the engine itself sets (see `RuleSet.builtInNames`).
    public static let entry = Name("entry")
    public static let window = Name("window")
    public static let streamWindow = Name("streamWindow")
    public static let doorTimeoutFrom = Name("doorTimeoutFrom")
    public static let doorTimeoutTo = Name("doorTimeoutTo")
    public static let doorTimeout = Name("doorTimeout")
    public static let pattern = Name("pattern")

    /// The flag `Answers` sets when the user gave input `id` (read by `given(id)` in rules).
    public static func given(_ id: String) -> Name { Name("given " + id) }
    /// The input a `given` flag stands for.
    static func input(ofGiven text: String) -> String? { text.hasPrefix("given ") ? String(text.dropFirst(6)) : nil }
    public static let lambdaBased = Name("lambdaBased")
}

/// Named values an expression can read, held by slot.
public struct Scope: Sendable {
    private var slots: [Value?] = []
    /// Values laid over `slots` without copying them: the names rules about one of fifteen patterns read on
    /// top of the same workload (`pattern`, `lambdaBased`). Copying the slots cost more than the rules.
    private var overlay: [(name: Name, value: Value)] = []

    public init(_ values: [String: Value] = [:]) {
        for (name, value) in values { self[Name(name)] = value }
    }

    public subscript(name: Name) -> Value? {
        get {
            for entry in overlay where entry.name == name { return entry.value }
            return name.slot < slots.count ? slots[name.slot] : nil
        }
        set {
            if !overlay.isEmpty { overlay.removeAll { $0.name == name } }
            if name.slot >= slots.count {
                guard newValue != nil else { return }
                // Grow in one step to room for every name a rule set usually has, not one slot at a time.
                let count = max(name.slot + 1, slots.count * 2, 64)
                slots.reserveCapacity(count)
                while slots.count < count { slots.append(nil) }
            }
            slots[name.slot] = newValue
        }
    }

    /// By text, for code off the hot paths; prefer a `Name` made once.
    public subscript(name: String) -> Value? {
        get { Name.existing(name).flatMap { self[$0] } }
        set { self[Name(name)] = newValue }
    }

    /// This scope with a few values laid over it, sharing its slots.
    public func overlaying(_ values: [(name: Name, value: Value)]) -> Scope {
        var scope = self
        scope.overlay = values + overlay.filter { entry in !values.contains { $0.name == entry.name } }
        return scope
    }
}
