/// A scaffold template: text with `{{name}}` placeholders, `{{#if x}}…{{else}}…{{/if}}`,
/// `{{#unless x}}…{{/unless}}` and `{{#each list}}…{{.}}…{{/each}}` (docs/scaffold-format.md).
///
/// Only `{{` followed by a letter, `#`, `/`, `.` or `else` opens a tag, so most code is safe as it is;
/// `\{{` writes a literal `{{` where a tag would otherwise start (CloudFormation's `{{resolve:…}}`).
/// A line holding nothing but a block tag disappears with its newline, as in Mustache.
/// Parsing checks the structure; rendering fails on a name the variables do not define.
public struct Template: Sendable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case list([String])
        case bool(Bool)

        var isTruthy: Bool {
            switch self {
            case .string(let s): return !s.isEmpty
            case .list(let l): return !l.isEmpty
            case .bool(let b): return b
            }
        }
    }

    public struct Error: Swift.Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    indirect enum Node: Sendable {
        case text(String)
        case variable(String, line: Int)
        case item(line: Int)
        case conditional(String, negated: Bool, then: [Node], otherwise: [Node], line: Int)
        case each(String, body: [Node], line: Int)
    }

    let nodes: [Node]

    public init(_ text: String) throws(Error) {
        var parser = TemplateParser(text)
        nodes = try parser.parseAll()
    }

    /// Every variable the template reads (`{{.}}` is not a variable), for `rules lint`.
    public var names: Set<String> {
        func collect(_ nodes: [Node], into names: inout Set<String>) {
            for node in nodes {
                switch node {
                case .text, .item: break
                case .variable(let name, _): names.insert(name)
                case .conditional(let name, _, let then, let otherwise, _):
                    names.insert(name)
                    collect(then, into: &names)
                    collect(otherwise, into: &names)
                case .each(let name, let body, _):
                    names.insert(name)
                    collect(body, into: &names)
                }
            }
        }
        var names: Set<String> = []
        collect(nodes, into: &names)
        return names
    }

    public func render(_ variables: [String: Value]) throws(Error) -> String {
        var out = ""
        try Self.render(nodes, variables, item: nil, into: &out)
        return out
    }

    private static func render(_ nodes: [Node], _ variables: [String: Value], item: String?, into out: inout String) throws(Error) {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .variable(let name, let line):
                switch variables[name] {
                case .string(let s): out += s
                case .bool(let b): out += b ? "true" : "false"
                case .list: throw Error(line: line, message: "'\(name)' is a list; write it with {{#each \(name)}}…{{.}}…{{/each}}")
                case nil: throw Error(line: line, message: "'\(name)' is not defined; defined: \(variables.keys.sorted().joined(separator: ", "))")
                }
            case .item(let line):
                guard let item else { throw Error(line: line, message: "{{.}} outside {{#each}}") }
                out += item
            case .conditional(let name, let negated, let then, let otherwise, let line):
                guard let value = variables[name] else {
                    throw Error(line: line, message: "'\(name)' is not defined; defined: \(variables.keys.sorted().joined(separator: ", "))")
                }
                try render(value.isTruthy != negated ? then : otherwise, variables, item: item, into: &out)
            case .each(let name, let body, let line):
                guard case .list(let items) = variables[name] else {
                    throw Error(line: line, message: variables[name] == nil
                        ? "'\(name)' is not defined; defined: \(variables.keys.sorted().joined(separator: ", "))"
                        : "{{#each \(name)}} needs a list, and '\(name)' is not one")
                }
                for each in items { try render(body, variables, item: each, into: &out) }
            }
        }
    }
}

/// Reads template text into nodes. Works on UTF-8 bytes: every delimiter is ASCII.
struct TemplateParser {
    private enum Tag: Equatable {
        case variable(String)
        case item
        case open(kind: String, name: String)   // if, unless, each
        case otherwise
        case close(String)

        var isBlock: Bool {
            switch self {
            case .variable, .item: return false
            case .open, .otherwise, .close: return true
            }
        }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1

    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func parseAll() throws(Template.Error) -> [Template.Node] {
        let (nodes, end) = try parseNodes(until: [])
        if let end { throw Template.Error(line: line, message: "{{\(Self.spell(end))}} without an opening tag") }
        return nodes
    }

    private static func spell(_ tag: Tag) -> String {
        switch tag {
        case .otherwise: return "else"
        case .close(let kind): return "/" + kind
        default: return ""
        }
    }

