import Foundation
import Testing
import TestSupport

/// Input points as numpy's `tolist()` writes them (issue 14, section 5): arrays nested as the input's
/// shape are read wherever a point is (eval --input, solve --start, ball centers in files and in JSON
/// specs) and mean what the flat array means; a nesting that does not fit is refused with exit 65,
/// naming the file, the JSON path and the shape.
@Suite struct PointFormatTests {
    /// small_cnn's input has shape [1, 1, 8, 8].
    let cnn = "fixtures/onnx/small_cnn.onnx"
    let mlp = "fixtures/onnx/mlp_2x8.onnx"

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-points-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func write(_ text: String, _ folder: URL, _ name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// 64 distinct values, flat and nested [1, 1, 8, 8] and [1, 8, 8] (no batch dimension) as JSON text.
    let values = (0..<64).map { Double($0) / 64 - 0.3 }
    var flat: String { "\(values)" }
    var rows: [[Double]] { (0..<8).map { Array(values[($0 * 8)..<($0 * 8 + 8)]) } }
    var nested: String { "[[\(rows)]]" }
    var batchless: String { "[\(rows)]" }

    @Test func evalReadsNestedArraysAsTheFlatOnes() throws {
        let reference = try Tool.nnmip(["eval", cnn, "--input", "-", "--format", "json"], stdin: flat)
        #expect(reference.status == 0, "\(reference.stderr)")
        for point in [nested, batchless, #"{"X": \#(nested)}"#] {
            let result = try Tool.nnmip(["eval", cnn, "--input", "-", "--format", "json"], stdin: point)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == reference.stdout, "\(point.prefix(40))...: \(result.stdout) vs \(reference.stdout)")
        }
    }

    @Test(arguments: [
        // (point, JSON path in the message, what the message says is there)
        ("[[[[0.5, 0.5]]]]", "[0][0]: an array of 1 where one of 8 belongs", "cut rows"),
        ("[[[1, 2, 3]]]", "[0]: an array of 1 where one of 8 belongs", "one row, batchless"),
        ("[[[[[0.5]]]]]", "input 'X': arrays nested 5 deep", "too deep"),
        ("[0.5, 0.5]", "input 'X': 2 values given", "too few"),
    ])
    func aNestingThatDoesNotFitIsRefusedNamingThePathAndTheShape(point: String, message: String, kind: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write(point, folder, "x.json")
        let result = try Tool.nnmip(["eval", cnn, "--input", file])
        #expect(result.status == 65, "\(kind): \(result.status) \(result.stderr)")
        #expect(result.stderr.contains("nnmip: error: \(file): \(message)"), "\(kind): \(result.stderr)")
        #expect(result.stderr.contains("input 'X' has shape [1, 1, 8, 8]") && result.stderr.contains("one flat array of 64 numbers"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// A wrong row deep inside: the path points at it.
    @Test func theMessageNamesTheElementThatBreaksTheShape() throws {
        var broken = rows.map { "\($0)" }
        broken[5] = "[0.1, [0.2], 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]"
        let result = try Tool.nnmip(["eval", cnn, "--input", "-"], stdin: "[[[" + broken.joined(separator: ", ") + "]]]")
        #expect(result.status == 65 && result.stderr.contains("<stdin>: [0][0][5][1]: an array where a number belongs"), "\(result.stderr)")
    }

    /// The same ball around a nested center, from a point file and inline in a JSON spec, compiles to
    /// the same bytes as around the flat center; a misfit inside the spec names the spec's path.
    @Test func ballCentersMayBeNestedInFilesAndSpecs() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let flatFile = try write(flat, folder, "flat.json"), nestedFile = try write(nested, folder, "nested.json")
        func compile(_ domain: [String]) throws -> String {
            let result = try Tool.nnmip(["compile", cnn, "--maximize", "y0", "-o", "-", "--quiet"] + domain)
            #expect(result.status == 0, "\(domain): \(result.stderr)")
            return result.stdout
        }
        let reference = try compile(["--linf-ball", "\(flatFile):0.05"])
        #expect(reference.contains("ROWS"))
        #expect(try compile(["--linf-ball", "\(nestedFile):0.05"]) == reference)
        let spec = try write(#"{"linf_ball": {"center": \#(batchless), "epsilon": 0.05}}"#, folder, "spec.json")
        #expect(try compile(["--spec", spec]) == reference)

        let misfit = try write(#"{"linf_ball": {"center": {"X": [[[1, 2]]]}, "epsilon": 0.05}}"#, folder, "misfit.json")
        let refused = try Tool.nnmip(["compile", cnn, "--maximize", "y0", "-o", "-", "--spec", misfit])
        #expect(refused.status == 65 && refused.stderr.contains("\(misfit): linf_ball.center.X[0]: an array of 1 where one of 8 belongs"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
    }

    /// solve --start with mlp_2x8's [1, 4] input given as [[...]]: read and used as the flat point is.
    @Test(.needsHiGHS) func solveStartsFromANestedPoint() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let problem = ["solve", mlp, "--input-box", "-1:1", "--maximize", "y0", "--threads", "1", "--quiet"]
        let flatStart = try Tool.nnmip(problem + ["--start", try write("[0.5, -0.5, 0.25, 1]", folder, "flat.json")])
        let nestedStart = try Tool.nnmip(problem + ["--start", try write("[[0.5, -0.5, 0.25, 1]]", folder, "nested.json")])
        #expect(flatStart.status == 0 && nestedStart.status == 0, "\(flatStart.stderr)\(nestedStart.stderr)")
        #expect(textFields(nestedStart.stdout)["objective"] == textFields(flatStart.stdout)["objective"], "\(nestedStart.stdout)\n\(flatStart.stdout)")
        let wrong = try Tool.nnmip(problem + ["--start", try write("[[0.5, -0.5], [0.25, 1]]", folder, "wrong.json")])
        #expect(wrong.status == 65 && wrong.stderr.contains("wrong.json: the top level: an array of 2 where one of 1 belongs; input 'X' has shape [1, 4]"), "\(wrong.stderr)")
    }
}
