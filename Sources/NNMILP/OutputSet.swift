import Foundation
import NNIR

/// Every file one command writes, opened together before the work and committed together after it.
///
/// Opening an output creates its temporary file (or opens the device or FIFO), so an output that
/// cannot be written is found before a long solve, not after it. `commit()` first finishes every
/// file (the step where a full disk or a failing device shows) and only then renames them into
/// place, so that when one fails none appears; a set dropped without `commit()` removes every
/// temporary file. Only a rename that fails after others succeeded (which takes a folder changing
/// under the run) can leave some files published.
///
/// Before anything is opened, every output is compared with every file the command reads, by
/// device and inode (`FileIdentity`), and with the other outputs: an output that is also an input,
/// or two outputs that are one file, are a usage error naming both roles, e.g.
/// `-o m.onnx is the model file`.
public final class OutputSet {
    /// A file a command reads or writes, with the words that name it in messages.
    public struct Role: Sendable {
        /// For an output, the option that names it (`-o`, `--names`); for an input, what it is
        /// (`the model file`, `the --spec file`).
        public var name: String
        /// The path as the user gave it.
        public var path: String
        /// Appended to the refusal when an output is this input (`give --force to replace it`).
        public var hint: String?
        /// For an output: another program writes its bytes to the file's `writerPath` (HiGHS's
        /// log), so nnmip neither writes into it nor compresses it.
        public var external: Bool

        /// A file known by `name` at `path`.
        public init(_ name: String, _ path: String, hint: String? = nil, external: Bool = false) {
            self.name = name
            self.path = path
            self.hint = hint
            self.external = external
        }
    }

    private let inputs: [(role: Role, identity: FileIdentity)]
    /// The outputs in the order they were opened, each once (several roles may share standard output).
    private var files: [OutputFile] = []
    private var byPath: [String: OutputFile] = [:]
    /// The regular files (existing or to be created) already claimed by an output, for clashes.
    private var claimed: [OutputClaim: Role] = [:]
    private var createdFolders: [String] = []
    private var committed = false

    /// Checks `outputs` against `inputs` and each other, then opens every output.
    public init(inputs: [Role], outputs: [Role]) throws {
        self.inputs = inputs.compactMap { role in FileIdentity.ofRegularFile(role.path).map { (role, $0) } }
        for output in outputs { try claim(output) }
        for output in outputs { try open(output) }
    }

    deinit {
        if !committed { discard() }
    }

    /// Checks one more output (one of a folder's files, known only once the spec is read) and
    /// opens it; opening a path twice returns the same file.
    @discardableResult
    public func add(_ output: Role) throws -> OutputFile {
        if let file = byPath[output.path] { return file }
        try claim(output)
        return try open(output)
    }

    /// Creates `path` as a folder (with its parents) for outputs to go in; folders created here
    /// are removed again, if they are still empty, when the set is not committed.
    public func createFolder(_ path: String) throws {
        var missing: [String] = []
        var folder = path
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        while !folder.isEmpty, folder != "/", !FileManager.default.fileExists(atPath: folder) {
            missing.append(folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() {
            guard mkdir(folder, 0o777) == 0 || errno == EEXIST else {
                throw Diagnostic(.cannotWrite, file: path, "cannot create the folder \(folder) (\(SystemError.current))")
            }
            createdFolders.insert(folder, at: 0)
        }
    }

    /// The open output at `path`.
    public func file(_ path: String) throws -> OutputFile {
        guard let file = byPath[path] else {
            throw Diagnostic(.internal, file: path, "this output was not opened with the command's other outputs")
        }
        return file
    }

    /// Appends `text` to the output at `path`; does nothing when `path` is nil.
    public func write(_ text: String, to path: String?) throws {
        guard let path else { return }
        try file(path).write(text)
    }

    /// Finishes every output, then renames each into place; when any fails, every temporary
    /// file is removed and the first failure is thrown.
    public func commit() throws {
        committed = true
        for file in files {
            do {
                try file.finish()
            } catch {
                discard()
                throw error
            }
        }
        for (index, file) in files.enumerated() {
            do {
                try file.publish()
            } catch {
                for rest in files[(index + 1)...] { rest.discard() }
                throw error
            }
        }
    }

    /// Gives every output up: temporary files are removed, and folders this set created are
    /// removed again if nothing else was put in them.
    public func discard() {
        committed = true
        for file in files { file.discard() }
        for folder in createdFolders { rmdir(folder) }
    }

    /// Refuses `output` when it is one of the inputs or an output already claimed.
    private func claim(_ output: Role) throws {
        guard output.path != "-", let claim = OutputClaim(output.path) else { return }
        if case .existing(let identity) = claim, let input = inputs.first(where: { $0.identity == identity }) {
            let same = input.role.path == output.path ? "" : " (\(input.role.path))"
            let hint = input.role.hint.map { "; \($0)" } ?? "; nnmip never writes over a file it reads"
            throw Diagnostic(.usage, "\(output.name) \(output.path) is \(input.role.name)\(same)\(hint)")
        }
        if let earlier = claimed[claim] {
            throw Diagnostic(.usage, "\(output.name) \(output.path) and \(earlier.name) \(earlier.path) are the same file; give each output its own")
        }
        claimed[claim] = output
    }

    @discardableResult
    private func open(_ output: Role) throws -> OutputFile {
        if let file = byPath[output.path] { return file }
        let file = try OutputFile(path: output.path, compressing: !output.external)
        files.append(file)
        byPath[output.path] = file
        return file
    }
}

/// The file an output will occupy, for telling whether two outputs (or an output and an input)
/// are one file: an existing regular file by its identity, a file still to be created by its
/// folder's identity and its name. Devices and FIFOs claim nothing: several outputs may share
/// `/dev/null`, and writing to one destroys nothing.
private enum OutputClaim: Hashable {
    case existing(FileIdentity)
    case new(folder: FileIdentity, name: String)

    init?(_ path: String) {
        if let identity = FileIdentity.ofRegularFile(path) {
            self = .existing(identity)
            return
        }
        guard !FileManager.default.fileExists(atPath: path) else { return nil }
        // A dangling symbolic link claims the file it would create.
        guard let target = try? OutputDestination.resolvingLinks(path) else { return nil }
        let folder = (target as NSString).deletingLastPathComponent
        guard let identity = FileIdentity.ofFolder(folder.isEmpty ? "." : folder) else { return nil }
        self = .new(folder: identity, name: (target as NSString).lastPathComponent)
    }
}