    /// Parses until one of `terminators` (an `else` or a closing tag) or the end; returns the tag that stopped it.
    private mutating func parseNodes(until terminators: [Tag]) throws(Template.Error) -> ([Template.Node], Tag?) {
        var nodes: [Template.Node] = []
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty { nodes.append(.text(String(decoding: text, as: UTF8.self))); text.removeAll() }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), starts(with: "\\{{", at: index) {
                text += [UInt8(ascii: "{"), UInt8(ascii: "{")]
                index += 3
                continue
            }
            if byte == UInt8(ascii: "{"), starts(with: "{{", at: index), let (tag, end) = try readTag(at: index) {
                let tagLine = line
                var consumedTo = end
                if tag.isBlock, let standalone = standaloneExtent(tagStart: index, tagEnd: end) {
                    // Drop the indentation already collected and the rest of the line with its newline.
                    text.removeLast(index - standalone.lineStart)
                    consumedTo = standalone.after
                }
                for b in bytes[index..<consumedTo] where b == UInt8(ascii: "\n") { line += 1 }
                index = consumedTo
                switch tag {
                case .variable(let name):
                    flush(); nodes.append(.variable(name, line: tagLine))
                case .item:
                    flush(); nodes.append(.item(line: tagLine))
                case .open(let kind, let name):
                    flush()
                    let (body, stop) = try parseNodes(until: kind == "each" ? [.close(kind)] : [.otherwise, .close(kind)])
                    guard let stop else { throw Template.Error(line: tagLine, message: "{{#\(kind) \(name)}} is never closed with {{/\(kind)}}") }
                    var otherwise: [Template.Node] = []
                    if stop == .otherwise {
                        let (rest, close) = try parseNodes(until: [.close(kind)])
                        guard close != nil else { throw Template.Error(line: tagLine, message: "{{#\(kind) \(name)}} is never closed with {{/\(kind)}}") }
                        otherwise = rest
                    }
                    nodes.append(kind == "each"
                        ? .each(name, body: body, line: tagLine)
                        : .conditional(name, negated: kind == "unless", then: body, otherwise: otherwise, line: tagLine))
                case .otherwise, .close:
                    flush()
                    if terminators.contains(tag) { return (nodes, tag) }
                    if case .close(let kind) = tag, let open = terminators.last, case .close(let expected) = open {
                        throw Template.Error(line: tagLine, message: "{{/\(kind)}} where {{/\(expected)}} was expected")
                    }
                    throw Template.Error(line: tagLine, message: "{{\(Self.spell(tag))}} without an opening tag")
                }
                continue
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            text.append(byte)
            index += 1
        }
        flush()
        return (nodes, nil)
    }

    private func starts(with prefix: String, at position: Int) -> Bool {
        let p = Array(prefix.utf8)
        guard position + p.count <= bytes.count else { return false }
        return Array(bytes[position..<position + p.count]) == p
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "_")
    }

    /// The tag starting at `{{`, or nil when this `{{` is literal text. A tag that starts but is malformed is an error.
    private func readTag(at start: Int) throws(Template.Error) -> (Tag, Int)? {
        var i = start + 2
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
        guard i < bytes.count else { return nil }
        let first = bytes[i]
        let opensTag = (first >= 0x61 && first <= 0x7A) || (first >= 0x41 && first <= 0x5A)
            || first == UInt8(ascii: "#") || first == UInt8(ascii: "/") || first == UInt8(ascii: ".")
        guard opensTag else { return nil }
        // The tag runs to the next `}}` on the same line.
        var close = i
        while close + 1 < bytes.count, !(bytes[close] == UInt8(ascii: "}") && bytes[close + 1] == UInt8(ascii: "}")) {
            if bytes[close] == UInt8(ascii: "\n") { close = bytes.count; break }
            close += 1
        }
        guard close + 1 < bytes.count else {
            throw Template.Error(line: line, message: "a tag opened with '{{' is not closed with '}}' on the same line (write \\{{ for a literal '{{')")
        }
        let inner = String(decoding: bytes[i..<close], as: UTF8.self).trimmed
        let end = close + 2
        let words = inner.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        func validName(_ word: String) -> Bool {
            guard let f = word.utf8.first, (f >= 0x61 && f <= 0x7A) || (f >= 0x41 && f <= 0x5A) else { return false }
            return word.utf8.allSatisfy(Self.isNameByte)
        }
        if inner == "." { return (.item, end) }
        if inner == "else" { return (.otherwise, end) }
        if inner.hasPrefix("#") {
            let kind = String(words.first?.dropFirst() ?? "")
            guard ["if", "unless", "each"].contains(kind) else {
                throw Template.Error(line: line, message: "unknown block '{{\(inner)}}'; blocks are #if, #unless and #each")
            }
            guard words.count == 2, validName(words[1]) else {
                throw Template.Error(line: line, message: "'{{\(inner)}}' needs exactly one variable name, e.g. {{#\(kind) python}}")
            }
            return (.open(kind: kind, name: words[1]), end)
        }
        if inner.hasPrefix("/") {
            let kind = String(inner.dropFirst()).trimmed
            guard ["if", "unless", "each"].contains(kind) else {
                throw Template.Error(line: line, message: "unknown closing tag '{{\(inner)}}'; closing tags are /if, /unless and /each")
            }
            return (.close(kind), end)
        }
        guard words.count == 1, validName(inner) else {
            throw Template.Error(line: line, message: "'{{\(inner)}}' is not a variable name (letters, digits and _; write \\{{ for a literal '{{')")
        }
        return (.variable(inner), end)
    }

    /// When the tag is alone on its line (only spaces or tabs around it), where that line starts and where
    /// the text after it (newline included) resumes.
    private func standaloneExtent(tagStart: Int, tagEnd: Int) -> (lineStart: Int, after: Int)? {
        var lineStart = tagStart
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") {
            guard bytes[lineStart - 1] == UInt8(ascii: " ") || bytes[lineStart - 1] == UInt8(ascii: "\t") else { return nil }
            lineStart -= 1
        }
        var after = tagEnd
        while after < bytes.count, bytes[after] != UInt8(ascii: "\n") {
            guard bytes[after] == UInt8(ascii: " ") || bytes[after] == UInt8(ascii: "\t") || bytes[after] == UInt8(ascii: "\r") else { return nil }
            after += 1
        }
        if after < bytes.count { after += 1 }
        return (lineStart, after)
    }
}
