/// Adds a workload to a design file (the questionnaire's "save this workload"): a new file holds just it;
/// an existing design file keeps every workload it has and gains this one at the end. Anything that is not
/// a design file is refused rather than overwritten.
public enum DesignFileWriter {
    /// The workload as a design file holds it: its name, its pattern and each input that was given (not
    /// defaulted), keyed by the flag's name without dashes and written as the flag takes it.
    public static func entry(name: String, pattern: String, answers: Answers, rules: RuleSet) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("name", .string(name)), ("pattern", .string(pattern))]
        for input in rules.inputs {
            guard let entry = answers.entries[input.id], !entry.defaulted else { continue }
            if input.kind == .flag {
                if entry.value == .bool(true) { members.append((input.designKey, .bool(true))) }
                continue
            }
            members.append((input.designKey, .string(InputValue.format(entry.value, for: input))))
        }
        return .object(members)
    }

    /// The text of the design file with the workload `entry` (named `name`) added: `existing` is the file's
    /// text, or nil for a new file. Refused with located problems when the text is not a design file this
    /// rule set reads, or when a workload of the file already has that name.
    public static func adding(_ entry: JSONValue, named name: String, to existing: String?, path: String, rules: RuleSet) throws(DesignFileError) -> String {
        guard let existing else { return JSONWriter.write(.object([("workloads", .array([entry]))])) + "\n" }
        let json: LocatedJSON
        do { json = try JSONReader.read(existing) } catch {
            throw DesignFileError(problems: [DesignProblem(file: path, location: error.location,
                message: "is not JSON (\(error.message)), so not a design file: it is left as it is")])
        }
        // Every problem of the file is reported: a file that `check` would refuse is not added to.
        let file = try DesignFile.read(json, path: path, rules: rules)
        if let taken = file.workloads.first(where: { $0.name == name }) {
            throw DesignFileError(problems: [DesignProblem(file: path, location: taken.origin.location ?? json.location,
                message: "already has a workload named \"\(name)\"; give the new one another name")])
        }
        // A design file that reads is an object whose "workloads" is an array: keep its members and order.
        var members: [(key: String, value: JSONValue)] = []
        if case .object(let existingMembers) = json.value { members = existingMembers }
        for index in members.indices where members[index].key == "workloads" {
            if case .array(let workloads) = members[index].value { members[index].value = .array(workloads + [entry]) }
        }
        return JSONWriter.write(.object(members)) + "\n"
    }
}
