import AdvisorFuzz
#if canImport(Glibc)
import Glibc
#endif

/// `advisor-fuzz [--iterations N] [--seed S] [TARGET…]`: the long fuzzing campaign (the test suite runs a
/// short one). Prints one line per target; exits 1 when a target breached its contract. A crash is a crash.
var iterations = 100_000
var seed: UInt64 = 20_261_123
var targets: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--iterations": iterations = arguments.popFirst().flatMap { Int($0) } ?? iterations
    case "--seed": seed = arguments.popFirst().flatMap { UInt64($0) } ?? seed
    case "-h", "--help":
        print("usage: advisor-fuzz [--iterations N] [--seed S] [\(Fuzz.targets.joined(separator: "|"))…]")
        exit(0)
    default:
        guard Fuzz.targets.contains(argument) else {
            print("advisor-fuzz: unknown target '\(argument)'; targets: \(Fuzz.targets.joined(separator: ", "))")
            exit(2)
        }
        targets.append(argument)
    }
}
var failed = false
for target in targets.isEmpty ? Fuzz.targets : targets {
    guard let result = Fuzz.run(target, iterations: iterations, seed: seed) else { continue }
    print(result)
    for failure in result.failures.prefix(5) { print("  ✗ \(failure)") }
    failed = failed || !result.failures.isEmpty
}
exit(failed ? 1 : 0)
