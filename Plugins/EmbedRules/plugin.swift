import Foundation
import PackagePlugin

/// Runs `rules-embedder` over the package's `rules/` folder before the library compiles.
///
/// SwiftPM's `.embedInCode` flattens folders (two `app.py` templates would clash), so the rule set is
/// packed into one generated Swift file instead; every rule file is an input, so editing one rebuilds.
@main
struct EmbedRules: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let rules = context.package.directoryURL.appending(path: "rules")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedRules.swift")
        return [
            .buildCommand(
                displayName: "Embedding rules/ into \(target.name)",
                executable: try context.tool(named: "rules-embedder").url,
                arguments: [rules.path(), output.path()],
                inputFiles: Self.files(under: rules),
                outputFiles: [output]
            )
        ]
    }

    private static func files(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        return walker.compactMap { $0 as? URL }.filter {
            (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }
    }
}
