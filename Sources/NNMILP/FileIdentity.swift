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

    /// The identity of the regular file that `path` names (following symbolic links), or nil when
    /// nothing is there or it is not a regular file: devices, pipes and folders are never
    /// overwritten by renaming, so writing to one cannot destroy what it holds.
    public static func ofRegularFile(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// The identity of the folder that `path` names (following symbolic links), or nil.
    static func ofFolder(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
