/// One thing the template check says about a resource (SPEC §7): a stable id, how bad it is, the resource
/// and the line of its logical id, and a message naming the values involved and what to change.
public struct TemplateFinding: Sendable, Equatable {
    public var id: String
    public var severity: Finding.Severity
    public var resource: String
    public var location: SourceLocation
    public var message: String

    public init(id: String, severity: Finding.Severity, resource: String, location: SourceLocation, message: String) {
        self.id = id; self.severity = severity; self.resource = resource; self.location = location; self.message = message
    }
}
