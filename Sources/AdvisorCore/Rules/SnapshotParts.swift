import Synchronization

/// Parts of a rule snapshot decoded the first time a command asks for one, by key: a command estimates one or
/// two patterns' costs and previews one pattern's scaffold, so decoding every cost model and manifest at every
/// start was wasted. Parts given already decoded (rules compiled from files) are simply held.
final class SnapshotParts<Value: Sendable>: Sendable {
    typealias Decode = @Sendable (inout SnapshotReader) throws(RuleSnapshot.Failure) -> Value
    private struct State {
        var decoded: [String: Value]
        var pending: [String: Range<Int>]
    }
    private let state: Mutex<State>
    private let text: String
    /// The snapshot's string table, which the parts' strings are places in.
    private let strings: [String]
    private let decode: Decode?

    init(decoded: [String: Value] = [:]) {
        state = Mutex(State(decoded: decoded, pending: [:]))
        text = ""
        strings = []
        decode = nil
    }

    /// The parts at `ranges` of `text` (each written with `SnapshotWriter.part`), read by `decode`.
    init(text: String, ranges: [String: Range<Int>], strings: [String], decode: @escaping Decode) {
        state = Mutex(State(decoded: [:], pending: ranges))
        self.text = text
        self.strings = strings
        self.decode = decode
    }

    /// The part of `key`; nil when there is none, or it does not read (a damaged snapshot).
    func part(_ key: String) -> Value? {
        state.withLock { state in
            if let value = state.decoded[key] { return value }
            guard let range = state.pending.removeValue(forKey: key), let value = read(range) else { return nil }
            state.decoded[key] = value
            return value
        }
    }

    /// Every part that reads.
    func all() -> [String: Value] {
        let pending = state.withLock { Array($0.pending.keys) }
        for key in pending { _ = part(key) }
        return state.withLock { $0.decoded }
    }

    private func read(_ range: Range<Int>) -> Value? {
        guard let decode else { return nil }
        var text = text
        return text.withUTF8 { bytes in
            var reader = SnapshotReader(bytes: UnsafeBufferPointer(rebasing: bytes[range]), table: strings)
            guard let value = try? decode(&reader), reader.atEnd else { return nil }
            return value
        }
    }
}
