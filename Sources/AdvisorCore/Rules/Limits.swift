/// Front doors and service limits (`rules/limits.json`), with values and sources from aws-facts.md.
public struct Door: Sendable {
    public var id: String
    public var name: String
    /// The decision boundary DT-14 uses for this door (SPEC §4: 29 s for API Gateway REST, else 30 s).
    public var window: String
    /// How long the door really holds a request open by default.
    public var limit: String
    public var notes: [String]
    public var sources: [String]
}

public struct ServiceLimit: Sendable {
    public var id: String
    public var service: String
    public var name: String
    public var value: String
    public var note: String?
    public var source: String
}

struct LimitsFile: Sendable {
    var version: Int
    var doors: [Located<Door>]
    var services: [Located<ServiceLimit>]
}

/// The documents rules cite by file name.
public struct SourceDocument: Sendable {
    public var file: String
    public var title: String
    public var contributes: String
}

struct SourcesFile: Sendable {
    var version: Int
    var documents: [SourceDocument]
}
