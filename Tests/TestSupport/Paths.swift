import Foundation

/// Locations of the project's files for tests.
public enum Paths {
    /// The package root (found from this source file's path).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `fixtures/` under the package root.
    public static func fixture(_ relative: String) -> String {
        root.appendingPathComponent("fixtures").appendingPathComponent(relative).path
    }
}
