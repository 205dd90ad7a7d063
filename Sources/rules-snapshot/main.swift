import AdvisorCore
import Foundation

/// Writes `BuiltInSnapshot.swift`: the built-in rules of this build, compiled (see `RuleSnapshot`).
/// Usage: rules-snapshot OUTPUT.swift      (scripts/update-snapshot runs it)
func fail(_ message: String, _ code: Int32) -> Never {
    FileHandle.standardError.write(Data("rules-snapshot: \(message)\n".utf8))
    exit(code)
}
let arguments = CommandLine.arguments
guard arguments.count == 2 else { fail("usage: rules-snapshot OUTPUT.swift", 2) }
do {
    try RuleSnapshot.builtInSource().write(toFile: arguments[1], atomically: true, encoding: .utf8)
} catch let error as RuleSetError {
    fail("the built-in rules do not compile:\n\(error)", 1)
} catch {
    fail("cannot write \(arguments[1]): \(error)", 1)
}
