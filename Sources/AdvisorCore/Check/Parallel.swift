import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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

extension Parallel {
    /// Runs `work` for `0..<count` on every core and hands the results to `consume` on the calling thread,
    /// in index order, as each becomes ready. At most `window` results are made and not yet consumed, so
    /// memory holds a window of items whatever the count. `consume` returns false to stop: work not yet
    /// started is skipped (started work finishes, unconsumed).
    static func ordered<Result>(_ count: Int, window: Int? = nil, _ work: @escaping @Sendable (Int) -> Result,
                                consume: (Int, Result) -> Bool) {
        let cores = Parallel.cores
        guard count > 1 && cores > 1 else {
            for index in 0..<count where !consume(index, work(index)) { return }
            return
        }
        let window = max(2, window ?? 4 * cores)
        let pipe = Pipe<Result>(window: window, count: count)
        let workers = min(cores, count)
        let group = DispatchGroup()
        for _ in 0..<workers {
            DispatchQueue.global().async(group: group) {
                while true {
                    pipe.free.wait()
                    let index = pipe.take()
                    guard index < count else { pipe.free.signal(); return }
                    let result: Result? = pipe.stopped ? nil : work(index)
                    pipe.put(index, result)
                }
            }
        }
        var going = true
        for index in 0..<count {
            let result = pipe.get(index)
            if going, let result { going = consume(index, result) }
            if !going { pipe.stop() }
            pipe.free.signal()
        }
        group.wait()
    }

    /// The cores this process may run on.
    static let cores: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// A ring of `window` slots between the workers and the consumer: a worker takes an index only once a
    /// slot is free (`free`), and slot `index % window` is then its alone until the consumer has read it.
    private final class Pipe<Result>: @unchecked Sendable {
        let free: DispatchSemaphore
        private let ready: [DispatchSemaphore]
        private let slots: UnsafeMutablePointer<Result?>
        private let window: Int
        private let lock = Lock()
        private var next = 0
        private var halted = false

        init(window: Int, count: Int) {
            self.window = window
            free = DispatchSemaphore(value: window)
            ready = (0..<window).map { _ in DispatchSemaphore(value: 0) }
            slots = .allocate(capacity: window)
            slots.initialize(repeating: nil, count: window)
        }
        deinit {
            slots.deinitialize(count: window)
            slots.deallocate()
        }
        func take() -> Int { lock.with { defer { next += 1 }; return next } }
        var stopped: Bool { lock.with { halted } }
        func stop() { lock.with { halted = true } }
        func put(_ index: Int, _ result: Result?) {
            slots[index % window] = result
            ready[index % window].signal()
        }
        func get(_ index: Int) -> Result? {
            ready[index % window].wait()
            defer { slots[index % window] = nil }
            return slots[index % window]
        }
    }
}

/// A mutex on pthreads (the core uses no Foundation).
final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        return mutex
    }()
    deinit { pthread_mutex_destroy(mutex); mutex.deallocate() }
    func with<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
