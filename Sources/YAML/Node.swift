/// One node of a YAML document: a scalar, a sequence or a mapping, with its tag and the place it starts.
///
/// Nodes are plain values. Aliases (`*name`) are resolved while reading, so a tree never refers back to
/// itself; an alias yields a copy of the anchored node, marked where the alias is written.
public struct Node: Equatable, Sendable {
    /// What a node holds. Mappings keep their entries in document order, because templates are read by
    /// people and findings should follow the order they wrote.
    public enum Kind: Equatable, Sendable {
        /// Text exactly as the YAML means it (quotes removed, escapes decoded, blocks folded), and how it
        /// was written. An empty node, such as the value in `Key:`, is an empty plain scalar.
        case scalar(String, style: ScalarStyle)
        /// The items of a block (`- a`) or flow (`[a, b]`) sequence.
        case sequence([Node])
        /// The entries of a block (`a: 1`) or flow (`{a: 1}`) mapping, in document order. Keys are nodes,
        /// so each key carries its own mark.
        case mapping([(key: Node, value: Node)])

        public static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case let (.scalar(left, leftStyle), .scalar(right, rightStyle)):
                return left == right && leftStyle == rightStyle
            case let (.sequence(left), .sequence(right)):
                return left == right
            case let (.mapping(left), .mapping(right)):
                return left.count == right.count
                    && zip(left, right).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default:
                return false
            }
        }
    }

    /// The content.
    public var kind: Kind
    /// The tag as written, such as `!Ref`, `!GetAtt` or `!!str`; `nil` when the node has none.
    public var tag: String?
    /// Where the node starts: its tag or anchor if it has one, otherwise its first character.
    public var mark: Mark

    public init(_ kind: Kind, tag: String? = nil, mark: Mark) {
        self.kind = kind
        self.tag = tag
        self.mark = mark
    }
}
