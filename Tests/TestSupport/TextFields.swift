import Foundation

/// The `name: value` lines of a command's text output (`status: optimal`), by name; lines without a
/// colon are skipped.
public func textFields(_ text: String) -> [String: String] {
    var result: [String: String] = [:]
    for line in text.split(separator: "\n") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        result[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return result
}
