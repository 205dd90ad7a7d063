/// A pattern's monthly cost as data (`rules/costs.json`): named intermediate values, line items whose
/// quantities are expressions over the inputs, and notes — each line priced by an id of the price list.
public struct CostModel: Sendable {
    /// A named value the later expressions can read, e.g. `lambdaGBs = volume * lambdaSeconds * memory / 1024`.
    public struct Let: Sendable {
        public var name: String
        public var key: Name
        public var expression: Expression
        public var meaning: String
        public var source: String
    }

    public struct Line: Sendable {
        public var item: String
        /// The line applies only when this holds (a front door, a trigger).
        public var when: Expression?
        public var quantity: Expression
        public var unit: String
        public var price: String
    }

    public struct Note: Sendable {
        public var when: Expression?
        public var text: MessageTemplate
    }

    public var pattern: String
    /// The file's shared values first, then the model's own, in order; a model may redefine a shared one.
    public var lets: [Let]
    /// The included shared lines first, then the model's own.
    public var lines: [Line]
    public var notes: [Note]

    /// Every name the model's expressions read, other than its own `let`s: the inputs it depends on.
    public var names: Set<String> {
        var names: Set<String> = []
        for item in lets { names.formUnion(item.expression.names) }
        for line in lines {
            names.formUnion(line.quantity.names)
            if let when = line.when { names.formUnion(when.names) }
        }
        for note in notes {
            names.formUnion(note.text.names)
            if let when = note.when { names.formUnion(when.names) }
        }
        return names.subtracting(lets.map(\.name))
    }
}

/// Every pattern's cost model and the price list they read.
public struct CostModels: Sendable {
    public var prices: PriceList
    private var source: SnapshotParts<CostModel>

    public init(prices: PriceList, models: [String: CostModel]) {
        self.prices = prices
        source = SnapshotParts(decoded: models)
    }

    /// Models still in a snapshot's text, by pattern: each is decoded the first time it is asked for, since
    /// a command estimates one or two patterns and decoding all fifteen was a tenth of its start-up.
    init(prices: PriceList, snapshot text: String, ranges: [String: Range<Int>], strings: [String]) {
        self.prices = prices
        source = SnapshotParts(text: text, ranges: ranges, strings: strings) { r throws(RuleSnapshot.Failure) in try CostModel(snapshot: &r) }
    }

    /// One pattern's model.
    public func model(_ pattern: String) -> CostModel? { source.part(pattern) }

    /// Every pattern's model.
    public var models: [String: CostModel] {
        get { source.all() }
        set { source = SnapshotParts(decoded: newValue) }
    }
}

// The file as written.

struct CostsFile: Sendable {
    struct LetRule: Sendable {
        var name: String
        var expression: String
        var meaning: String
        var source: String
    }

    struct LineRule: Sendable {
        var item: String
        var when: String?
        var quantity: String
        var unit: String
        var price: String
    }

    struct NoteRule: Sendable {
        var when: String?
        var text: String
    }

    struct SharedGroup: Sendable {
        var lines: [Located<LineRule>]?
        var notes: [Located<NoteRule>]?
    }

    struct ModelRule: Sendable {
        var pattern: String
        var include: [String]?
        var lets: [Located<LetRule>]?
        var lines: [Located<LineRule>]
        var notes: [Located<NoteRule>]?
    }

    var version: Int
    var notes: [Located<NoteRule>]?
    var lets: [Located<LetRule>]?
    var shared: [String: Located<SharedGroup>]?
    var models: [Located<ModelRule>]
}
