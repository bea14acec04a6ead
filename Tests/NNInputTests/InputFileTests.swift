import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NNIR
@testable import NNInput
import TestSupport
import Testing

/// The one reader of input files (issue 14, section 5): regular files, FIFOs, gzip data by
/// content, and the errors for what cannot be read, each naming the file with a plain reason.
@Suite struct InputFileTests {
    /// Text long and repetitive enough to compress to a fraction of its size.
    let text = Data(String(repeating: "(assert (<= X_0 0.5))\n", count: 2000).utf8)

    @Test func aRegularFileIsReadWhole() throws {
        let folder = try ScratchFolder("input")
        let path = try folder.write(text, to: "p.vnnlib")
        let input = try InputFile.read(path, for: "the spec")
        #expect(input.bytes == text)
        #expect(!input.wasCompressed)
        #expect(input.name == path && input.nameExtension == "vnnlib")
    }

    /// gzip is known by its first bytes (1f 8b), not by the name: `.gz`, no extension, or a name that says otherwise.
    @Test(arguments: ["p.vnnlib.gz", "p", "p.vnnlib"])
    func gzipDataIsInflatedWhateverTheName(name: String) throws {
        let folder = try ScratchFolder("input")
        let path = try folder.writeGzipped(text, to: name)
        let compressed = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(compressed.count < text.count / 10, "the fixture compresses")
        let input = try InputFile.read(path, for: "the spec")
        #expect(input.bytes == text)
        #expect(input.wasCompressed)
        #expect(input.nameExtension == (name == "p" ? nil : "vnnlib"))
    }

    /// Members one after another (`cat a.gz b.gz`) inflate to their contents one after another, as `gzip -d` gives.
    @Test func concatenatedMembersInflateInOrder() throws {
        let folder = try ScratchFolder("input")
        let first = try Data(contentsOf: URL(fileURLWithPath: try folder.writeGzipped(Data("first\n".utf8), to: "a.gz")))
        let second = try Data(contentsOf: URL(fileURLWithPath: try folder.writeGzipped(Data("second\n".utf8), to: "b.gz")))
        let path = try folder.write(first + second, to: "ab.gz")
        #expect(try InputFile.read(path, for: "the spec").bytes == Data("first\nsecond\n".utf8))
    }

