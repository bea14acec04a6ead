import Foundation
import NNIR
@testable import NNSpec
import TestSupport
import Testing

/// Seeded mutations of valid specs, VNN-LIB properties and JSON points: each must parse or be refused
/// with a diagnostic naming the file, never crash (issue 14; the model fuzzer is in BadInputTests).
@Suite struct SpecFuzzTests {
    let symbols = SymbolTable(graph: twoOutputGraph())

    /// Copies of `text` with bytes replaced, deleted, duplicated or swapped for JSON/VNN-LIB punctuation,
    /// and every prefix at a few hundred cut points.
    static func mutations(of text: String, count: Int, seed: UInt64) -> [Data] {
        let original = Array(text.utf8)
        var generator = SplitMix64(seed: seed)
        let alphabet = Array(#"{}[]():,"-+.eE0123456789 \nxyXY_inanfNaN<>=assertandor;"#.utf8)
        var variants: [Data] = stride(from: 0, to: original.count, by: max(1, original.count / 100)).map { Data(original.prefix($0)) }
        for _ in 0..<count {
            var copy = original
            for _ in 0..<(1 + Int(generator.next() % 4)) where !copy.isEmpty {
                let at = Int(generator.next() % UInt64(copy.count))
                switch generator.next() % 4 {
                case 0: copy[at] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: copy.remove(at: at)
                case 2: copy.insert(contentsOf: copy[at..<min(copy.count, at + 1 + Int(generator.next() % 8))], at: at)
                default: copy[at] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            variants.append(Data(copy))
        }
        return variants
    }

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-spec-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Mutated JSON specs, some naming a VNN-LIB file, one another or themselves.
    @Test func mutatedJSONSpecsNeverCrash() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "(declare-const X_0 Real)\n(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (>= Y_0 Y_1))\n"
            .write(toFile: dir.appendingPathComponent("p.vnnlib").path, atomically: true, encoding: .utf8)
        try #"{"input_box": [0, 1], "vnnlib": "s0.json"}"#.write(toFile: dir.appendingPathComponent("loop.json").path, atomically: true, encoding: .utf8)
        let example = try String(contentsOfFile: Paths.fixture("specs/two_output.spec.json"), encoding: .utf8)
        let seeds = [example, #"{"input_box": [-1, 1], "vnnlib": "p.vnnlib", "maximize": "y0 - y1"}"#,
                     #"{"vnnlib": "loop.json", "constraints": ["y0 >= 0.5"], "linf_ball": {"center": [0, 0, 0, 0], "epsilon": 0.1}}"#]
        var refused = 0, read = 0
        for (s, seed) in seeds.enumerated() {
            for (i, bytes) in Self.mutations(of: seed, count: 700, seed: UInt64(s + 1) &* 0x9E37_79B9).enumerated() {
                let path = dir.appendingPathComponent("s\(i % 2).json").path
                try bytes.write(to: URL(fileURLWithPath: path))
                var builder = SpecBuilder(symbols: symbols)
                do {
                    try builder.addSpecFile(path: path)
                    _ = builder.finish()
                    read += 1
                } catch let diagnostic as Diagnostic {
                    refused += 1
                    #expect(diagnostic.file != nil || diagnostic.location?.contains(".json") == true, "\(diagnostic)")
                }
            }
        }
        #expect(refused > 0 && read > 0, "\(read) read, \(refused) refused: the mutations must reach both outcomes")
    }

    @Test func mutatedVNNLibPropertiesNeverCrash() throws {
        let property = """
            ; a property
            (declare-const X_0 Real)
            (declare-const X_1 Real)
            (declare-const X_2 Real)
            (declare-const X_3 Real)
            (declare-const Y_0 Real)
            (declare-const Y_1 Real)
            (assert (<= X_0 1.0))
            (assert (>= X_0 -1.0))
            (assert (and (<= X_1 0.5) (>= X_1 -0.5) (<= X_2 1) (>= X_2 0) (<= X_3 1) (>= X_3 0)))
            (assert (or (and (>= Y_0 Y_1)) (and (<= Y_1 -0.25) (>= Y_0 1e-3))))
            """
        var refused = 0
        for bytes in Self.mutations(of: property, count: 2000, seed: 0x5EED) {
            do {
                _ = try VNNLibParser(path: "p.vnnlib", symbols: symbols).parse(bytes)
            } catch let diagnostic as Diagnostic {
                refused += 1
                #expect(diagnostic.description.contains("p.vnnlib"), "\(diagnostic)")
            }
        }
        #expect(refused > 0)
    }

    @Test func mutatedJSONPointsNeverCrash() throws {
        let seeds = ["[0.1, -0.2, 0.3, 0.5]", #"{"X": [1e-3, 2.5e2, -0, 7]}"#, "[[[0.1, -0.2], [0.3, 0.5]]]"]
        var refused = 0, read = 0
        for (s, seed) in seeds.enumerated() {
            for bytes in Self.mutations(of: seed, count: 1000, seed: UInt64(s) &+ 0xF00D) {
                do {
                    let point = try InputVectors.parse(bytes, source: "x.json", symbols: symbols)
                    #expect(point.map(\.count) == [4], "a point that parses fits the input")
                    read += 1
                } catch let diagnostic as Diagnostic {
                    refused += 1
                    #expect(diagnostic.description.contains("x.json"), "\(diagnostic)")
                }
            }
        }
        #expect(refused > 0 && read > 0, "\(read) read, \(refused) refused")
    }
}
