#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the tool needs, in one place, on the C library.
///
/// Not Foundation's FileManager: linking FoundationEssentials alone cost every command some 2 ms of
/// start-up (its symbols resolved before `main`), more than any command's own work.
public enum FileSystem {
    public struct FileError: Error, CustomStringConvertible { public var message: String; public var description: String { message } }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// What a path is, without following a link: a walk enters folders and reads files, never links.
    public enum Kind: Sendable { case file, folder, link, other }

    public static func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .folder
        case S_IFREG: return .file
        case S_IFLNK: return .link
        default: return .other
        }
    }

    /// The absolute path with every link and `..` resolved, or nil when the path does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The bytes of a file, or nil when it cannot be opened or read (a folder cannot: read(2) says EISDIR).
    public static func bytes(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // A regular file is read at its size in one call (a template is read thousands of times a run);
        // anything else, and a file that grows meanwhile, in pieces to its end.
        var info = stat()
        let size = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        var result = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            count = 0
            while count < size {
                let got = readBytes(descriptor, buffer.baseAddress! + count, size + 1 - count)
                if got < 0 && errno == EINTR { continue }
                if got <= 0 { break }
                count += got
            }
        }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { readBytes(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 { if errno == EINTR { continue }; return nil }
            if count == 0 { return result }
            result.append(contentsOf: buffer[0..<count])
        }
    }

    public static func read(_ path: String) throws(FileError) -> String {
        guard let bytes = bytes(path) else {
            throw FileError(message: "\(path): cannot be read (no such file, or no permission)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw FileError(message: "\(path): is not UTF-8 text") }
        return text
    }

    /// The names in a folder (without `.` and `..`), sorted.
    public static func contents(ofDirectory path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Every file (not folder) below `path`, as paths relative to it, sorted. Folders linked to are not entered.
    public static func files(under path: String) -> [String] {
        var found: [String] = []
        func walk(_ relative: String) {
            let full = relative.isEmpty ? path : path + "/" + relative
            for name in contents(ofDirectory: full) {
                let child = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(path + "/" + child, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR { walk(child) } else if !isDirectory(path + "/" + child) { found.append(child) }
            }
        }
        walk("")
        return found.sorted()
    }

    private static func failure(_ what: String) -> FileError {
        FileError(message: "\(what): \(String(cString: strerror(errno)))")
    }

    /// Makes a folder and any missing folders above it.
    public static func createDirectories(_ path: String) throws(FileError) {
        if isDirectory(path) { return }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex { try createDirectories(String(path[..<slash])) }
        guard mkdir(path, 0o755) == 0 || (errno == EEXIST && isDirectory(path)) else { throw failure("cannot create folder '\(path)'") }
    }

    /// Writes a new file (or replaces one) with the text; `executable` creates it with mode 755 (a script a
    /// runtime starts, such as a Lambda Web Adapter handler).
    public static func write(_ text: String, to path: String, executable: Bool = false) throws(FileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, executable ? 0o755 : 0o644)
        guard descriptor >= 0 else { throw failure("cannot write '\(path)'") }
        defer { close(descriptor) }
        var text = text
        let written = text.withUTF8 { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let count = writeBytes(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 { if errno == EINTR { continue }; return false }
                offset += count
            }
            return true
        }
        guard written else { throw failure("cannot write '\(path)'") }
    }

    /// Removes a file, or a folder and everything in it. A missing path is not an error.
    public static func remove(_ path: String) throws(FileError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in contents(ofDirectory: path) { try remove(path + "/" + name) }
            guard rmdir(path) == 0 else { throw failure("cannot remove '\(path)'") }
        } else {
            guard unlink(path) == 0 else { throw failure("cannot remove '\(path)'") }
        }
    }

    /// Renames a file or folder (both on the same file system).
    public static func move(_ source: String, to destination: String) throws(FileError) {
        guard rename(source, destination) == 0 else { throw failure("cannot move '\(source)' to '\(destination)'") }
    }
}

// The C calls whose names FileSystem's own methods take.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(descriptor, buffer, count) }
private func writeBytes(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, buffer, count) }
