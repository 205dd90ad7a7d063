/// The comparison tables (`rules/comparisons.json`): seed 000's aspect table extended to every pattern,
/// DT-14's decision-factor tables, anti-patterns and pitfalls.
public struct Comparisons: Sendable {
    public struct Aspect: Sendable {
        public var id: String
        public var label: String
        public var source: String
    }

    public struct Factor: Sendable {
        public struct Row: Sendable {
            public var cells: [String]
            public var patterns: [String]
            /// A row added after DT-14 (durable functions) names its own source; the seed's rows take the table's.
            public var source: String?
        }
        public var id: String
        public var title: String
        public var source: String
        public var columns: [String]
        public var rows: [Row]
    }

    public struct AntiPattern: Sendable {
        public var id: String
        public var title: String
        public var problem: String
        public var fix: String
        public var patterns: [String]
        public var source: String
    }

    public struct Guide: Sendable {
        public struct Row: Sendable {
            public var choose: String
            public var when: String
        }
        public var id: String
        public var title: String
        public var patterns: [String]
        public var rows: [Row]
        public var source: String
    }

    public var version: Int
    public var aspects: [Aspect]
    public var aspectTable: [String: [String: String]]
    public var factors: [Factor]
    public var antiPatterns: [AntiPattern]
    public var guides: [Guide]
}
