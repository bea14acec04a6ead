import Foundation
import NNIR

/// Writes an output file so that a failed run never leaves a partial file:
/// the text goes to a temporary file in the same folder, which is renamed
/// over the destination only once it is complete.
public enum AtomicFile {
    /// Writes `text` to `path` atomically, or to standard output when `path` is `-`.
    public static func write(_ text: String, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let destination = URL(fileURLWithPath: path)
        let folder = destination.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).nnmip-\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw Diagnostic(.cannotWrite, file: path, "cannot write the file (\((error as NSError).localizedDescription))")
        }
        guard rename(temporary.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Diagnostic(.cannotWrite, file: path, "cannot create the file (\(reason))")
        }
    }
}
