/// Starter projects: the templates under `rules/scaffolds/<pattern>/<language>/`, rendered in memory.
///
/// A pattern's `scaffold.json` names its main handler per language (what `recommend` previews), its functions,
/// and the files it takes from `rules/scaffolds/_shared/<language>/` so a fix to a shared file is made once.
/// See docs/scaffold-format.md.
public enum Scaffold {
    public static let languages = ["python", "typescript"]
    static let root = "scaffolds/"
    static let shared = "_shared"
    /// The marker that ends a handler preview and tells a user where their code goes.
    public static let businessLogicMarker = "BUSINESS LOGIC:"

    public struct Manifest: Sendable {
        public struct Function: Sendable {
            public var logicalId: String
            public var role: String
        }
        public var version: Int
        public var pattern: String
        public var main: [String: String]
        public var functions: [Function]
        public var shared: [String: [String]]?
        /// The logical id of the function that runs the task: the one sized for the workload and named by the
        /// project's `async-advisor.json` (nil for a pattern whose task runs outside Lambda).
        public var task: String?
        /// The pattern's sample workload, design-file key → text: what `scaffold ID` alone is written for.
        public var workload: [(key: String, value: String)]
        /// Advisory warnings (rules/warnings.json ids) the template answers, such as `no-failure-destination`
        /// where it gives every asynchronous function its failure path: the design file acknowledges those
        /// that fire (`acknowledge`), so `check` of the project reports what is still open, not what is done.
        public var answers: [String]
        /// The triggers the template creates a start for (`--trigger`), and the front doors it creates for a
        /// `request` or `webhook` (`--entry`): a workload with another is refused, not written with the wrong door.
        public var triggers: [String]
        public var entries: [String]
        /// Per language, files taken from `_shared/<language>/` under another output path (output → shared path),
        /// for a module that must sit inside a function's own code folder (`src/api/webhook.py`).
        public var sharedAs: [String: [String: SharedFile]]?
        /// Per language, the pattern's own files (an output path, or a folder ending in `/`) written only when their
        /// conditions hold: each a boolean variable or `!variable`, all of which must hold (an API function's folder
        /// only for a trigger with a front door, `front`).
        public var when: [String: [String: [String]]]?
        /// Per language, named changes to the main handler's essential logic that the project's own tests must
        /// catch (scripts/validate-scaffolds applies each to a fresh copy and expects the tests to fail).
        public var mutations: [String: [Mutation]]?
    }

    /// A file of `_shared/<language>/` taken under another output path; with `when`, only when that boolean
    /// variable holds (a webhook's signature module only in a project that faces a webhook).
    public struct SharedFile: Sendable {
        public var from: String
        public var when: String?
    }

    /// One named mutation: in the rendered `file`, the one occurrence of `find` becomes `replace`.
    public struct Mutation: Sendable {
        public var name: String
        public var file: String
        public var find: String
        public var replace: String
    }

    /// The webhook senders a scaffold's signature check knows (the `sender` input's choices).
    public static let senders = ["slack-events", "slack-command", "github", "stripe", "generic"]

    public struct File: Sendable, Equatable {
        public var path: String
        public var contents: String
    }

    /// A scaffold that cannot be rendered: its rule files are wrong or a template fails.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var problems: [RuleProblem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    // MARK: Names

    /// A project name is a plain identifier: lowercase letters, digits and single dashes, starting with a
    /// letter, at most 64 characters (it becomes the npm package name and appears in resource descriptions).
    public static func nameProblem(_ name: String) -> String? {
        let accepted = "use lowercase letters, digits and dashes, starting with a letter, at most 64 characters (e.g. report-export)"
        guard !name.isEmpty else { return "is empty; \(accepted)" }
        guard name.utf8.count <= 64 else { return "is \(name.utf8.count) characters long; \(accepted)" }
        guard let first = name.utf8.first, first >= 0x61 && first <= 0x7A else { return "must start with a lowercase letter; \(accepted)" }
        for scalar in name.unicodeScalars {
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "-"
            if !ok { return "contains '\(scalar == " " ? "a space" : String(scalar))'; \(accepted)" }
        }
        guard !name.hasSuffix("-"), !name.contains("--") else { return "has a dash at the end or two in a row; \(accepted)" }
        return nil
    }

