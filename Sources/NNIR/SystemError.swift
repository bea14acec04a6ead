#if canImport(Glibc)
import Glibc
#endif

/// The one table from the operating system's error codes (`errno`) to the short, plain reasons
/// nnmip's messages give: "no such file", "permission denied", "is a directory". Every message
/// about a file that could not be opened, read or written takes its reason from here, so none
/// carries Foundation's localized text or a C library's capitalised sentence.
public enum SystemError {
    /// The reason for the error code `code`.
    public static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        case EISDIR: "is a directory"
        case ENOTDIR: "a folder in the path is not a folder"
        case ELOOP: "too many levels of symbolic links"
        case ENAMETOOLONG: "the name is too long"
        case ENXIO, ENODEV: "no such device"
        case EIO: "input/output error"
        case EBADF: "not open"
        case EMFILE, ENFILE: "too many open files"
        case ENOMEM: "out of memory"
        case ENOSPC: "no space left on the device"
        case EDQUOT: "disk quota exceeded"
        case EROFS: "read-only file system"
        case EFBIG: "the file is too large"
        case EEXIST: "the file exists"
        case ETXTBSY: "the file is busy"
        case EPIPE: "the reader of the pipe has gone"
        default:
            // A code without a plain reason of its own: the C library's text, in lower case like the rest.
            String(cString: strerror(code)).lowercased()
        }
    }

    /// The reason for the current `errno`.
    public static var current: String {
        reason(errno)
    }
}
