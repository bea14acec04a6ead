import CHDF5
import Foundation
import Testing
import TestSupport

/// The build's C pieces: the committed protoc-c output and the HDF5 link.
@Suite struct GeneratedCodeTests {
    static var hasProtocC: Bool { ["/usr/bin/protoc-c", "/usr/local/bin/protoc-c"].contains(where: FileManager.default.isExecutableFile) }

    /// The C code in Sources/COnnx must be what protoc-c makes of schemas/onnx.proto today.
    @Test(.enabled(if: Requirements.inCI || Self.hasProtocC, "needs protoc-c (scripts/setup.sh installs it)"))
    func committedProtobufCodeMatchesTheSchema() throws {
        guard Self.hasProtocC else { throw Requirements.Unmet(description: "protoc-c is not installed: CI must run scripts/setup.sh") }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-onnx-c-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Tool.run("/bin/bash", [Paths.root.appendingPathComponent("scripts/regenerate-onnx-c.sh").path, out.path])
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["onnx.pb-c.c", "include/onnx.pb-c.h"] {
            let fresh = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            let committed = try String(contentsOf: Paths.root.appendingPathComponent("Sources/COnnx/\(file)"), encoding: .utf8)
            #expect(fresh == committed, "Sources/COnnx/\(file) is stale: run scripts/regenerate-onnx-c.sh")
        }
    }

    /// The CHDF5 system-library target compiles and links against libhdf5 (used by the Keras front end).
    @Test func hdf5IsLinked() {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        #expect(H5get_libversion(&major, &minor, &release) >= 0)
        #expect(major >= 1)
    }
}
