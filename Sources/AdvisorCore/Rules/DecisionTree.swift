/// The decision tree as data: nodes test one input each; branches lead to a node or a leaf.
public struct DecisionTree: Sendable {
    public struct Node: Sendable {
        public var id: String
        public var input: String
        public var rule: String
        public var title: String
        public var source: String
        public var branches: [Located<Branch>]
    }

    public struct Branch: Sendable {
        /// An interval such as `[0, window)` for duration and throughput, a list of choices, or `"else"`.
        public var when: JSONValue
        public var next: String
        public var because: String
        public var source: String?
        public var warnings: [String]?
        public var companions: [Companion]?
    }

    public struct Companion: Sendable {
        public var pattern: String
        public var why: String
    }

    public struct Alternative: Sendable {
        public var pattern: String
        public var why: String
        public var when: String?
    }

    public struct Leaf: Sendable {
        public var id: String
        public var pattern: String
        public var because: String
        public var source: String
        public var alternatives: [Located<Alternative>]?
        /// Workloads that reach this leaf, with their warnings (run by `rules lint`; not kept in the snapshot).
        public var examples: [Located<RuleExample>]? = nil
    }

    public var root: String
    public var nodes: [String: CompiledNode]
    public var leaves: [String: Leaf]
    /// Nodes and leaves in file order, for printing and linting.
    public var nodeOrder: [String]
    public var leafOrder: [String]
    /// The patterns reachable from each node and leaf, and the leaves' and branches' texts parsed: worked out
    /// when the rules are compiled (and kept in the snapshot), so no command works them out at start.
    public var reachable: [String: Set<String>] = [:]
    var templates: [String: MessageTemplate] = [:]
}

/// What a branch tests, compiled once at load.
public enum Condition: Sendable {
    case interval(Interval)
    case choices([String])
    case otherwise

    public func describe(input: String) -> String {
        switch self {
        case .interval(let interval): return interval.describe(input)
        case .choices(let values): return "\(input) is " + values.joined(separator: " or ")
        case .otherwise: return "\(input) is anything else"
        }
    }
}

public struct CompiledBranch: Sendable {
    public var condition: Condition
    public var next: String
    public var because: MessageTemplate
    public var source: String?
    public var warnings: [String]
    public var companions: [DecisionTree.Companion]
    public var location: SourceLocation
    public var path: [JSONPathComponent]
}

public struct CompiledNode: Sendable {
    public var id: String
    public var input: String
    public var inputKey: Name
    public var rule: String
    public var title: String
    public var source: String
    public var branches: [CompiledBranch]
    public var location: SourceLocation
    public var path: [JSONPathComponent]
}

struct TreeFile: Sendable {
    var version: Int
    var root: String
    var nodes: [Located<DecisionTree.Node>]
    var leaves: [Located<DecisionTree.Leaf>]
}
