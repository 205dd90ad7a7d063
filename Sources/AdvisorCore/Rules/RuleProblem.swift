/// One thing wrong with a rule set, located as precisely as the rules allow.
public struct RuleProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var path: [JSONPathComponent]
    public var location: SourceLocation?
    public var message: String

    public init(file: String, path: [JSONPathComponent] = [], location: SourceLocation? = nil, message: String) {
        self.file = file; self.path = path; self.location = location; self.message = message
    }

    public var description: String {
        let place = location.map { "\(file):\($0.line):\($0.column)" } ?? file
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path.rendered): \(message)"
    }
}

/// A rule set failed to load; every problem found is listed.
public struct RuleSetError: Error, Sendable, CustomStringConvertible {
    public var problems: [RuleProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
