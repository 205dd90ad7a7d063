/// Front doors and service limits (`rules/limits.json`), with values and sources from aws-facts.md.
public struct Door: Sendable {
    public var id: String
    public var name: String
    /// `L₀`: how long the door holds a buffered request open by default (29 s REST, 30 s HTTP API and AppSync,
    /// 60 s ALB, the 15-minute function timeout for function URLs and direct calls).
    public var window: String
    /// `Lₛ`: how long a streamed response may last through this door; nil where the door cannot stream.
    public var stream: String?
    /// What `--door-timeout` may raise the door's timeout to, where it can be raised (REST 29–300 s, ALB 1–4000 s).
    public var timeout: RaisedTimeout?
    public var notes: [String]
    public var sources: [String]

    public struct RaisedTimeout: Sendable {
        public var from: String
        public var to: String
        /// The most the window becomes, whatever the timeout (an ALB's Lambda target stops at 15 min).
        public var windowCap: String
    }
}

/// A door's times in seconds, parsed once at load; 0 where the door has no such time.
public struct DoorTimes: Sendable, Equatable {
    public var window: Double
    public var stream: Double
    public var timeoutFrom: Double
    public var timeoutTo: Double
    public var windowCap: Double

    var list: [Double] { [window, stream, timeoutFrom, timeoutTo, windowCap] }
    init(window: Double, stream: Double, timeoutFrom: Double, timeoutTo: Double, windowCap: Double) {
        (self.window, self.stream, self.timeoutFrom, self.timeoutTo, self.windowCap) = (window, stream, timeoutFrom, timeoutTo, windowCap)
    }
    init?(list: [Double]) {
        guard list.count == 5 else { return nil }
        self.init(window: list[0], stream: list[1], timeoutFrom: list[2], timeoutTo: list[3], windowCap: list[4])
    }
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

/// The source documents rules cite by id (`sources.json`).
public struct SourceDocument: Sendable {
    /// What rules cite it by: `dt-14 § DECISION TREE`.
    public var id: String
    /// What output shows for it: `DT-14 § DECISION TREE` (never the file name).
    public var short: String
    public var title: String
    public var contributes: String
}

/// An AWS (or vendor) page a rule cites by URL: output shows its title, and the URL where there is room.
public struct SourcePage: Sendable {
    public var id: String
    /// The page's own title, as the page shows it.
    public var title: String
    public var url: String
    /// The day the page was read for the rule set (YYYY-MM-DD).
    public var read: String
}

struct SourcesFile: Sendable {
    var version: Int
    var documents: [SourceDocument]
    var pages: [SourcePage]
}
