import Foundation

/// Writes a line to standard output.
func printLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Writes `text` as it is (no newline added) to standard error: reports,
/// IR dumps, progress and diagnostics.
func writeToStandardError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}
