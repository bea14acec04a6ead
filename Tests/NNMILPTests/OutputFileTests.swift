import Foundation
import Testing
import TestSupport
import NNIR
import NNInput
import NNMILP

/// Outputs of several MiB, which `OutputFile` writes on a thread of its own while the caller fills
/// the next buffer: the bytes arrive whole and in order, failures still reach `commit()`, and a
/// discarded output leaves nothing behind.
@Suite struct OutputFileTests {
    /// About 6 MiB in the ways the writers write: reserved pieces, strings, and one piece larger
    /// than a buffer (written directly once the thread has caught up). Returns the bytes expected.
    static func fill(_ out: OutputFile) -> [UInt8] {
        var expected: [UInt8] = []
        for line in 0..<200_000 {
            let text = "line \(line) of the model\n"
            if line % 2 == 0 {
                let p = out.reserve(text.utf8.count)
                for (i, byte) in text.utf8.enumerated() { p[i] = byte }
                out.advance(text.utf8.count)
            } else {
                out.write(text)
            }
            expected += Array(text.utf8)
            if line == 100_000 {
                let large = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
                large.withUnsafeBytes { out.write($0) }
                expected += large
            }
        }
        return expected
    }

    @Test func aLargeOutputArrivesWholeAndInOrder() throws {
        let folder = try ScratchFolder("output-file")
        for name in ["model.mps", "model.mps.gz"] {
            let path = folder.path(name)
            let out = try OutputFile(path: path)
            let expected = Self.fill(out)
            try out.commit()
            let read = try InputFile.read(path, for: "the written model")
            #expect(read.wasCompressed == name.hasSuffix(".gz"))
            #expect(Array(read.bytes) == expected, "\(name): \(read.bytes.count) bytes read, \(expected.count) written")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["model.mps", "model.mps.gz"])
    }

    @Test func aFullDeviceFailsTheCommitNamingTheFile() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { return }
        let out = try OutputFile(path: "/dev/full")
        _ = Self.fill(out)
        #expect {
            try out.commit()
        } throws: { error in
            "\(error)".contains("/dev/full") && "\(error)".contains("cannot write the file")
        }
    }

    @Test func aDiscardedLargeOutputLeavesNoFile() throws {
        let folder = try ScratchFolder("output-file")
        let out = try OutputFile(path: folder.path("model.mps"))
        _ = Self.fill(out)
        out.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }
}
