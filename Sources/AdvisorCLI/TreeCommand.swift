import AdvisorCore

/// `tree --format text|mermaid|dot`: the decision tree exactly as loaded.
enum TreeCommand {
    static func run(_ arguments: [String], _ context: inout Context) throws -> ExitCode {
        let specs = [OptionSpec(name: "format", valueName: "format", help: "Output format", values: ["text", "mermaid", "dot", "json"], defaultText: "text")] + RecommendCommand.common
        let parsed = try ArgumentParser.parse(arguments, options: specs, command: "tree", maxPositionals: 0)
        if parsed.has("help") || parsed.has("h") {
            context.console.write(Help.render(command: "tree", overview: "Print the decision tree as loaded from the rule set.", usage: "async-advisor tree [--format text|mermaid|dot|json]", options: specs))
            return .success
        }
        let rules = try context.rules(arguments)
        let tree = rules.tree
        func label(_ branch: CompiledBranch, _ node: CompiledNode) -> String {
            switch branch.condition {
            case .interval(let interval): return interval.source
            case .choices(let values): return values.joined(separator: " | ")
            case .otherwise: return "else"
            }
        }
        func leafLabel(_ id: String) -> String {
            guard let leaf = tree.leaves[id] else { return id }
            return leaf.pattern
        }
        switch parsed["format"] ?? "text" {
        case "mermaid":
            var out = "flowchart TD\n"
            for id in tree.nodeOrder {
                let node = tree.nodes[id]!
                out += "  \(ident(id)){\"\(node.title): \(node.input)?\"}\n"
            }
            for id in tree.leafOrder { out += "  \(ident(id))[\"\(leafLabel(id))\"]\n" }
            for id in tree.nodeOrder {
                let node = tree.nodes[id]!
                for branch in node.branches {
                    out += "  \(ident(id)) -->|\"\(label(branch, node).replacing("\"", with: "'"))\"| \(ident(branch.next))\n"
                }
            }
            context.console.write(out)
        case "dot":
            var out = "digraph DT14 {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n"
            for id in tree.nodeOrder {
                let node = tree.nodes[id]!
                out += "  \"\(id)\" [shape=diamond, label=\"\(node.title)\\n\(node.input)?\"];\n"
            }
            for id in tree.leafOrder { out += "  \"\(id)\" [shape=box, style=rounded, label=\"\(leafLabel(id))\"];\n" }
            for id in tree.nodeOrder {
                let node = tree.nodes[id]!
                for branch in node.branches { out += "  \"\(id)\" -> \"\(branch.next)\" [label=\"\(label(branch, node))\"];\n" }
            }
            out += "}\n"
            context.console.write(out)
        case "json":
            let nodes: [JSONValue] = tree.nodeOrder.map { id in
                let node = tree.nodes[id]!
                return .object([("id", .string(id)), ("input", .string(node.input)), ("rule", .string(node.rule)),
                                ("branches", .array(node.branches.map { .object([("when", .string(label($0, node))), ("next", .string($0.next))]) }))])
            }
            let leaves: [JSONValue] = tree.leafOrder.map { .object([("id", .string($0)), ("pattern", .string(leafLabel($0)))]) }
            context.console.write(JSONWriter.write(.object([("root", .string(tree.root)), ("nodes", .array(nodes)), ("leaves", .array(leaves))])) + "\n")
        default:
            var out = ""
            var printed: Set<String> = []
            func visit(_ id: String, _ indent: String) {
                if let leaf = tree.leaves[id] {
                    out += context.style.green("→ \(leaf.pattern)") + "\n"
                    return
                }
                guard let node = tree.nodes[id] else { return }
                if printed.contains(id) { out += context.style.dim("(see \(id) above)") + "\n"; return }
                printed.insert(id)
                out += context.style.bold("\(node.title): \(node.input)?") + context.style.dim("  [rule \(node.rule), \(id)]") + "\n"
                for (index, branch) in node.branches.enumerated() {
                    let last = index == node.branches.count - 1
                    out += indent + (last ? "└─ " : "├─ ") + label(branch, node) + " "
                    visit(branch.next, indent + (last ? "   " : "│  "))
                }
            }
            visit(tree.root, "")
            context.console.write(out)
        }
        return .success
    }

    static func ident(_ id: String) -> String { id.replacing("-", with: "_") }
}