    /// Every prefix of gzip data that stops before its trailer is truncated: an error naming the file, never a partial content.
    @Test func truncatedGzipDataIsRefused() throws {
        let folder = try ScratchFolder("input")
        let whole = try Data(contentsOf: URL(fileURLWithPath: try folder.writeGzipped(text, to: "whole.gz")))
        for length in [2, 3, 10, whole.count / 2, whole.count - 4, whole.count - 1] {
            let path = try folder.write(whole.prefix(length), to: "cut\(length).gz")
            let error = #expect(throws: Diagnostic.self) { try InputFile.read(path, for: "the spec") }
            #expect(error?.kind == .malformedInput, "\(length) bytes: \(String(describing: error))")
            #expect(error?.file == path)
            #expect(error?.message.contains("truncated") == true || error?.message.contains("damaged") == true,
                    "\(length) bytes: \(String(describing: error))")
        }
    }

    @Test func damagedGzipDataAndTrailingBytesAreRefused() throws {
        let folder = try ScratchFolder("input")
        var whole = try Data(contentsOf: URL(fileURLWithPath: try folder.writeGzipped(text, to: "whole.gz")))
        let trailing = try folder.write(whole + Data("junk".utf8), to: "trailing.gz")
        let afterData = #expect(throws: Diagnostic.self) { try InputFile.read(trailing, for: "the spec") }
        #expect(afterData?.kind == .malformedInput && afterData?.location == "byte \(whole.count)", "\(String(describing: afterData))")
        // A flipped byte in the middle of the deflate stream, or in the CRC-32 of the trailer.
        for offset in [whole.count / 2, whole.count - 6] {
            whole[offset] ^= 0x55
            let path = try folder.write(whole, to: "flipped\(offset).gz")
            let error = #expect(throws: Diagnostic.self) { try InputFile.read(path, for: "the spec") }
            #expect(error?.kind == .malformedInput && error?.file == path, "\(String(describing: error))")
            whole[offset] ^= 0x55
        }
    }

    @Test func emptyInputsReadAsNothing() throws {
        let folder = try ScratchFolder("input")
        let empty = try InputFile.read(try folder.write(Data(), to: "empty"), for: "the model")
        #expect(empty.bytes.isEmpty && !empty.wasCompressed)
        #expect(empty.preview == "it is empty")
        let emptyGzip = try InputFile.read(try folder.writeGzipped(Data(), to: "empty.gz"), for: "the model")
        #expect(emptyGzip.bytes.isEmpty && emptyGzip.wasCompressed)
        #expect(emptyGzip.preview == "its gzip data holds nothing")
    }

    /// A decompression bomb stops at the limit, with an error that says so (exit 66), before it fills memory.
    @Test func inputsLargerThanTheLimitAreRefused() throws {
        let folder = try ScratchFolder("input")
        let zeros = Data(count: 4 << 20)
        let bomb = try folder.writeGzipped(zeros, to: "bomb.gz")
        let compressedSize = try Data(contentsOf: URL(fileURLWithPath: bomb)).count
        #expect(compressedSize < 64 << 10)
        let inflated = #expect(throws: Diagnostic.self) { try InputFile.read(bomb, for: "the model", limit: 1 << 20) }
        #expect(inflated?.kind == .io && inflated?.file == bomb)
        #expect(inflated?.message.contains("inflates to more than 1 MiB") == true, "\(String(describing: inflated))")
        let raw = #expect(throws: Diagnostic.self) { try InputFile.read(try folder.write(zeros, to: "raw"), for: "the model", limit: 1 << 20) }
        #expect(raw?.kind == .io && raw?.message.contains("holds more than 1 MiB") == true, "\(String(describing: raw))")
        // At the limit exactly, both read.
        #expect(try InputFile.read(bomb, for: "the model", limit: 4 << 20).bytes == zeros)
    }

    /// The OS error in plain words from errno, with the file named, never Foundation's text.
    @Test func unreadableFilesSayWhyInPlainWords() throws {
        let folder = try ScratchFolder("input")
        var cases = [(folder.path("missing.onnx"), "no such file"), (folder.url.path, "is a directory"),
                     (try folder.write(Data(), to: "plain") + "/below", "a folder in the path is not a folder")]
        if getuid() != 0 {
            let locked = try folder.write(text, to: "locked.json")
            chmod(locked, 0)
            cases.append((locked, "permission denied"))
        }
        for (path, reason) in cases {
            let error = #expect(throws: Diagnostic.self) { try InputFile.read(path, for: "the model") }
            #expect(error?.kind == .io && error?.file == path, "\(String(describing: error))")
            #expect(error?.message == "cannot read the file (\(reason))", "\(String(describing: error))")
        }
    }

    /// A FIFO is read to its end like a file, and only once: a second read for the same purpose
    /// gets the same bytes without opening it again, one for another purpose is a usage error.
    @Test func aFIFOIsReadOnceAndKept() throws {
        let folder = try ScratchFolder("input")
        let fifo = folder.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            handle.write(self.text)
            try? handle.close()
        }
        writer.start()
        let first = try InputFile.read(fifo, for: "the spec")
        #expect(first.bytes == text)
        #expect(try InputFile.read(fifo, for: "the spec").bytes == text)
        let other = #expect(throws: Diagnostic.self) { try InputFile.read(fifo, for: "the input point") }
        #expect(other?.kind == .usage && other?.file == fifo, "\(String(describing: other))")
        #expect(other?.message.contains("already read for the spec") == true && other?.message.contains("give the input point as a file") == true,
                "\(String(describing: other))")
    }

    @Test func namesSayTheFormatWithoutTheirGzip() {
        func input(_ path: String) -> InputFile { InputFile(path: path, bytes: Data()) }
        #expect(input("nets/net.onnx.gz").nameExtension == "onnx")
        #expect(input("NET.ONNX").nameExtension == "onnx")
        #expect(input("net.gz").nameExtension == nil)
        #expect(input("/dev/fd/63").nameExtension == nil)
        #expect(input("-").nameExtension == nil && input("-").name == "<stdin>")
        #expect(InputFile.stem("nets/net.onnx.gz") == "net" && InputFile.stem("net.onnx") == "net" && InputFile.stem("-") == "stdin")
    }

    @Test func previewsSayWhatTheContentStartsWith() {
        #expect(InputFile(path: "a", bytes: Data("# Models\nmore".utf8)).preview == ##"it starts with the text "# Models""##)
        #expect(InputFile(path: "a", bytes: Data([0, 1, 2, 0xFF, 4, 5, 6, 7, 8, 9])).preview == "it starts with the bytes 00 01 02 ff 04 05 06 07")
        #expect(InputFile(path: "a", bytes: Data("{}".utf8), wasCompressed: true).preview == #"it starts once inflated with the text "{}""#)
    }

    @Test func systemErrorsHavePlainReasons() {
        #expect(SystemError.reason(ENOENT) == "no such file")
        #expect(SystemError.reason(EACCES) == "permission denied")
        #expect(SystemError.reason(EISDIR) == "is a directory")
        // A code without a reason of its own gets the C library's words, in lower case.
        #expect(SystemError.reason(ECONNREFUSED) == "connection refused")
    }
}
