import Foundation
import Testing
import TestSupport

/// `verify` on networks that end in Softmax or LogSoftmax: a property that compares the output's
/// elements means the same on the logits, so it is verified there (the same answers as on the
/// network cut at its logits) and a counterexample shows the normalized outputs the model computes;
/// a property that compares them with anything else is refused, naming its line.
@Suite(.serialized, .needsHiGHS) struct FinalSoftmaxVerificationTests {
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-softmax-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A VNN-LIB file over [-1, 1]^4 and outputs Y_0..Y_2 with `assertion` last.
    private func property(_ assertion: String, in folder: URL) throws -> String {
        var text = (0..<4).map { "(declare-const X_\($0) Real)\n" }.joined() + (0..<3).map { "(declare-const Y_\($0) Real)\n" }.joined()
        text += (0..<4).map { "(assert (<= X_\($0) 1.0))\n(assert (>= X_\($0) -1.0))\n" }.joined() + assertion + "\n"
        let path = folder.appendingPathComponent("p\(abs(assertion.hashValue)).vnnlib").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The answer line and the counterexample's (X, Y) values.
    private func verify(_ model: String, _ property: String) throws -> (answer: String, x: [Double], y: [Double]) {
        let run = try Tool.nnmip(["verify", model, property, "--timeout", "30", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        func values(_ prefix: String) -> [Double] {
            lines.filter { $0.contains("(\(prefix)_") }.compactMap { Double($0.split(separator: " ").last?.trimmingCharacters(in: CharacterSet(charactersIn: "()")) ?? "") }
        }
        return (lines.first ?? "", values("X"), values("Y"))
    }

    @Test(arguments: [("softmax_tail", ["(assert (>= Y_0 Y_1))", "(assert (>= Y_1 Y_0))", "(assert (and (>= Y_2 Y_0) (>= Y_2 Y_1)))"]),
                      ("logsoftmax_tail", ["(assert (>= (- Y_0 Y_1) 0.3))", "(assert (<= (- Y_2 Y_0) -2.0))"])])
    func comparisonsOfTheOutputsAreVerifiedOnTheLogits(fixture: String, assertions: [String]) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = Paths.fixture("onnx/\(fixture).onnx")
        let logits = folder.appendingPathComponent("logits.nnir").path
        let cut = try Tool.nnmip(["compile", model, "--output", "logits", "--emit-ir", "--ir-full-weights", "-o", logits])
        #expect(cut.status == 0, "\(cut.stderr)")
        var answers: Set<String> = []
        for assertion in assertions {
            let file = try property(assertion, in: folder)
            let (answer, x, y) = try verify(model, file)
            let onLogits = try verify(logits, file)
            #expect(answer == onLogits.answer, "\(fixture) \(assertion): \(answer) on the model, \(onLogits.answer) on its logits")
            answers.insert(answer)
            guard answer == "sat" else { continue }
            // The counterexample's outputs are the model's own: onnxruntime's normalization of the logits there.
            let evaluated = try Tool.nnmip(["eval", logits, "--input", "[\(x.map { "\($0)" }.joined(separator: ","))]"])
            let z = evaluated.stdout.split(separator: "\n").compactMap { Double($0) }
            let top = z.max()!, logSum = top + log(z.map { exp($0 - top) }.reduce(0, +))
            let expected = fixture == "softmax_tail" ? z.map { exp($0 - logSum) } : z.map { $0 - logSum }
            #expect(y.count == 3 && zip(y, expected).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(fixture) \(assertion): Y \(y), expected \(expected)")
        }
        #expect(answers.contains("sat"), "\(fixture): no property was sat, so the counterexamples went unchecked")
    }

    @Test func aSoftmaxOutputComparedWithAConstantIsRefusedNamingTheLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try property("(assert (>= Y_0 0.5))", in: folder)
        let run = try Tool.nnmip(["verify", Paths.fixture("onnx/softmax_tail.onnx"), file])
        #expect(run.status == 1, "\(run.status): \(run.stderr)")
        // The assertion is the property's 16th line (7 declarations and 8 input bounds before it).
        #expect(run.stderr.contains(file + ":16:") && !run.stderr.contains(file + ": " + file) && run.stderr.contains("Softmax output 'probs'")
                && run.stderr.contains("Y_i >= Y_j"), "\(run.stderr)")
    }
}
