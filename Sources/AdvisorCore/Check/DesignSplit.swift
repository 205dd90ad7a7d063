/// Cuts a large design file `{"workloads": [ … ]}` into pieces of whole workloads, so the pieces can be
/// read on every core: one fast pass over the bytes that follows strings and their escapes and counts
/// brackets, and cuts at the commas between the array's items once a piece is `target` bytes long.
///
/// The cut is only a proposal: each piece is then read by the strict reader (`JSONReader.readItems`),
/// which checks everything the scan does not. Anything but exactly that shape (a byte-order mark and
/// whitespace allowed) gives `nil`, and so does an empty array: the caller then reads the file whole, as
/// it does when a piece does not read, so every error is the whole-file reader's, at its line and column.
struct DesignSplit: Equatable, Sendable {
    /// One piece: its items are `bytes[start..<end]`, on line `line` from `start`, and that line begins
    /// at `lineStart` (the piece is read from there, so columns come out as in the whole file).
    struct Piece: Equatable, Sendable {
        var lineStart: Int
        var start: Int
        var end: Int
        var line: Int
    }

    var pieces: [Piece]

    /// The items' nesting inside the top-level object and the `workloads` array.
    static let itemDepth = 2

    static func split(_ bytes: UnsafeBufferPointer<UInt8>, target: Int) -> DesignSplit? {
        let count = bytes.count
        var i = 0, line = 1, lineStart = 0
        if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3; lineStart = 3 }
        func skipSpace() {
            while i < count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0D: i += 1
                case 0x0A: i += 1; line += 1; lineStart = i
                default: return
                }
            }
        }
        func expect(_ byte: UInt8) -> Bool {
            guard i < count, bytes[i] == byte else { return false }
            i += 1
            return true
        }
        skipSpace()
        guard expect(UInt8(ascii: "{")) else { return nil }
        skipSpace()
        for byte in "\"workloads\"".utf8 { guard expect(byte) else { return nil } }
        skipSpace()
        guard expect(UInt8(ascii: ":")) else { return nil }
        skipSpace()
        guard expect(UInt8(ascii: "[")) else { return nil }

        var pieces: [Piece] = []
        var piece = Piece(lineStart: lineStart, start: i, end: i, line: line)
        var depth = 0
        var nonBlank = false
        scan: while i < count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                // A string: to its closing quote, past escapes. A raw newline (invalid) is still counted.
                nonBlank = true
                i += 1
                while i < count {
                    let inner = bytes[i]
                    if inner == UInt8(ascii: "\"") { break }
                    if inner == UInt8(ascii: "\\") { i += 2; continue }
                    if inner == 0x0A { line += 1; lineStart = i + 1 }
                    i += 1
                }
                guard i < count else { return nil }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                nonBlank = true
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 {
                    guard byte == UInt8(ascii: "]"), nonBlank else { return nil }
                    piece.end = i
                    pieces.append(piece)
                    i += 1
                    break scan
                }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 && i - piece.start >= target {
                    piece.end = i
                    pieces.append(piece)
                    piece = Piece(lineStart: lineStart, start: i + 1, end: i + 1, line: line)
                }
            case 0x0A:
                line += 1
                lineStart = i + 1
            case 0x20, 0x09, 0x0D:
                break
            default:
                nonBlank = true
            }
            i += 1
        }
        guard !pieces.isEmpty, pieces.last!.end < count, bytes[pieces.last!.end] == UInt8(ascii: "]") else { return nil }
        skipSpace()
        guard expect(UInt8(ascii: "}")) else { return nil }
        skipSpace()
        guard i == count else { return nil }
        return DesignSplit(pieces: pieces)
    }

    /// The items of one piece, read strictly; throws when the piece is not `item (, item)*`.
    static func items(_ bytes: UnsafeBufferPointer<UInt8>, _ piece: Piece) throws(JSONReader.SyntaxError) -> [LocatedJSON] {
        let slice = UnsafeBufferPointer(rebasing: bytes[piece.lineStart..<piece.end])
        return try JSONReader.readItems(slice, offset: piece.start - piece.lineStart, line: piece.line, depth: itemDepth)
    }
}

extension DesignFile {
    /// Reads a design file's text the way `check` reads a large one — split into pieces of about
    /// `pieceSize` bytes, each piece read on its own, the workloads collected in order — one piece after
    /// another. Nil when the split declines the file (not `{"workloads": [ … ]}`, or a piece does not
    /// read): `check` then reads it whole. Otherwise exactly what `CheckDocument.read` gives for the text
    /// (the fuzz target `design-split` holds it to that).
    public static func readInPieces(_ text: String, path: String, rules: RuleSet, pieceSize: Int) -> Result<DesignFile, DesignFileError>? {
        var text = text
        return text.withUTF8 { bytes -> Result<DesignFile, DesignFileError>? in
            guard let split = DesignSplit.split(bytes, target: pieceSize) else { return nil }
            let reader = ItemReader(path: path, rules: rules)
            var collector = Collector(reader)
            var workloads: [Workload] = []
            var position = 0
            for piece in split.pieces {
                guard let items = try? DesignSplit.items(bytes, piece) else { return nil }
                for (offset, item) in items.enumerated() {
                    if let workload = collector.take(reader.read(item, position: offset + 1), base: position) { workloads.append(workload) }
                }
                position += items.count
            }
            guard collector.problems.isEmpty else { return .failure(DesignFileError(problems: collector.problems)) }
            return .success(DesignFile(path: path, workloads: workloads))
        }
    }
}
