import Foundation

/// Golden-file comparison, after LLVM's FileCheck and swift-argument-parser's
/// snapshots: `actual` must equal the file's text. With `NNMIP_BLESS=1` in the
/// environment the file is rewritten instead. Returns nil on a match, or a
/// unified diff to show.
public func goldenMismatch(_ actual: String, file relative: String) throws -> String? {
    let url = Paths.root.appendingPathComponent(relative)
    if ProcessInfo.processInfo.environment["NNMIP_BLESS"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: url)
        return nil
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        return "golden file \(relative) is missing; run with NNMIP_BLESS=1 to create it"
    }
    if expected == actual { return nil }
    return "output differs from \(relative) (NNMIP_BLESS=1 rewrites it):\n" + unifiedDiff(expected, actual)
}

/// A small line diff (`-` expected, `+` actual) via the system's `diff -u`, or a plain dump if it is missing.
func unifiedDiff(_ expected: String, _ actual: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-golden-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let (a, b) = (dir.appendingPathComponent("expected"), dir.appendingPathComponent("actual"))
    try? Data(expected.utf8).write(to: a)
    try? Data(actual.utf8).write(to: b)
    if let result = try? Tool.run("/usr/bin/diff", ["-u", a.path, b.path]) { return result.stdout }
    return "--- expected\n\(expected)\n+++ actual\n\(actual)"
}
