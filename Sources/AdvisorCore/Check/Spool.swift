#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes written out of memory as they are made, to be copied to the output once it is known what comes
/// before them: an unlinked temporary file (in `TMPDIR`, else `/tmp`), written in pieces of 1 MB. A
/// `check` run writes its verdicts here as each file is checked, so the memory it holds stays flat
/// whatever the number of workloads and templates.
final class Spool {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Bytes on disk; `count` adds those still in the buffer.
    private var written = 0
    private static let piece = 1 << 20

    var count: Int { written + buffer.count }

    init() throws(SpoolError) {
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/async-advisor-spool-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw SpoolError(message: "cannot create a temporary file in \(folder) (\(String(cString: strerror(errno)))); set TMPDIR to a writable folder") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.piece + 65_536)
    }

    deinit { close(descriptor) }

    func append(_ bytes: [UInt8]) throws(SpoolError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.piece { try flush() }
    }

    private func flush() throws(SpoolError) {
        var offset = 0
        while offset < buffer.count {
            let done = buffer.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + offset, $0.count - offset, off_t(written + offset)) }
            if done < 0 {
                if errno == EINTR { continue }
                throw SpoolError(message: "cannot write a temporary file (\(String(cString: strerror(errno)))); set TMPDIR to a folder with room")
            }
            offset += done
        }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Forgets everything after `count` (the verdicts of a design file that turned out to have problems).
    func truncate(to count: Int) throws(SpoolError) {
        if count >= written {
            buffer.removeSubrange((count - written)...)
            return
        }
        buffer.removeAll(keepingCapacity: true)
        written = count
        _ = ftruncate(descriptor, off_t(count))
    }

    /// Hands `range` to `body` in pieces of at most 1 MB.
    func read(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(SpoolError) {
        var start = range.lowerBound
        var block = [UInt8](repeating: 0, count: Self.piece)
        while start < range.upperBound {
            if start >= written {
                let from = start - written, to = range.upperBound - written
                buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[from..<to])) }
                return
            }
            let want = min(Self.piece, min(range.upperBound, written) - start)
            let got = block.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, want, off_t(start)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw SpoolError(message: "cannot read back a temporary file (\(String(cString: strerror(errno))))")
            }
            guard got > 0 else { throw SpoolError(message: "a temporary file was cut short while it was read back") }
            block.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<got])) }
            start += got
        }
    }
}

public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
