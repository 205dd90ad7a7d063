import Dispatch

/// Maps a large array on every core, keeping the order. A design check of ten thousand workloads is
/// independent work per workload; small inputs stay on the calling thread.
enum Parallel {
    static func map<Element: Sendable, Result: Sendable>(_ items: [Element], minimumChunk: Int = 256,
                                                         _ transform: @Sendable (Element) -> Result) -> [Result] {
        guard items.count >= 2 * minimumChunk else { return items.map(transform) }
        let chunks = min(64, items.count / minimumChunk)
        let slots = Slots<[Result]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (items.count * chunk / chunks)..<(items.count * (chunk + 1) / chunks)
            slots.set(chunk, items[range].map(transform))
        }
        return slots.values.flatMap { $0 }
    }

    /// One slot per chunk; each chunk writes only its own slot, so no two threads touch the same memory.
    private final class Slots<Value>: @unchecked Sendable {
        private let pointer: UnsafeMutablePointer<Value?>
        private let count: Int
        init(count: Int) {
            self.count = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: nil, count: count)
        }
        deinit {
            pointer.deinitialize(count: count)
            pointer.deallocate()
        }
        func set(_ index: Int, _ value: Value) { pointer[index] = value }
        var values: [Value] { (0..<count).map { pointer[$0]! } }
    }
}
