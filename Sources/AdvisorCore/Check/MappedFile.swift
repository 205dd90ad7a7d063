#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes, mapped rather than copied when it is a regular file: a design file of a million
/// workloads (some 200 MB) is read in place, and the pages of the parts already read are handed back
/// (`release`), so the memory it takes stays at the parts being read. Anything else (a pipe, `/dev/stdin`)
/// is read into memory.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapped: Bool
    private let owned: UnsafeMutableBufferPointer<UInt8>?
    private static let page = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))

    /// Nil when the file cannot be opened or read.
    init?(_ path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0,
           let base = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED {
            bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: Int(info.st_size))
            mapped = true
            owned = nil
            return
        }
        guard let read = FileSystem.bytes(path) else { return nil }
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, read.count))
        _ = storage.initialize(from: read)
        owned = storage
        mapped = false
        bytes = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(storage)[0..<read.count])
    }

    deinit {
        if mapped, let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
        owned?.deallocate()
    }

    /// Gives back the pages wholly inside `range`: read again, they come back from the file.
    func release(_ range: Range<Int>) {
        guard mapped, let base = bytes.baseAddress else { return }
        let start = (range.lowerBound + Self.page - 1) / Self.page * Self.page
        let end = range.upperBound / Self.page * Self.page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, Int32(MADV_DONTNEED))
    }

    var array: [UInt8] { Array(bytes) }

    /// Whether the bytes contain `needle` (a design file has the key "workloads").
    func contains(_ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var at = 0
        let last = bytes.count - needle.count
        while at <= last {
            if bytes[at] == first {
                var matched = 1
                while matched < needle.count && bytes[at + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            at += 1
        }
        return false
    }
}
