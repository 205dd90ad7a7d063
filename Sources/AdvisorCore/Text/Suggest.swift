/// "Did you mean …?" by edit distance, the way SwiftFormat and git suggest.
public enum Suggest {
    public static func nearest(_ word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        // One edit for a word of one or two letters ('x' is not a near miss of 'no'), a third of it for longer.
        let allowed = word.count <= 2 ? 1 : max(2, word.count / 3)
        if best.1 <= allowed { return best.0 }
        return candidates.first { $0.hasPrefix(word) && word.count >= 3 }
    }

    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
