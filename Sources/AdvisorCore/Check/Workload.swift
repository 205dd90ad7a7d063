/// One workload of a design: its name, the pattern the team chose, and its answers, resolved and valid.
public struct Workload: Sendable {
    public var name: String
    /// The pattern id the design chose (a known id: the reader refuses others).
    public var pattern: String
    public var answers: Answers
    public var origin: Origin
    /// The logical id of the function in a template of the same run that runs this workload: the template is
    /// held against the workload (SPEC §7, `workload-*` findings).
    public var function: String?
    /// Warnings the team has handled, each with its reason (SPEC §5 `acknowledge`): `check` shows them as
    /// notes, which no build fails on.
    public var acknowledged: [Acknowledgement]

    public init(name: String, pattern: String, answers: Answers, origin: Origin, function: String? = nil, acknowledged: [Acknowledgement] = []) {
        self.name = name; self.pattern = pattern; self.answers = answers; self.origin = origin; self.function = function
        self.acknowledged = acknowledged
    }

    /// A warning a design file says is handled: its id and why.
    public struct Acknowledgement: Sendable, Equatable {
        public var id: String
        public var reason: String
        public init(id: String, reason: String) { self.id = id; self.reason = reason }
    }

    /// Where a workload was written: a design file and the line its object starts on, or the command line.
    public enum Origin: Sendable, Equatable {
        case file(path: String, location: SourceLocation)
        case commandLine

        public var path: String? {
            if case .file(let path, _) = self { return path }
            return nil
        }

        public var location: SourceLocation? {
            if case .file(_, let location) = self { return location }
            return nil
        }

        /// `design.json:12` — how text output and editors name the spot; `command line` for flags.
        public var label: String {
            switch self {
            case .file(let path, let location): return "\(path):\(location.line)"
            case .commandLine: return "command line"
            }
        }
    }
}
