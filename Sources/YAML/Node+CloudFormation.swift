/// CloudFormation's short-form tags, turned into the long forms JSON templates use, so that code reading a
/// template sees one shape whichever form the author wrote.
extension Node {
    /// The short-form tags CloudFormation defines, with the key of their long form.
    public static let cloudFormationLongFormKeys: [String: String] = [
        "!Ref": "Ref",
        "!Condition": "Condition",
        "!Base64": "Fn::Base64",
        "!Cidr": "Fn::Cidr",
        "!FindInMap": "Fn::FindInMap",
        "!GetAtt": "Fn::GetAtt",
        "!GetAZs": "Fn::GetAZs",
        "!ImportValue": "Fn::ImportValue",
        "!Join": "Fn::Join",
        "!Select": "Fn::Select",
        "!Split": "Fn::Split",
        "!Sub": "Fn::Sub",
        "!Transform": "Fn::Transform",
        "!And": "Fn::And",
        "!Equals": "Fn::Equals",
        "!If": "Fn::If",
        "!Not": "Fn::Not",
        "!Or": "Fn::Or",
    ]

    /// This node with every CloudFormation short form, at any depth, rewritten as its long form:
    /// `!Ref X` becomes `{Ref: X}`, `!Sub "…"` becomes `{Fn::Sub: "…"}`, and `!GetAtt A.B` becomes
    /// `{Fn::GetAtt: [A, B]}` (split at the first dot; the sequence form is kept as written).
    ///
    /// The new mapping and its key carry the tagged node's mark, and the value keeps it too. Nodes with
    /// other tags keep their tag and value.
    public func cloudFormationLongForm() -> Node {
        var node = self
        switch kind {
        case .scalar:
            break
        case .sequence(let items):
            node.kind = .sequence(items.map { $0.cloudFormationLongForm() })
        case .mapping(let entries):
            node.kind = .mapping(
                entries.map { (key: $0.key.cloudFormationLongForm(), value: $0.value.cloudFormationLongForm()) })
        }
        guard let tag, let longFormKey = Self.cloudFormationLongFormKeys[tag] else {
            return node
        }
        node.tag = nil
        if tag == "!GetAtt", case .scalar(let text, let style) = node.kind,
            let dot = text.firstIndex(of: ".")
        {
            let resource = Node(.scalar(String(text[..<dot]), style: style), mark: mark)
            let attribute = Node(.scalar(String(text[text.index(after: dot)...]), style: style), mark: mark)
            node.kind = .sequence([resource, attribute])
        }
        let key = Node(.scalar(longFormKey, style: .plain), mark: mark)
        return Node(.mapping([(key: key, value: node)]), mark: mark)
    }
}
