#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The few file operations the tool needs, in one place.
public enum FileSystem {
    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory
    }

    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(message: "\(path): cannot be read (no such file, or no permission)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw FileError(message: "\(path): is not UTF-8 text") }
        return text
    }

    /// Every file (not folder) below `path`, as paths relative to it, sorted.
    public static func files(under path: String) -> [String] {
        let all = (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []
        return all.filter { !isDirectory(path + "/" + $0) }.sorted()
    }

    public static func contents(ofDirectory path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    public struct FileError: Error, CustomStringConvertible { public var message: String; public var description: String { message } }
}
