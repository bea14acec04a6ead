#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NNIR

/// Where the bytes of an output file go, and how: decided once, when the file is opened.
///
/// - A regular file, or a name where nothing exists yet, is *replaced*: the bytes go to a
///   temporary file in the same folder, renamed over the target when complete, so that a failed
///   run never leaves a partial file. An existing file's permission bits (and, where the process
///   may set them, its owner and group) carry over to the new one.
/// - A device (`/dev/null`, a terminal) or a FIFO is written *in place*: renaming a file over
///   `/dev/null` would replace the device node, and a solver reading a named pipe must get the
///   bytes through the pipe.
/// - A symbolic link is followed to the file it names, which is then replaced or written as above;
///   the link itself stays a link.
struct OutputDestination {
    /// How the file is written.
    enum Method {
        /// Through a temporary file renamed over `target`; `existing` is the `stat` of the file
        /// being replaced, nil when there is none yet.
        case replace(existing: stat?)
        /// Straight into `target` (a device or a FIFO).
        case inPlace
    }

    /// The path the bytes end up at: the name given, with symbolic links resolved.
    let target: String
    let method: Method

    /// At most this many symbolic links are followed, as the kernel's own limit (`ELOOP`).
    private static let linkLimit = 40

    /// Decides where and how `path` is written; `path` is the name the user gave (for messages).
    init(path: String) throws {
        guard !path.hasSuffix("/") else {
            throw Diagnostic(.cannotWrite, file: path, "names a folder (it ends in /), not a file")
        }
        target = try Self.resolvingLinks(path)
        var info = stat()
        guard stat(target, &info) == 0 else {
            // Nothing there yet (or a folder we cannot look into: creating the temporary file says why).
            method = .replace(existing: nil)
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            guard access(target, W_OK) == 0 else {
                throw Diagnostic(.cannotWrite, file: path, "cannot write the file (\(SystemError.current))")
            }
            method = .replace(existing: info)
        case S_IFCHR, S_IFBLK, S_IFIFO:
            method = .inPlace
        case S_IFDIR:
            throw Diagnostic(.cannotWrite, file: path, "is a folder, not a file")
        default:
            throw Diagnostic(.cannotWrite, file: path, "is neither a file, a device nor a pipe; nnmip cannot write to it")
        }
    }

    /// The folder a temporary file for `target` goes in (the same folder, so that renaming stays
    /// within one file system).
    var folder: String {
        let folder = (target as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// `path` with every symbolic link along its last component resolved: the file a write through
    /// the link would reach. A dangling link resolves to the missing file it names.
    static func resolvingLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<linkLimit {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length >= 0 else {
                throw Diagnostic(.cannotWrite, file: path, "cannot read the symbolic link \(current) (\(SystemError.current))")
            }
            let link = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(link)
        }
        throw Diagnostic(.cannotWrite, file: path, "too many levels of symbolic links")
    }
}
