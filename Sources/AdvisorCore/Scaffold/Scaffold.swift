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
        /// that fire (`ignore`), so `check` of the project reports what is still open, not what is done.
        public var answers: [String]
        /// The triggers the template creates a start for (`--trigger`), and the front doors it creates for a
        /// `request` or `webhook` (`--entry`): a workload with another is refused, not written with the wrong door.
        public var triggers: [String]
        public var entries: [String]
    }

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
    public static func variables(for pattern: Pattern, name: String, language: String, version: String, functions: [Manifest.Function] = []) -> [String: Template.Value] {
        return [
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
        ]
    }

    public static func manifest(_ patternId: String, files: RuleFiles) throws(RuleSetError) -> Manifest {
        try files.decode(Manifest.self, from: root + patternId + "/scaffold.json").0
    }

    /// Every template of one project: output path → rule-file path. The pattern's own files win over none:
    /// a path both in the pattern folder and in its `shared` list is an error `rules lint` reports.
    public static func templates(_ patternId: String, language: String, manifest: Manifest, files: RuleFiles) -> [(output: String, source: String)] {
        let own = root + patternId + "/" + language + "/"
        var list = files.files(under: own).map { (output: String($0.dropFirst(own.count)), source: $0) }
        for path in manifest.shared?[language] ?? [] {
            list.append((path, root + shared + "/" + language + "/" + path))
        }
        return list.sorted { $0.output < $1.output }
    }

    /// Renders a whole project in memory (or, with `only`, that one file of it); nothing is written.
    /// Fails with every problem found.
    /// `manifest`, when the caller has read it already, is not read again.
    /// `workload` sizes the project (SPEC §9); without one it is the pattern's sample workload.
    public static func render(_ patternId: String, language: String, name: String, rules: RuleSet, version: String,
                              manifest known: Manifest? = nil, workload given: Workload? = nil, only: String? = nil) throws(Failure) -> [File] {
        guard let pattern = rules.pattern(patternId) else {
            throw Failure(problems: [RuleProblem(file: "patterns.json", message: "unknown pattern '\(patternId)'")])
        }
        let manifest: Manifest
        if let known { manifest = known } else {
            do { manifest = try self.manifest(patternId, files: rules.files) } catch { throw Failure(problems: error.problems) }
        }
        var variables = variables(for: pattern, name: name, language: language, version: version, functions: manifest.functions)
        let workload: Workload
        let sizing: Sizing
        do {
            workload = try given ?? Workload.sample(of: manifest, name: name, rules: rules)
            sizing = Sizing.of(workload, rules: rules, sizing: try SizingRules.load(rules.files), findings: try rules.templateFindings())
        } catch let error as RuleSetError {
            throw Failure(problems: error.problems)
        } catch {
            throw Failure(problems: [RuleProblem(file: root + patternId + "/scaffold.json", path: [.key("workload")], message: "\(error)")])
        }
        variables.merge(sizing.variables) { $1 }
        variables["taskFunction"] = .string(manifest.task ?? "")
        variables["workloadFlags"] = .string(workload.given.map { "--\($0.key) \($0.value)" }.joined(separator: " "))
        variables["sizingSummary"] = .string(sizing.summary(task: manifest.task))
        var rendered: [File] = []
        var problems: [RuleProblem] = []
        if only == nil || only == designFileName {
            rendered.append(File(path: designFileName, contents: designFile(workload, function: manifest.task, answered: manifest.answers, rules: rules)))
        }
        let templates = templates(patternId, language: language, manifest: manifest, files: rules.files)
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
        guard case .string(let trigger)? = scope["trigger"] else { return found }
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
            }
        }
        return problems
    }
}
