#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the CLI touches outside itself, injected so tests can run commands in-process.
public struct Console: Sendable {
    public var write: @Sendable (String) -> Void
    public var writeError: @Sendable (String) -> Void
    public var readLine: @Sendable () -> String?
    public var isTerminal: Bool
    public var inputIsTerminal: Bool
    public var environment: [String: String]
    public var columns: Int

    public init(write: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
                readLine: @escaping @Sendable () -> String?, isTerminal: Bool, inputIsTerminal: Bool,
                environment: [String: String], columns: Int) {
        self.write = write; self.writeError = writeError; self.readLine = readLine
        self.isTerminal = isTerminal; self.inputIsTerminal = inputIsTerminal
        self.environment = environment; self.columns = columns
    }

    /// Colour only on a terminal, and never with NO_COLOR set (https://no-color.org).
    public var usesColor: Bool { isTerminal && environment["NO_COLOR"].map(\.isEmpty) != false && environment["TERM"] != "dumb" }

    /// The width text output wraps to: the terminal's, or 100 columns off a terminal.
    public var width: Int { isTerminal ? max(40, columns) : 100 }

    /// The environment variables the CLI reads.
    static let variables = ["NO_COLOR", "TERM", "COLUMNS"]

    /// Where the process's own error lines go: standard error, or the copy of it `FatalErrors` keeps
    /// while the runtime's own messages are caught (set once, before any command runs).
    nonisolated(unsafe) public static var errorDescriptor: Int32 = STDERR_FILENO

    /// The process's own standard streams.
    public static func standard() -> Console {
        // Only the variables the CLI reads: copying a CI runner's whole environment costs more than the answer.
        var environment: [String: String] = [:]
        for name in Self.variables { if let value = getenv(name) { environment[name] = String(cString: value) } }
        var size = winsize()
        let columns = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col)
            : Int(environment["COLUMNS"] ?? "") ?? 80
        return Console(
            write: { text in writeAll(STDOUT_FILENO, text) },
            writeError: { text in writeAll(Console.errorDescriptor, text) },
            readLine: { Swift.readLine(strippingNewline: true) },
            isTerminal: isatty(STDOUT_FILENO) == 1,
            inputIsTerminal: isatty(STDIN_FILENO) == 1,
            environment: environment,
            columns: columns)
    }
}

/// Writes all of `text` to a file descriptor; a closed pipe (EPIPE) ends the write quietly.
private func writeAll(_ descriptor: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { buffer in
            write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        }
        if written > 0 { offset += written; continue }
        if written < 0 && errno == EINTR { continue }
        return
    }
}

/// SPEC §1's exit codes.
public enum ExitCode: Int32, Sendable {
    case success = 0
    case checkFailed = 1
    case usage = 2
    case interrupted = 130

    /// The questionnaire ended by Ctrl-D (end of input on a terminal): exit 1, nothing written (SPEC §2).
    public static let ended = ExitCode.checkFailed
}
