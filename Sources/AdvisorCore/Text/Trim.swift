extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    public var trimmed: String {
        // Most text has nothing to trim: a first and last byte that are not spaces settle it without
        // walking characters. (A space is one byte; a character ending in another byte is no space.)
        let text = String(self)
        if let first = text.utf8.first, let last = text.utf8.last, !Self.isSpaceByte(first), !Self.isSpaceByte(last) { return text }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }

    private static func isSpaceByte(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
