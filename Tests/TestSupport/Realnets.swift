import Foundation

/// Access to `../shared/realnets`, the third-party networks beside the project.
///
/// In CI (`CI` set in the environment) the folder must exist and tests that
/// need it fail loudly when it is missing; elsewhere they skip with a message.
public enum Realnets {
    /// The folder, whether or not it exists.
    public static let folder = Paths.root.deletingLastPathComponent().appendingPathComponent("shared/realnets")

    /// Errors from `require`.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "../shared/realnets is missing: CI must have it beside the project (\(Realnets.folder.path))" }
    }

    /// The folder's path, or nil (after printing why) when it is absent outside CI.
    public static func require(_ test: String = #function) throws -> String? {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("README.md").path) { return folder.path }
        if ProcessInfo.processInfo.environment["CI"] != nil { throw Missing() }
        print("note: skipping \(test): ../shared/realnets is not beside the project")
        return nil
    }

    /// Paths (relative to the folder) of every file with the given extension, sorted.
    public static func files(withExtension ext: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix("." + ext) }.sorted()
    }
}