    static func pascal(_ name: String) -> String {
        name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    // MARK: Rendering

    /// The variables every template may read (docs/scaffold-format.md lists them).
    /// `sender` is the workload's webhook sender (`--sender`); each of `senders` also has a boolean
    /// (`senderSlackEvents`, `senderSlackCommand`, `senderGithub`, `senderStripe`, `senderGeneric`).
    /// `webhook` is whether a third-party webhook starts the work (`--trigger webhook`): the front door then
    /// checks the sender's signature instead of IAM. `front` is whether the work comes in through an HTTP front
    /// door (`--trigger request` or `webhook`); an event or a schedule starts it without one.
    public static func variables(for pattern: Pattern, name: String, language: String, version: String, functions: [Manifest.Function] = [],
                                 sender: String = "generic", webhook: Bool = false, front: Bool = true,
                                 trigger: String = "request") -> [String: Template.Value] {
        var senderFlags: [String: Template.Value] = [:]
        for choice in senders { senderFlags["sender" + pascal(choice)] = .bool(choice == sender) }
        // The trigger's booleans (sizing sets them too), so a manifest's `when` can name them without sizing.
        for choice in Sizing.triggers { senderFlags["trigger" + pascal(choice)] = .bool(choice == trigger) }
        return senderFlags.merging([
            "sender": .string(sender),
            "webhook": .bool(webhook),
            "front": .bool(front),
            "name": .string(name),
            "namePascal": .string(pascal(name)),
            "nameSnake": .string(name.replacing("-", with: "_")),
            "patternId": .string(pattern.id),
            "patternName": .string(pattern.name),
            "patternSummary": .string(pattern.summary),
            "advisorVersion": .string(version),
            "limits": .list(pattern.limits.lines),
            "pitfalls": .list(pattern.pitfalls.map(\.text)),
            "sources": .list(pattern.sources),
            "functions": .list(functions.map { "`\($0.logicalId)`: \($0.role)" }),
            "python": .bool(language == "python"),
            "typescript": .bool(language == "typescript"),
        ]) { $1 }
    }

    public static func manifest(_ patternId: String, files: RuleFiles) throws(RuleSetError) -> Manifest {
        try files.decode(Manifest.self, from: root + patternId + "/scaffold.json").0
    }

    /// A pattern's manifest: the rule snapshot's, when the rules came from one, else its `scaffold.json`.
    public static func manifest(_ patternId: String, rules: RuleSet) throws(RuleSetError) -> Manifest {
        if let manifest = rules.manifests.part(patternId) { return manifest }
        return try manifest(patternId, files: rules.files)
    }

    /// Every template of one project: output path → rule-file path. The pattern's own files win over none:
    /// a path both in the pattern folder and in its `shared` list is an error `rules lint` reports.
    /// With `variables`, a `sharedAs` file whose `when` does not hold is left out, and so is an own file that a
    /// `when` entry names (itself or its folder) when none of that entry's booleans holds; without, every file is listed.
    public static func templates(_ patternId: String, language: String, manifest: Manifest, files: RuleFiles,
                                 variables: [String: Template.Value]? = nil) -> [(output: String, source: String)] {
        let own = root + patternId + "/" + language + "/"
        var list = files.files(under: own).map { (output: String($0.dropFirst(own.count)), source: $0) }
        if let variables, let conditions = manifest.when?[language] {
            list.removeAll { file in conditions.contains { path, all in covers(path, file.output) && !holds(all, variables) } }
        }
        for path in manifest.shared?[language] ?? [] {
            list.append((path, root + shared + "/" + language + "/" + path))
        }
        for (output, file) in manifest.sharedAs?[language] ?? [:] {
            if let variables, let when = file.when, variables[when]?.isTruthy != true { continue }
            list.append((output, root + shared + "/" + language + "/" + file.from))
        }
        return list.sorted { $0.output < $1.output }
    }

    /// The workload's `--trigger` (its default when not given).
    static func trigger(of workload: Workload, rules: RuleSet) -> String {
        workload.answers.text("trigger", rules: rules) ?? "request"
    }

    /// Whether a project for `workload` faces a webhook, and whose: its trigger says so (a sender given
    /// without a trigger means one), its `sender` which signature check the handler makes.
    static func webhook(of workload: Workload, rules: RuleSet) -> (sender: String, webhook: Bool) {
        let givenKeys = Set(workload.given.map(\.key))
        let sender = workload.answers.text("sender", rules: rules) ?? "generic"
        let webhook = givenKeys.contains("trigger") ? workload.answers.text("trigger", rules: rules) == "webhook" : givenKeys.contains("sender")
        return (sender, webhook)
    }

    /// Whether a manifest `when` path names `output`: the file itself, or a folder (ending in `/`) it is under.
    static func covers(_ path: String, _ output: String) -> Bool {
        output == path || (path.hasSuffix("/") && output.hasPrefix(path))
    }

    /// Whether every condition holds: `name` a truthy variable, `!name` one that is not.
    static func holds(_ conditions: [String], _ variables: [String: Template.Value]) -> Bool {
        conditions.allSatisfy { $0.hasPrefix("!") ? variables[String($0.dropFirst())]?.isTruthy != true : variables[$0]?.isTruthy == true }
    }

    /// Whether the work of `workload` comes in through an HTTP front door: not when an event or a schedule starts it.
    static func front(of workload: Workload, rules: RuleSet) -> Bool {
        !["event", "schedule"].contains(trigger(of: workload, rules: rules))
    }

    /// The variables sizing gives a template (those of any workload: `Sizing.placeholder` sets them all).
    static let sizingNames: Set<String> = Set(Sizing.placeholder.variables.keys).union(["sizingSummary"])

    /// Whether rendering (all of a project, or only `only`) reads a sizing variable: every whole project does;
    /// a single file only when its template, or a condition on which shared files it takes, names one.
    static func needsSizing(_ patternId: String, language: String, manifest: Manifest, files: RuleFiles,
                            variables: [String: Template.Value], only: String?) -> Bool {
        guard let only else { return true }
        if only == designFileName { return false }
        let conditions = Set((manifest.sharedAs?[language] ?? [:]).values.compactMap(\.when))
            .union((manifest.when?[language] ?? [:]).values.flatMap { $0.map { $0.hasPrefix("!") ? String($0.dropFirst()) : $0 } })
        guard conditions.subtracting(variables.keys).isDisjoint(with: sizingNames),
              let source = templates(patternId, language: language, manifest: manifest, files: files, variables: variables)
                  .first(where: { $0.output == only })?.source,
              let text = try? files.text(source), let template = try? Template(text) else { return true }
        // The trigger's booleans are sizing variables too, but known before sizing (`variables` has them).
        return !template.names.subtracting(variables.keys).isDisjoint(with: sizingNames)
    }

    /// Every path a project has — its design file and each template whose condition holds — without
    /// rendering it (`recommend` lists them on every run and renders only the main handler).
    public static func paths(_ patternId: String, language: String, name: String, rules: RuleSet, version: String,
                             manifest: Manifest, workload given: Workload?) throws(Failure) -> [String] {
        guard let pattern = rules.pattern(patternId) else {
            throw Failure(problems: [RuleProblem(file: "patterns.json", message: "unknown pattern '\(patternId)'")])
        }
        let workload: Workload
        do { workload = try given ?? Workload.sample(of: manifest, name: name, rules: rules) } catch {
            throw Failure(problems: [RuleProblem(file: root + patternId + "/scaffold.json", path: [.key("workload")], message: "\(error)")])
        }
        let (sender, webhook) = webhook(of: workload, rules: rules)
        let variables = variables(for: pattern, name: name, language: language, version: version, functions: manifest.functions,
                                  sender: sender, webhook: webhook, front: front(of: workload, rules: rules), trigger: trigger(of: workload, rules: rules))
        return ([designFileName] + templates(patternId, language: language, manifest: manifest, files: rules.files, variables: variables).map(\.output)).sorted()
    }

    /// Renders a whole project in memory (or, with `only`, that one file of it); nothing is written.
    /// Fails with every problem found.
    /// `manifest`, when the caller has read it already, is not read again.
    /// `workload` sizes the project (SPEC §9); without one it is the pattern's sample workload. `facing`, for
    /// `rules lint`, renders the webhook handler of a sender whatever the workload says.
    public static func render(_ patternId: String, language: String, name: String, rules: RuleSet, version: String,
                              manifest known: Manifest? = nil, workload given: Workload? = nil, only: String? = nil,
                              facing: (sender: String, webhook: Bool)? = nil) throws(Failure) -> [File] {
        guard let pattern = rules.pattern(patternId) else {
            throw Failure(problems: [RuleProblem(file: "patterns.json", message: "unknown pattern '\(patternId)'")])
        }
        let manifest: Manifest
        if let known { manifest = known } else {
            do { manifest = try self.manifest(patternId, rules: rules) } catch { throw Failure(problems: error.problems) }
        }
        let workload: Workload
        do { workload = try given ?? Workload.sample(of: manifest, name: name, rules: rules) } catch {
            throw Failure(problems: [RuleProblem(file: root + patternId + "/scaffold.json", path: [.key("workload")], message: "\(error)")])
        }
        let (sender, webhook) = facing ?? webhook(of: workload, rules: rules)
        var variables = variables(for: pattern, name: name, language: language, version: version, functions: manifest.functions,
                                  sender: sender, webhook: webhook, front: facing == nil ? front(of: workload, rules: rules) : true,
                                  trigger: trigger(of: workload, rules: rules))
        // Sizing reads two more rule files (sizing.json, template-findings.json): the one file `recommend`
        // previews, a handler that names none of its variables, is rendered without it.
        if needsSizing(patternId, language: language, manifest: manifest, files: rules.files, variables: variables, only: only) {
            let sizing: Sizing
            do {
                sizing = Sizing.of(workload, rules: rules, sizing: try SizingRules.load(rules.files), findings: try rules.templateFindings())
            } catch {
                throw Failure(problems: error.problems)
            }
            variables.merge(sizing.variables) { $1 }
            variables["sizingSummary"] = .string(sizing.summary(task: manifest.task))
        }
        variables["taskFunction"] = .string(manifest.task ?? "")
        variables["workloadFlags"] = .string(workload.given.map { "--\($0.key) \($0.value)" }.joined(separator: " "))
        var rendered: [File] = []
        var problems: [RuleProblem] = []
        if only == nil || only == designFileName {
            rendered.append(File(path: designFileName, contents: designFile(workload, function: manifest.task, answered: manifest.answers, rules: rules)))
        }
        let templates = templates(patternId, language: language, manifest: manifest, files: rules.files, variables: variables)
        if templates.isEmpty {
            problems.append(RuleProblem(file: root + patternId + "/" + language, message: "has no templates"))
        }
        for (output, source) in templates where only == nil || only == output {
            do {
                guard let text = try rules.files.text(source) else {
                    problems.append(RuleProblem(file: source, message: "is missing (listed in \(root + patternId)/scaffold.json 'shared')"))
                    continue
                }
                rendered.append(File(path: output, contents: try Template(text).render(variables)))
            } catch let error as Template.Error {
                problems.append(RuleProblem(file: source, location: SourceLocation(line: error.line, column: 1), message: error.message))
            } catch let error as RuleSetError {
                problems += error.problems
            } catch {
                problems.append(RuleProblem(file: source, message: "\(error)"))
            }
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }
        return rendered.sorted { $0.path < $1.path }
    }

    /// The design file every project carries (written by the core, not a template).
    public static let designFileName = "async-advisor.json"

    /// Why a workload makes no project of its pattern: the hard limits of §4 the pattern's constraints name
    /// (a duration one invocation cannot hold, a door that closes first, …), each as the engine words it.
    /// Empty when the project can be written.
    /// A workload started by a trigger, or entering through a door, that the pattern's template does not create
    /// is refused too: what the answer names is what the project creates (SPEC §9).
    public static func refusals(_ workload: Workload, manifest: Manifest, rules: RuleSet) -> [String] {
        let scope = workload.answers.scope(rules: rules)
        var found = Engine(rules: rules).violations(of: workload.pattern, scope).map(\.message)
        guard case .string(let answered)? = scope["trigger"] else { return found }
        // A sender given without a trigger means a webhook (as the project renders it), so it is refused as one.
        let trigger = webhook(of: workload, rules: rules).webhook ? "webhook" : answered
        if !manifest.triggers.contains(trigger) {
            found.append("its scaffold is started by \(manifest.triggers.map { "--trigger \($0)" }.joined(separator: " or ")), not --trigger \(trigger).")
        } else if trigger == "request" || trigger == "webhook", case .string(let entry)? = scope[.entry], !manifest.entries.contains(entry) {
            found.append("its scaffold's front door is \(manifest.entries.map { "--entry \($0)" }.joined(separator: " or ")), not --entry \(entry).")
        }
        return found
    }

    /// The main handler's first lines, up to and including the business-logic marker: the same bytes the
    /// scaffold writes, so a preview cannot drift from the file.
    public static func preview(of files: [File], main: String) -> String? {
        guard let file = files.first(where: { $0.path == main }) else { return nil }
        // Up to the end of the first line with the marker, found by bytes (every command that recommends shows it).
        let text = Array(file.contents.utf8), marker = Array(businessLogicMarker.utf8)
        var end = text.count
        if let first = marker.first, text.count >= marker.count {
            for start in 0...(text.count - marker.count) where text[start] == first && text[start..<start + marker.count].elementsEqual(marker) {
                end = text[(start + marker.count)...].firstIndex(of: UInt8(ascii: "\n")) ?? text.count
                break
            }
        }
        return String(decoding: text[..<end], as: UTF8.self) + "\n"
    }

    // MARK: Lint

    /// Every pattern has a scaffold in every language; manifests are valid; every template parses and names
    /// only defined variables; the main handler exists and marks where the business logic goes.
    public static func lint(_ rules: RuleSet) -> [RuleProblem] {
        var problems: [RuleProblem] = []
        let sample = rules.patterns.first.map { variables(for: $0, name: "lint", language: "python", version: "0") } ?? [:]
        let defined = Set(sample.keys).union(Sizing.placeholder.variables.keys).union(["taskFunction", "workloadFlags", "sizingSummary"])
        do { _ = try SizingRules.load(rules.files) } catch { problems += error.problems }
        // Folders only: a file at the top (sizing.json) is a rule file of its own.
        let folders = Set(rules.files.files(under: root).compactMap { path -> String? in
            let rest = path.dropFirst(root.count)
            return rest.contains("/") ? rest.split(separator: "/").first.map(String.init) : nil
        })
        for folder in folders.sorted() where folder != shared && rules.pattern(folder) == nil {
            problems.append(RuleProblem(file: root + folder, message: "scaffold for unknown pattern '\(folder)'; patterns: \(rules.patterns.map(\.id).joined(separator: ", "))"))
        }
        for pattern in rules.patterns {
            let manifestPath = root + pattern.id + "/scaffold.json"
            let manifest: Manifest
            do { manifest = try self.manifest(pattern.id, files: rules.files) } catch {
                problems += error.problems
                continue
            }
            if manifest.pattern != pattern.id {
                problems.append(RuleProblem(file: manifestPath, path: [.key("pattern")], message: "names '\(manifest.pattern)' but lives in the folder of '\(pattern.id)'"))
            }
            if let task = manifest.task, !manifest.functions.contains(where: { $0.logicalId == task }) {
                problems.append(RuleProblem(file: manifestPath, path: [.key("task")], message: "names '\(task)', which is not one of its functions (\(manifest.functions.map(\.logicalId).joined(separator: ", ")))"))
            }
            let warningIDs = Set(rules.warnings.map(\.rule.id))
            for (index, id) in manifest.answers.enumerated() where !warningIDs.contains(id) {
                problems.append(RuleProblem(file: manifestPath, path: [.key("answers"), .index(index)], message: "'\(id)' is not a warning of warnings.json; answers lists the advisory warnings the template answers"))
            }
            do {
                let sample = try Workload.sample(of: manifest, name: pattern.id, rules: rules)
                for refusal in refusals(sample, manifest: manifest, rules: rules) {
                    problems.append(RuleProblem(file: manifestPath, path: [.key("workload")], message: "the sample workload makes no \(pattern.id) project: \(refusal)"))
                }
            } catch {
                problems.append(RuleProblem(file: manifestPath, path: [.key("workload")], message: "the sample workload does not resolve: \(error)"))
            }
            for key in manifest.main.keys where !languages.contains(key) {
                problems.append(RuleProblem(file: manifestPath, path: [.key("main"), .key(key)], message: "unknown language '\(key)'; languages: \(languages.joined(separator: ", "))"))
            }
            for language in languages {
                let templates = templates(pattern.id, language: language, manifest: manifest, files: rules.files)
                let outputs = templates.map(\.output)
                if templates.isEmpty {
                    problems.append(RuleProblem(file: root + pattern.id + "/" + language, message: "has no templates; every pattern needs a \(language) scaffold"))
                    continue
                }
                for (output, file) in manifest.sharedAs?[language] ?? [:] {
                    if let when = file.when, case .bool? = sample[when] {} else if let when = file.when {
                        problems.append(RuleProblem(file: manifestPath, path: [.key("sharedAs"), .key(language), .key(output), .key("when")], message: "'\(when)' is not a boolean variable; booleans: \(sample.filter { if case .bool = $0.value { true } else { false } }.keys.sorted().joined(separator: ", "))"))
                    }
                }
                let own = root + pattern.id + "/" + language + "/"
                let ownOutputs = rules.files.files(under: own).map { String($0.dropFirst(own.count)) }
                for (path, conditions) in (manifest.when?[language] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    let at: [JSONPathComponent] = [.key("when"), .key(language), .key(path)]
                    if !ownOutputs.contains(where: { covers(path, $0) }) {
                        problems.append(RuleProblem(file: manifestPath, path: at, message: "'\(path)' is no file or folder of the pattern's own \(language) scaffold"))
                    }
                    if conditions.isEmpty {
                        problems.append(RuleProblem(file: manifestPath, path: at, message: "names no condition; each is a boolean variable or !variable, and all must hold"))
                    }
                    for name in conditions.map({ $0.hasPrefix("!") ? String($0.dropFirst()) : $0 }) {
                        if case .bool? = sample[name] {} else {
                            problems.append(RuleProblem(file: manifestPath, path: at, message: "'\(name)' is not a boolean variable; booleans: \(sample.filter { if case .bool = $0.value { true } else { false } }.keys.sorted().joined(separator: ", "))"))
                        }
                    }
                }
                for (index, output) in outputs.enumerated() where index > 0 && outputs[index - 1] == output {
                    problems.append(RuleProblem(file: manifestPath, path: [.key("shared"), .key(language)], message: "'\(output)' is both shared and in the pattern's own folder; keep one"))
                }
                var mainText: String?
                for (output, source) in templates {
                    let text: String?
                    do { text = try rules.files.text(source) } catch { problems += error.problems; continue }
                    guard let text else {
                        problems.append(RuleProblem(file: manifestPath, path: [.key("shared"), .key(language)], message: "'\(output)' is not in \(root + shared)/\(language)/"))
                        continue
                    }
                    do {
                        let template = try Template(text)
                        for name in template.names.subtracting(defined).sorted() {
                            problems.append(RuleProblem(file: source, message: "placeholder '\(name)' is never defined; defined: \(defined.sorted().joined(separator: ", "))"))
                        }
                    } catch {
                        problems.append(RuleProblem(file: source, location: SourceLocation(line: error.line, column: 1), message: error.message))
                    }
                    if output == manifest.main[language] { mainText = text }
                }
                guard let main = manifest.main[language] else {
                    problems.append(RuleProblem(file: manifestPath, path: [.key("main")], message: "names no main handler for \(language)"))
                    continue
                }
                if let mainText {
                    if !mainText.contains(businessLogicMarker) {
                        problems.append(RuleProblem(file: root + pattern.id + "/" + language + "/" + main, message: "the main handler has no '\(businessLogicMarker)' line to end the preview"))
                    }
                } else {
                    problems.append(RuleProblem(file: manifestPath, path: [.key("main"), .key(language)], message: "'\(main)' is not a file of the \(language) scaffold"))
                }
                problems += lintMutations(pattern.id, language: language, manifest: manifest, rules: rules)
            }
        }
        return problems
    }

    /// Every language has at least one mutation; each names a rendered file, has a unique name, and its `find`
    /// text occurs exactly once in that file as every sender renders it (so it applies to every project; the
    /// default sender is rendered without a webhook, the others with one).
    static func lintMutations(_ patternId: String, language: String, manifest: Manifest, rules: RuleSet) -> [RuleProblem] {
        let manifestPath = root + patternId + "/scaffold.json"
        let at: [JSONPathComponent] = [.key("mutations"), .key(language)]
        guard let mutations = manifest.mutations?[language], !mutations.isEmpty else {
            return [RuleProblem(file: manifestPath, path: [.key("mutations")], message: "names no \(language) mutation; every scaffold needs at least one named mutation of its main handler's essential logic (docs/scaffold-format.md)")]
        }
        var problems: [RuleProblem] = []
        var names = Set<String>()
        var projects: [String: [File]] = [:]
        for sender in senders {
            projects[sender] = try? render(patternId, language: language, name: "lint", rules: rules, version: "0", manifest: manifest,
                                           facing: (sender, sender != "generic"))
        }
        for (index, mutation) in mutations.enumerated() {
            let path = at + [.index(index)]
            if mutation.name.isEmpty || !names.insert(mutation.name).inserted {
                problems.append(RuleProblem(file: manifestPath, path: path + [.key("name")], message: mutation.name.isEmpty ? "is empty; name what the mutation breaks" : "'\(mutation.name)' is named twice; each mutation needs its own name"))
            }
            if mutation.find.isEmpty || mutation.find == mutation.replace {
                problems.append(RuleProblem(file: manifestPath, path: path + [.key("replace")], message: "changes nothing; 'find' must be non-empty and differ from 'replace'"))
                continue
            }
            // The default sender first, so a find that never matches is reported as the default project renders it.
            for sender in ["generic"] + senders.filter({ $0 != "generic" }) {
                guard let files = projects[sender] else { continue }  // a template that fails is reported above
                guard let file = files.first(where: { $0.path == mutation.file }) else {
                    problems.append(RuleProblem(file: manifestPath, path: path + [.key("file")], message: "'\(mutation.file)' is not a file of the \(language) project"))
                    break
                }
                let count = file.contents.ranges(of: mutation.find).count
                if count != 1 {
                    problems.append(RuleProblem(file: manifestPath, path: path + [.key("find")], message: "occurs \(count) times in the rendered \(mutation.file)\(sender == "generic" ? "" : " (--sender \(sender))"); it must occur exactly once"))
                    break
                }
            }
        }
        return problems
    }
}
