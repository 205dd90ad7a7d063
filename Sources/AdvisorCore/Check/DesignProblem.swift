/// Something wrong in a design file, at the line and column a person must fix: bad JSON, an unknown key,
/// an unknown pattern, a value the input does not accept, a duplicate workload name.
public struct DesignProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var location: SourceLocation
    /// The name of the workload the problem is in, when it is inside a named one.
    public var workload: String?
    /// The 1-based position of that workload in the file, for a workload without a usable name.
    public var index: Int?
    public var message: String

    public init(file: String, location: SourceLocation, workload: String? = nil, index: Int? = nil, message: String) {
        self.file = file; self.location = location; self.workload = workload; self.index = index; self.message = message
    }

    /// `design.json:12:5: workload "export": "memory": 64 is below the minimum (accepted: 128–10,240)`
    public var description: String { "\(file):\(location): " + detail }

    /// The problem without its place: `workload "export": "memory": 64 is below the minimum …`.
    public var detail: String {
        let within = workload.map { "workload \"\($0)\": " } ?? index.map { "workload #\($0): " } ?? ""
        return within + message
    }
}

/// Every problem found in one design file, reported together (a team fixes them in one pass).
public struct DesignFileError: Error, Sendable, CustomStringConvertible {
    public var problems: [DesignProblem]

    public init(problems: [DesignProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
