#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Running out of memory, or any internal fault, ends the process with one line on stderr and exit 2
/// (SPEC §1's input-error code: the run did not check what it was given), never a stack trace.
///
/// The Swift runtime prints its own message (`Fatal error: Could not allocate memory`) and a backtrace
/// before it dies. So standard error is kept under another descriptor for the tool's own lines
/// (`Console.errorDescriptor`), descriptor 2 becomes a pipe nobody waits on (the runtime's message lands
/// there, and a full pipe drops the rest rather than block), and a handler for every fatal signal reads
/// the runtime's first line back from the pipe and writes the one line — with only `read`, `write` and
/// `_exit`, on a stack of its own (a stack overflow is a fault too), from buffers made at start-up.
public enum FatalErrors {
    public static func install() {
        let saved = dup(STDERR_FILENO)
        guard saved >= 0 else { return }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { close(saved); return }
        _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        _ = fcntl(saved, F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        guard dup2(ends[1], STDERR_FILENO) >= 0 else { close(saved); close(ends[0]); close(ends[1]); return }
        close(ends[1])
        fatalState.stderr = saved
        fatalState.runtime = ends[0]
        Console.errorDescriptor = saved

        var limit = rlimit()
        let bound = getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max
            ? " under the memory limit of \(limit.rlim_cur / (1 << 20)) MB (ulimit -v); raise it, or check fewer files in one run"
            : "; check fewer files in one run, or on a machine with more memory"
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max {
            fatalState.limit = Int(limit.rlim_cur)
        }
        fatalState.page = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))
        fatalState.outOfMemory = bytes("async-advisor: out of memory" + bound + "\n")
        fatalState.prefix = bytes("async-advisor: internal error: ")
        fatalState.suffix = bytes("; please report it at \(CLI.homepage)/issues\n")

        let stackSize = 1 << 16
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: stackSize, alignment: 16)
        stack.ss_size = stackSize
        stack.ss_flags = 0
        _ = sigaltstack(&stack, nil)
        for signal in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = fatalSignal
            action.sa_flags = Int32(SA_ONSTACK)
            sigemptyset(&action.sa_mask)
            _ = sigaction(signal, &action, nil)
        }
    }

    /// A line for the buffers the handler writes: made now, since the handler may not allocate.
    private static func bytes(_ text: String) -> UnsafeBufferPointer<UInt8> {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.utf8.count)
        _ = buffer.initialize(from: text.utf8)
        return UnsafeBufferPointer(buffer)
    }
}

struct FatalState {
    var stderr: Int32 = STDERR_FILENO
    var runtime: Int32 = -1
    var outOfMemory = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    var prefix = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    var suffix = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// The runtime's message, read back in the handler.
    var message = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4096)
    /// `RLIMIT_AS`, when set, and the page size, for telling a failed allocation from a bug.
    var limit = 0
    var page = 4096
    var statm = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
}

nonisolated(unsafe) var fatalState = FatalState()

/// Nothing here allocates (no arrays, no captured variables, no strings): memory may be what ran out.
private func fatalSignal(_ signal: Int32) {
    let state = fatalState
    let text = state.message.baseAddress!
    var count = 0
    if state.runtime >= 0 {
        while count < state.message.count {
            let got = read(state.runtime, text + count, state.message.count - count)
            if got <= 0 { break }
            count += got
        }
    }
    if contains(text, count, "alloc") || contains(text, count, "memory") || nearLimit(state) {
        put(state.stderr, state.outOfMemory.baseAddress, state.outOfMemory.count)
        _exit(2)
    }
    // The first line the runtime wrote, without "Fatal error: " and its trailing punctuation, at most 300 bytes.
    var start = 0
    while start < count && (text[start] == 0x0A || text[start] == 0x20) { start += 1 }
    let marker: StaticString = "Fatal error: "
    if count - start >= marker.utf8CodeUnitCount && memcmp(text + start, marker.utf8Start, marker.utf8CodeUnitCount) == 0 {
        start += marker.utf8CodeUnitCount
    }
    var end = start
    while end < count && text[end] != 0x0A && end - start < 300 { end += 1 }
    while end > start && (text[end - 1] == 0x20 || text[end - 1] == 0x2E || text[end - 1] == 0x3A) { end -= 1 }
    put(state.stderr, state.prefix.baseAddress, state.prefix.count)
    if end > start {
        put(state.stderr, text + start, end - start)
    } else {
        let name: StaticString
        switch signal {
        case SIGSEGV: name = "a memory fault (SIGSEGV)"
        case SIGBUS: name = "a bus error (SIGBUS)"
        case SIGILL: name = "an illegal instruction (SIGILL)"
        case SIGTRAP: name = "a trap (SIGTRAP)"
        case SIGABRT: name = "an abort (SIGABRT)"
        case SIGFPE: name = "an arithmetic fault (SIGFPE)"
        default: name = "a fatal signal"
        }
        put(state.stderr, name.utf8Start, name.utf8CodeUnitCount)
    }
    put(state.stderr, state.suffix.baseAddress, state.suffix.count)
    _exit(2)
}

/// Whether the process's address space (`/proc/self/statm`, read without allocating) is within 160 MB
/// of `ulimit -v`: a fault there is an allocation that failed (a C library's unchecked malloc, a thread
/// stack that could not be mapped), not a bug.
private func nearLimit(_ state: FatalState) -> Bool {
    guard state.limit > 0 else { return false }
    let path: StaticString = "/proc/self/statm"
    let descriptor = path.withUTF8Buffer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { open($0, O_RDONLY) }
    }
    guard descriptor >= 0 else { return false }
    let got = read(descriptor, state.statm.baseAddress!, state.statm.count)
    close(descriptor)
    guard got > 0 else { return false }
    var pages = 0, at = 0
    while at < got, state.statm[at] >= 0x30, state.statm[at] <= 0x39 { pages = pages * 10 + Int(state.statm[at] - 0x30); at += 1 }
    return pages * state.page + (160 << 20) >= state.limit
}

private func put(_ descriptor: Int32, _ pointer: UnsafePointer<UInt8>?, _ length: Int) {
    guard let pointer, length > 0 else { return }
    _ = write(descriptor, pointer, length)
}

/// Whether `text[0..<count]` has `word` (lower case ASCII), ignoring case.
private func contains(_ text: UnsafeMutablePointer<UInt8>, _ count: Int, _ word: StaticString) -> Bool {
    let length = word.utf8CodeUnitCount
    guard count >= length else { return false }
    let letters = word.utf8Start
    var at = 0
    while at + length <= count {
        var same = 0
        while same < length && (text[at + same] | 0x20) == letters[same] { same += 1 }
        if same == length { return true }
        at += 1
    }
    return false
}
