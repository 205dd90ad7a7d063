/// Writes a rendered project all-or-nothing.
///
/// Every file goes first into a staging folder beside the destination. Only when all of them are written is
/// the staging folder renamed into place (a new or empty destination) or its files renamed over the old ones
/// (`force`). A failure before that point removes the staging folder and leaves the destination untouched.
public enum ProjectWriter {
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Why `destination` cannot take the project, or nil when it can.
    public static func refusal(for destination: String, force: Bool) -> String? {
        guard FileSystem.exists(destination) else { return nil }
        guard FileSystem.isDirectory(destination) else { return "'\(destination)' exists and is not a folder" }
        if force { return nil }
        let entries = FileSystem.contents(ofDirectory: destination)
        guard entries.isEmpty else {
            return "'\(destination)' exists and is not empty (\(entries.count) entr\(entries.count == 1 ? "y" : "ies")); choose a new --out, or add --force to overwrite the scaffold's files there (other files are kept)"
        }
        return nil
    }

    public static func write(_ files: [Scaffold.File], to destination: String, force: Bool) throws(Refusal) {
        if let reason = refusal(for: destination, force: force) { throw Refusal(message: reason) }
        let target = destination.hasSuffix("/") && destination.count > 1 ? String(destination.dropLast()) : destination
        let parent = target.contains("/") ? String(target[..<target.lastIndex(of: "/")!]) : "."
        let base = target.split(separator: "/").last.map(String.init) ?? target
        let staging = (parent.isEmpty ? "/" : parent) + "/.\(base).async-advisor-\(UInt32.random(in: 0...UInt32.max))"

        // Conflicts with what is already there: a file where the project needs a folder, or the reverse.
        if FileSystem.isDirectory(target) {
            for file in files {
                let path = target + "/" + file.path
                if FileSystem.isDirectory(path) { throw Refusal(message: "'\(path)' is a folder, and the scaffold writes a file there") }
                var prefix = target
                for component in file.path.split(separator: "/").dropLast() {
                    prefix += "/" + component
                    if FileSystem.exists(prefix) && !FileSystem.isDirectory(prefix) {
                        throw Refusal(message: "'\(prefix)' is a file, and the scaffold needs a folder there")
                    }
                }
            }
        }

        // Folders above the destination that do not exist yet are created, and removed again on failure.
        var firstMissing: String?
        var ancestor = parent
        while !ancestor.isEmpty, ancestor != ".", ancestor != "/", !FileSystem.exists(ancestor) {
            firstMissing = ancestor
            guard let slash = ancestor.lastIndex(of: "/") else { break }
            ancestor = String(ancestor[..<slash])
        }
        func cleanUp() {
            try? FileSystem.remove(staging)
            if let firstMissing { try? FileSystem.remove(firstMissing) }
        }

        do throws(FileSystem.FileError) {
            try FileSystem.createDirectories(staging)
            for file in files {
                let path = staging + "/" + file.path
                if let slash = path.lastIndex(of: "/") { try FileSystem.createDirectories(String(path[..<slash])) }
                // A script ("#!" first) is written executable: Lambda runs a Web Adapter handler such as run.sh directly.
                do { try FileSystem.write(file.contents, to: path, executable: file.contents.hasPrefix("#!")) } catch {
                    throw FileSystem.FileError(message: "cannot write '\(file.path)' under '\(parent)' (\(error.message))")
                }
            }
        } catch {
            cleanUp()
            throw Refusal(message: "cannot write the project next to '\(target)': \(error.message)")
        }

        do throws(FileSystem.FileError) {
            if FileSystem.exists(target) {
                for file in files {
                    let path = target + "/" + file.path
                    if let slash = path.lastIndex(of: "/") { try FileSystem.createDirectories(String(path[..<slash])) }
                    try FileSystem.remove(path)
                    try FileSystem.move(staging + "/" + file.path, to: path)
                }
                try? FileSystem.remove(staging)
            } else {
                try FileSystem.move(staging, to: target)
            }
        } catch {
            cleanUp()
            throw Refusal(message: "cannot move the project into '\(target)': \(error.message)")
        }
    }
}
