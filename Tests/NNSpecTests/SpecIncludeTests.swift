import Foundation
import NNIR
@testable import NNSpec
import TestSupport
import Testing

/// Spec files that name spec files (a JSON spec's `vnnlib` key): a cycle or a
/// chain deeper than the limit ends with a diagnostic naming it, never with a
/// stack overflow (issue 14).
@Suite struct SpecIncludeTests {
    let symbols = SymbolTable(graph: twoOutputGraph())

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-includes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func refusal(_ path: String) -> Diagnostic? {
        var builder = SpecBuilder(symbols: symbols)
        return #expect(throws: Diagnostic.self) { try builder.addSpecFile(path: path) }
    }

    @Test func aSpecNamingItselfIsACycle() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.json").path
        try #"{"vnnlib": "a.json"}"#.write(toFile: a, atomically: true, encoding: .utf8)
        let error = refusal(a)
        #expect(error?.kind == .malformedInput)
        #expect(error?.message == "the spec files include each other in a cycle: \(a) → \(a)", "\(String(describing: error))")
    }

    @Test func twoSpecsNamingEachOtherAreACycleThroughBoth() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
        try #"{"input_box": [0, 1], "vnnlib": "b.json"}"#.write(toFile: a, atomically: true, encoding: .utf8)
        try #"{"vnnlib": "./a.json"}"#.write(toFile: b, atomically: true, encoding: .utf8)
        let error = refusal(a)
        #expect(error?.kind == .malformedInput && error?.file == b, "\(String(describing: error))")
        #expect(error?.message.hasSuffix("a.json → \(b) → \(a)") == true, "\(String(describing: error))")
    }

    /// The same file by another name (a symlink) is the same file: identity is the device and inode.
    @Test func aSymlinkToTheSameFileIsACycle() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.json").path, link = dir.appendingPathComponent("link.json").path
        try #"{"vnnlib": "link.json"}"#.write(toFile: a, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: a)
        let error = refusal(a)
        #expect(error?.message == "the spec files include each other in a cycle: \(a) → \(a)", "\(String(describing: error))")
        #expect(error?.file == a)
    }

    @Test func aChainDeeperThanTheLimitIsRefused() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let depth = SpecIncludes.depthLimit + 4
        for i in 0..<depth {
            let body = i + 1 < depth ? #"{"vnnlib": "s\#(i + 1).json"}"# : #"{"input_box": [0, 1]}"#
            try body.write(toFile: dir.appendingPathComponent("s\(i).json").path, atomically: true, encoding: .utf8)
        }
        let error = refusal(dir.appendingPathComponent("s0.json").path)
        #expect(error?.kind == .malformedInput)
        #expect(error?.message.contains("nest more than \(SpecIncludes.depthLimit) deep") == true, "\(String(describing: error))")
        // A chain within the limit, naming the same file twice in sequence (not a cycle), is read.
        for i in 0..<3 {
            let body = i < 2 ? #"{"vnnlib": "t\#(i + 1).json"}"# : #"{"input_box": [0, 1]}"#
            try body.write(toFile: dir.appendingPathComponent("t\(i).json").path, atomically: true, encoding: .utf8)
        }
        var builder = SpecBuilder(symbols: symbols)
        try builder.addSpecFile(path: dir.appendingPathComponent("t0.json").path)
        try builder.addSpecFile(path: dir.appendingPathComponent("t2.json").path)
        #expect(builder.finish().inputBounds[0]?.upper == [1, 1, 1, 1])
    }
}
