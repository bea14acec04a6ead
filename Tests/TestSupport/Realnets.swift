import Foundation

/// Access to `../shared/realnets`, the third-party networks beside the project.
///
/// In CI (`CI` set in the environment) the folder must exist and tests that
/// need it fail loudly when it is missing; elsewhere they are skipped
/// (`.needsRealnets`, see `Requirements`).
public enum Realnets {
    /// The folder, whether or not it exists.
    public static let folder = Paths.root.deletingLastPathComponent().appendingPathComponent("shared/realnets")

    /// Errors from `require`.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "../shared/realnets is missing: CI must have it beside the project (\(Realnets.folder.path))" }
    }

    /// Whether the folder is there.
    public static var isPresent: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("README.md").path) }

    /// The folder's path; when it is absent, a failure in CI and a canceled test elsewhere.
    public static func require() throws -> String {
        if isPresent { return folder.path }
        try Requirements.missing(Missing(), reason: "../shared/realnets is not beside the project")
    }

    /// expected.csv of the folder at `path` as "network,property" → answer (sat, unsat or unknown).
    public static func expectedAnswers(_ path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path + "/expected.csv", encoding: .utf8)
        var answers: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            if fields.count == 3 { answers[fields[0] + "," + fields[1]] = fields[2] }
        }
        return answers
    }

    /// Paths (relative to the folder) of every file with the given extension, sorted.
    public static func files(withExtension ext: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix("." + ext) }.sorted()
    }
}
