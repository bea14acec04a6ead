import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Issue 14, section 2: nnmip never destroys or mangles a file. Every case runs the real `nnmip`
/// process in a scratch folder holding copies of its inputs, and compares the whole folder (every
/// file's bytes and mode, every link's target) before and after, so that a changed input, a partial
/// output or a leftover temporary file all fail the test.
@Suite struct FileSafetyTests {
    /// A scratch folder with the inputs the commands read: `m.onnx` (with a symbolic link `link.onnx`
    /// and a hard link `hard.onnx` to it), the property `p.vnnlib`, the point `x0.json`, the bounds
    /// `b.json`, the instance list `list.csv`, `plain.txt`, a file to put impossible paths under, and
    /// an empty folder `sub`. As root it also holds private copies of /dev/null and /dev/full, made
    /// with mknod: root could rename a file over the system's devices, so a regression must only
    /// ever destroy these.
    final class Workspace {
        let folder: URL
        /// The null and full devices the tests write to (`%null` and `%full` in arguments).
        let null, full: String

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-files-\(UUID().uuidString)")
            let privateDevices = getuid() == 0
            (null, full) = privateDevices ? (folder.path + "/null", folder.path + "/full") : ("/dev/null", "/dev/full")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Paths.fixture("onnx/mlp_2x8.onnx"), toPath: path("m.onnx"))
            try FileManager.default.copyItem(atPath: Paths.fixture("specs/mlp_2x8.robustness.vnnlib"), toPath: path("p.vnnlib"))
            try FileManager.default.copyItem(atPath: Paths.fixture("specs/mlp_2x8.center.json"), toPath: path("x0.json"))
            try write("{\"lower\": [-1, -1, -1, -1], \"upper\": [1, 1, 1, 1]}\n", to: "b.json")
            try write("m.onnx,p.vnnlib,10\n", to: "list.csv")
            try write("not a folder\n", to: "plain.txt")
            try FileManager.default.createDirectory(atPath: path("sub"), withIntermediateDirectories: false)
            try FileManager.default.createSymbolicLink(atPath: path("link.onnx"), withDestinationPath: "m.onnx")
            try FileManager.default.linkItem(atPath: path("m.onnx"), toPath: path("hard.onnx"))
            if privateDevices {
                for (device, minor) in [(null, "3"), (full, "7")] {
                    let made = try Tool.run("/usr/bin/mknod", [device, "c", "1", minor])
                    guard made.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: device]) }
                }
            }
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        /// The absolute path of `name` in the folder.
        func path(_ name: String) -> String { folder.path + "/" + name }

        /// Writes `text` to the file `name`.
        func write(_ text: String, to name: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
        }

        /// `arguments` with every `@name` replaced by the path of `name` in the folder.
        func expand(_ arguments: [String]) -> [String] {
            arguments.map(expand)
        }

        /// `text` with every `@` replaced by the folder's path and a slash, `%null` and `%full` by the devices.
        func expand(_ text: String) -> String {
            text.replacingOccurrences(of: "@", with: folder.path + "/")
                .replacingOccurrences(of: "%null", with: null).replacingOccurrences(of: "%full", with: full)
        }

        /// Runs `nnmip` with `arguments` expanded.
        func nnmip(_ arguments: [String]) throws -> Tool.Result {
            try Tool.nnmip(expand(arguments))
        }

        /// What the folder holds: for each name, its kind, a file's bytes and permission bits, a link's target.
        func snapshot() throws -> [String: Entry] {
            var entries: [String: Entry] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                entries[name] = try Entry(path(name))
            }
            return entries
        }
    }

    /// One entry of a folder, as a snapshot records it.
    enum Entry: Equatable, CustomStringConvertible {
        case file(Data, mode: UInt32)
        case link(String)
        case other(kind: UInt32)

        init(_ path: String) throws {
            var info = stat()
            guard lstat(path, &info) == 0 else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
            switch info.st_mode & S_IFMT {
            case S_IFREG: self = .file(try Data(contentsOf: URL(fileURLWithPath: path)), mode: UInt32(info.st_mode & 0o7777))
            case S_IFLNK: self = .link(try FileManager.default.destinationOfSymbolicLink(atPath: path))
            default: self = .other(kind: UInt32(info.st_mode & S_IFMT))
            }
        }

        var description: String {
            switch self {
            case .file(let data, let mode): "file of \(data.count) bytes, mode \(String(mode, radix: 8))"
            case .link(let target): "link to \(target)"
            case .other(let kind): "file of kind \(String(kind, radix: 8))"
            }
        }
    }

    /// The kind (`S_IFMT` bits of `lstat`) of the file at `path`.
    static func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    /// The problem most cases compile or solve: the network of `m.onnx` over a box.
    static let box = ["--input-box", "-1:1", "--maximize", "y0"]

    /// What `compile` writes for `box`, to compare with what reached a pipe or a link's target.
    static func expectedMPS(_ workspace: Workspace) throws -> String {
        let result = try workspace.nnmip(["compile", "@m.onnx"] + box + ["-o", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    // MARK: - An output that is an input, or another output

    /// Each command line names one file both as an input and as an output (or twice as an output),
    /// spelled the same, spelled differently, or reached through a symbolic or a hard link.
    @Test(arguments: [
        (["compile", "@m.onnx"] + box + ["-o", "@m.onnx"], "-o @m.onnx is the model file"),
        (["compile", "@m.onnx"] + box + ["-o", "@./m.onnx"], "-o @./m.onnx is the model file"),
        (["compile", "@m.onnx"] + box + ["-o", "@link.onnx"], "-o @link.onnx is the model file"),
        (["compile", "@m.onnx"] + box + ["-o", "@hard.onnx"], "-o @hard.onnx is the model file"),
        (["compile", "@m.onnx", "--emit-ir", "-o", "@m.onnx"], "-o @m.onnx is the model file"),
        (["compile", "@m.onnx"] + box + ["-o", "@out.mps", "--names", "@m.onnx"], "--names @m.onnx is the model file"),
        (["compile", "@m.onnx", "--spec", "@p.vnnlib", "-o", "@p.vnnlib"], "-o @p.vnnlib is the --spec file"),
        (["compile", "@m.onnx", "--input-bounds", "@b.json", "--maximize", "y0", "-o", "@out.mps", "--stats-json", "@b.json"],
         "--stats-json @b.json is the --input-bounds file"),
        (["compile", "@m.onnx", "--input-box", "-1:1", "--linf-ball", "@x0.json:0.1", "--maximize", "y0", "-o", "@x0.json"],
         "-o @x0.json is the --linf-ball point file"),
        (["compile", "@m.onnx", "--input-box", "-1:1", "--l1-ball", "@x0.json:0.1", "--maximize", "y0", "--names", "@./x0.json"],
         "--names @./x0.json is the --l1-ball point file"),
        (["compile", "@m.onnx"] + box + ["-o", "@out.mps", "--names", "@out.mps"], "--names @out.mps and -o @out.mps are the same file"),
        (["compile", "@m.onnx"] + box + ["-o", "@out.mps", "--stats-json", "@./out.mps"], "are the same file"),
        (["solve", "@m.onnx"] + box + ["--solution", "@m.onnx"], "--solution @m.onnx is the model file"),
        (["solve", "@m.onnx"] + box + ["--log", "@link.onnx"], "--log @link.onnx is the model file"),
        (["solve", "@m.onnx", "--spec", "@p.vnnlib", "--maximize", "y0", "--trace", "@p.vnnlib"], "--trace @p.vnnlib is the --spec file"),
        (["solve", "@m.onnx"] + box + ["--start", "@x0.json", "--plot", "@x0.json"], "--plot @x0.json is the --start point file"),
        (["solve", "@m.onnx"] + box + ["--solution", "@s.json", "--trace", "@s.json"], "--trace @s.json and --solution @s.json are the same file"),
        (["verify", "@m.onnx", "@p.vnnlib", "--out", "@p.vnnlib"], "--out @p.vnnlib is the property file"),
        (["verify", "@m.onnx", "@p.vnnlib", "--log", "@hard.onnx"], "--log @hard.onnx is the model file"),
        (["verify", "--instances", "@list.csv", "--results", "@list.csv"], "--results @list.csv is the instance list"),
        (["prune", "@m.onnx", "--sparsity", "0.5", "-o", "@m.onnx"], "-o @m.onnx is the model file; give --force to replace it"),
        (["prune", "@m.onnx", "--sparsity", "0.5", "-o", "@hard.onnx"], "-o @hard.onnx is the model file (@m.onnx); give --force to replace it"),
    ])
    func anOutputThatIsAnInputIsRefusedBeforeAnyWork(arguments: [String], message: String) throws {
        let workspace = try Workspace()
        let before = try workspace.snapshot()
        let result = try workspace.nnmip(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("nnmip: error: ") && result.stderr.contains(workspace.expand(message)), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(arguments): nothing was done, so nothing is printed: \(result.stdout)")
        let after = try workspace.snapshot()
        #expect(after == before, "\(arguments): the folder changed: \(before) became \(after)")
    }

    /// `prune --force` may replace the model it read, and then the file is a valid pruned network, under
    /// the same name, with no temporary file left.
    @Test func pruneWithForceReplacesTheModelWhole() throws {
        let workspace = try Workspace()
        let before = try workspace.snapshot()
        let result = try workspace.nnmip(["prune", "@m.onnx", "--sparsity", "0.5", "-o", "@m.onnx", "--force"])
        #expect(result.status == 0, "\(result.stderr)")
        let after = try workspace.snapshot()
        #expect(Set(after.keys) == Set(before.keys), "files came or went: \(before.keys.sorted()) became \(after.keys.sorted())")
        #expect(after["m.onnx"] != before["m.onnx"], "the model was replaced by the pruned one")
        #expect(after["hard.onnx"] == before["hard.onnx"], "a hard link to the old model keeps the old model: the file was replaced, not rewritten")
        let inspected = try workspace.nnmip(["inspect", "@m.onnx"])
        #expect(inspected.status == 0, "the replaced model reads back: \(inspected.stderr)")
    }

    // MARK: - Devices, pipes, links and permissions

    /// `-o fifo.mps` feeds whatever reads the pipe, and the pipe stays a pipe. The reader is a
    /// background `cat` under `timeout`, writing to a file: had nnmip renamed a file over the pipe, cat
    /// would wait for a writer for ever, and the timeout kills it (an empty reading fails the test).
    @Test func aFIFOIsWrittenInPlaceForItsReader() throws {
        let workspace = try Workspace()
        let expected = try Self.expectedMPS(workspace)
        let fifo = workspace.path("pipe.mps")
        #expect(mkfifo(fifo, 0o644) == 0)
        let received = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-fifo-\(UUID().uuidString).txt")
        #expect(FileManager.default.createFile(atPath: received.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: received) }
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        // SIGKILL: processes started under the test runner may inherit an ignored SIGTERM.
        reader.arguments = ["-s", "KILL", "30", "/bin/cat", fifo]
        reader.standardOutput = try FileHandle(forWritingTo: received)
        reader.standardError = FileHandle.nullDevice
        reader.standardInput = FileHandle.nullDevice
        try reader.run()
        let result = try workspace.nnmip(["compile", "@m.onnx"] + Self.box + ["-o", "@pipe.mps"])
        reader.waitUntilExit()
        #expect(result.status == 0, "\(result.stderr)")
        let got = try String(contentsOf: received, encoding: .utf8)
        #expect(got == expected, "the reader of the pipe got \(got.utf8.count) bytes, not the \(expected.utf8.count) of the MILP")
        #expect(Self.kind(fifo) == S_IFIFO, "pipe.mps is still a FIFO")
        #expect(try workspace.snapshot().keys.filter { $0.hasPrefix(".") }.isEmpty, "no temporary file is left")
    }

    /// `-o` a device writes to the device and leaves the device node alone: the workspace's null device
    /// first (as root, a private one), then /dev/null itself once that passed.
    @Test func aDeviceIsWrittenInPlaceAndStaysADevice() throws {
        let workspace = try Workspace()
        for device in workspace.null == "/dev/null" ? ["/dev/null"] : [workspace.null, "/dev/null"] {
            for arguments in [["compile", "@m.onnx"] + Self.box + ["-o", device, "--names", device, "--stats-json", device],
                              ["compile", "@m.onnx", "--emit-ir", "-o", device],
                              ["compile", "@m.onnx", "--spec", "@p.vnnlib", "--format", "lp", "-o", device]] {
                let result = try workspace.nnmip(arguments)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                try #require(Self.kind(device) == S_IFCHR, "\(device) is still a character device after \(arguments)")
            }
        }
        #expect(try workspace.snapshot().keys.filter { $0.hasPrefix(".") }.isEmpty, "no temporary file is left")
    }

    /// Writing through a symbolic link replaces the file it names and keeps the link; an existing
    /// file keeps its permission bits; a dangling link gets the file it names.
    @Test func symbolicLinksAreFollowedAndPermissionsKept() throws {
        let workspace = try Workspace()
        let expected = try Self.expectedMPS(workspace)
        try workspace.write("old content\n", to: "target.mps")
        #expect(chmod(workspace.path("target.mps"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: workspace.path("via.mps"), withDestinationPath: "target.mps")
        try workspace.write("old content\n", to: "shared.mps")
        #expect(chmod(workspace.path("shared.mps"), 0o640) == 0)
        try FileManager.default.createSymbolicLink(atPath: workspace.path("dangling.mps"), withDestinationPath: "made.mps")

        for output in ["@via.mps", "@shared.mps", "@dangling.mps"] {
            let result = try workspace.nnmip(["compile", "@m.onnx"] + Self.box + ["-o", output])
            #expect(result.status == 0, "\(output): \(result.stderr)")
        }
        let after = try workspace.snapshot()
        #expect(after["via.mps"] == .link("target.mps"), "via.mps is still a link to target.mps: \(String(describing: after["via.mps"]))")
        #expect(after["target.mps"] == .file(Data(expected.utf8), mode: 0o600), "target.mps: \(String(describing: after["target.mps"]))")
        #expect(after["shared.mps"] == .file(Data(expected.utf8), mode: 0o640), "shared.mps: \(String(describing: after["shared.mps"]))")
        #expect(after["dangling.mps"] == .link("made.mps"))
        if case .file(let data, _) = after["made.mps"] {
            #expect(data == Data(expected.utf8))
        } else {
            Issue.record("the dangling link's file made.mps was not created: \(String(describing: after["made.mps"]))")
        }
        #expect(after.keys.filter { $0.hasPrefix(".") }.isEmpty, "no temporary file is left: \(after.keys.sorted())")
    }

    // MARK: - Every output checked before the work, committed together

    /// An output that cannot be created ends the command with exit 73 naming it, before the work:
    /// solve and verify are given a HiGHS library that does not exist, so a check made after loading
    /// HiGHS (let alone after the solve) would exit 69 instead, and prune a model that does not exist (66).
    @Test(arguments: [
        (["solve", "@m.onnx"] + box + ["--solution", "@plain.txt/s.json"], "@plain.txt/s.json"),
        (["solve", "@m.onnx"] + box + ["--trace", "@plain.txt/t.csv"], "@plain.txt/t.csv"),
        (["solve", "@m.onnx"] + box + ["--plot", "@plain.txt/t.svg"], "@plain.txt/t.svg"),
        (["solve", "@m.onnx"] + box + ["--log", "@plain.txt/h.log"], "@plain.txt/h.log"),
        (["solve", "@m.onnx"] + box + ["--solution", "@s.json", "--log", "@missing/h.log"], "@missing/h.log"),
        (["verify", "@m.onnx", "@p.vnnlib", "--out", "@plain.txt/r.txt"], "@plain.txt/r.txt"),
        (["verify", "@m.onnx", "@p.vnnlib", "--log", "@plain.txt/h.log"], "@plain.txt/h.log"),
        (["verify", "--instances", "@list.csv", "--results", "@plain.txt/r.csv"], "@plain.txt/r.csv"),
        (["compile", "@m.onnx", "-O3"] + box + ["-o", "@plain.txt/m.mps"], "@plain.txt/m.mps"),
        (["compile", "@m.onnx", "-O3"] + box + ["-o", "@m.mps", "--names", "@plain.txt/n.json"], "@plain.txt/n.json"),
        (["compile", "@m.onnx", "-O3"] + box + ["-o", "@m.mps", "--stats-json", "@plain.txt/n.json"], "@plain.txt/n.json"),
        (["solve", "@m.onnx"] + box + ["--solution", "@sub"], "@sub: is a folder"),
        (["compile", "@m.onnx", "-O3", "--emit-ir", "--input-box", "-1:1", "-o", "@plain.txt/m.nnir"], "@plain.txt/m.nnir"),
        (["compile", "@m.onnx", "-O3", "--spec", "@p.vnnlib", "-o", "@plain.txt/cases/"], "@plain.txt/cases/: cannot create the folder"),
        (["prune", "@missing.onnx", "--sparsity", "0.5", "-o", "@plain.txt/x.onnx"], "@plain.txt/x.onnx"),
    ])
    func anUnwritableOutputIsFoundBeforeTheWork(arguments: [String], names: String) throws {
        let workspace = try Workspace()
        let before = try workspace.snapshot()
        let hasHiGHS = ["solve", "verify", "compile"].contains(arguments[0])
        let result = try workspace.nnmip(arguments + (hasHiGHS ? ["--highs-library", "@missing/libhighs.so"] : []))
        #expect(result.status == 73, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("nnmip: error: ") && result.stderr.contains(workspace.expand(names)), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(arguments): \(result.stdout)")
        #expect(try workspace.snapshot() == before, "\(arguments): no output (nor a temporary file) is left")
    }

    /// The outputs of one command appear together or not at all: when one fails as it is written
    /// (a full device: no space left), the others, complete by then, are not left behind either, and
    /// a folder made for them is removed again.
    @Test(arguments: [
        ["compile", "@m.onnx"] + box + ["-o", "@m.mps", "--names", "%full"],
        ["compile", "@m.onnx"] + box + ["-o", "@m.lp", "--names", "@n.json", "--stats-json", "%full"],
        ["compile", "@m.onnx"] + box + ["-o", "%full", "--names", "@n.json"],
        ["compile", "@m.onnx", "--spec", "@p.vnnlib", "-o", "@cases/deeper/", "--names", "%full"],
        ["compile", "@m.onnx", "--emit-ir", "-o", "%full"],
    ])
    func whenOneOutputFailsNoneIsLeft(arguments: [String]) throws {
        let workspace = try Workspace()
        let before = try workspace.snapshot()
        let result = try workspace.nnmip(arguments)
        #expect(result.status == 73, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(workspace.expand("%full: cannot write the file")), "\(arguments): \(result.stderr)")
        #expect(try workspace.snapshot() == before, "\(arguments): the folder changed")
    }

    /// When an output fails only as it is committed, after the solve, the answer already printed on
    /// standard output stays, the status is 73 and the other outputs are not left behind.
    @Test(.needsHiGHS) func theAnswerStaysOnStandardOutputWhenAFileFailsAtTheEnd() throws {
        _ = try EmbeddedHiGHS.require()
        let workspace = try Workspace()
        let before = try workspace.snapshot()
        let solved = try workspace.nnmip(["solve", "@m.onnx"] + Self.box + ["--solution", "%full", "--trace", "@t.csv", "--log", "@h.log"])
        #expect(solved.status == 73, "\(solved.stderr)")
        #expect(solved.stdout.hasPrefix("status: optimal\n"), "\(solved.stdout)")
        #expect(solved.stderr.contains(workspace.expand("nnmip: error: %full: cannot write the file")), "\(solved.stderr)")
        let verified = try workspace.nnmip(["verify", "@m.onnx", "@p.vnnlib", "--out", "%full", "--log", "@h.log", "--quiet"])
        #expect(verified.status == 73, "\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("sat\n"), "\(verified.stdout)")
        #expect(try workspace.snapshot() == before, "no other output is left")
    }

    /// `verify --instances` runs its instances in worker processes, which keep no HiGHS log: --log is
    /// refused rather than left behind as an empty file.
    @Test func aLogThatNoSolveWouldWriteIsRefused() throws {
        let workspace = try Workspace()
        let before = try workspace.snapshot()
        let result = try workspace.nnmip(["verify", "--instances", "@list.csv", "--log", "@h.log"])
        #expect(result.status == 64 && result.stderr.contains("--log is for one instance"), "\(result.stderr)")
        #expect(try workspace.snapshot() == before)
    }

    /// --log replaces what the file held with HiGHS's log (HiGHS itself appends), keeping its mode.
    @Test(.needsHiGHS) func theLogIsWrittenNotAppended() throws {
        _ = try EmbeddedHiGHS.require()
        let workspace = try Workspace()
        try workspace.write("A LINE FROM AN EARLIER RUN\n", to: "h.log")
        #expect(chmod(workspace.path("h.log"), 0o600) == 0)
        for _ in 0..<2 {
            let result = try workspace.nnmip(["solve", "@m.onnx"] + Self.box + ["--log", "@h.log", "--threads", "1"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let log = try String(contentsOfFile: workspace.path("h.log"), encoding: .utf8)
        #expect(!log.contains("A LINE FROM AN EARLIER RUN"), "the old content is gone")
        #expect(log.components(separatedBy: "Running HiGHS").count == 2, "one run's log, not two:\n\(log)")
        #expect(try Entry(workspace.path("h.log")).modeBits == 0o600)
        #expect(try workspace.snapshot().keys.filter { $0.hasPrefix(".") }.isEmpty, "no temporary file is left")
    }
}

extension FileSafetyTests.Entry {
    /// A file's permission bits (nil for links and other kinds).
    var modeBits: UInt32? {
        if case .file(_, let mode) = self { return mode }
        return nil
    }
}
