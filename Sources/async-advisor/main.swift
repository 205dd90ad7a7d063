import AdvisorCLI
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// A closed stdout must not kill the process mid-answer: writes see EPIPE instead.
signal(SIGPIPE, SIG_IGN)
// Out of memory or an internal fault: one line on stderr and exit 2, never a backtrace.
FatalErrors.install()
exit(CLI.run(Array(CommandLine.arguments.dropFirst()), console: .standard()).rawValue)
