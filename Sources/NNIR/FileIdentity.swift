#if canImport(Glibc)
import Glibc
#endif

/// What makes two paths the same file: the device and inode that `stat(2)`
/// reports, so that `m.onnx`, `./m.onnx`, a symbolic link to it and a hard
/// link all compare equal, which no comparison of names can promise.
public struct FileIdentity: Hashable, Sendable {
    /// `st_dev`: the file system the file lives on.
    public var device: UInt64
    /// `st_ino`: the file within that file system.
    public var inode: UInt64

    /// The identity in what `stat(2)` or `fstat(2)` reported.
    public init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The identity of whatever file `path` names (following symbolic links), or nil when nothing is there.
    public static func of(_ path: String) -> FileIdentity? {
        identity(of: path, ifTypeIs: nil)
    }

    /// The identity of the regular file that `path` names (following symbolic links), or nil when
    /// nothing is there or it is not a regular file: devices, pipes and folders are never
    /// overwritten by renaming, so writing to one cannot destroy what it holds.
    public static func ofRegularFile(_ path: String) -> FileIdentity? {
        identity(of: path, ifTypeIs: S_IFREG)
    }

    /// The identity of the folder that `path` names (following symbolic links), or nil.
    public static func ofFolder(_ path: String) -> FileIdentity? {
        identity(of: path, ifTypeIs: S_IFDIR)
    }

    /// `stat(2)` of `path`, when it succeeds and (with `type`) the file is of that type.
    private static func identity(of path: String, ifTypeIs type: mode_t?) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0, type.map({ (info.st_mode & S_IFMT) == $0 }) ?? true else { return nil }
        return FileIdentity(info)
    }
}
