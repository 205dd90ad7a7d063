/// Terminal styling that disappears off a terminal or under NO_COLOR, and word wrapping to the width.
struct Style: Sendable {
    var color: Bool
    var width: Int

    func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    func green(_ s: String) -> String { color ? "\u{1B}[32m\(s)\u{1B}[0m" : s }
    func yellow(_ s: String) -> String { color ? "\u{1B}[33m\(s)\u{1B}[0m" : s }
    func red(_ s: String) -> String { color ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
    func cyan(_ s: String) -> String { color ? "\u{1B}[36m\(s)\u{1B}[0m" : s }

    /// Wraps `text` to the width; the first line starts with `first`, the others with `rest`.
    func wrap(_ text: String, first: String = "", rest: String? = nil) -> String {
        Self.wrap(text, width: width, first: first, rest: rest ?? String(repeating: " ", count: first.count))
    }

    static func wrap(_ text: String, width: Int, first: String, rest: String) -> String {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = lineHasWord ? line + " " + word : line + word
            if lineHasWord && candidate.count > width {
                lines.append(line)
                line = rest + word
            } else {
                line = candidate
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
