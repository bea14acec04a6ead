import Foundation
import NNMIPKit
import TestSupport
import Testing

/// IR file tests, after Cranelift's filetests and LLVM's FileCheck: each file
/// under Golden/ holds a `; RUN: PIPELINE` line, the input IR, and after a
/// `; CHECK-IR-AFTER:` line the IR the pipeline gives and its remarks.
/// `NNMIP_BLESS=1` rewrites the expected part. Besides the text, the test
/// checks that the rewritten graph computes what the input graph computes
/// (on random points of the input box) and passes the verifier.
@Suite struct PassGoldenTests {
    static let folder = "Tests/NNPassesTests/Golden"
    static let separator = "; CHECK-IR-AFTER:\n"

    static var files: [String] {
        let path = Paths.root.appendingPathComponent(folder).path
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".test") }.sorted()
    }

    @Test(arguments: files)
    func passOutputMatchesItsGoldenFile(file: String) throws {
        let text = try String(contentsOf: Paths.root.appendingPathComponent("\(Self.folder)/\(file)"), encoding: .utf8)
        let input = text.components(separatedBy: Self.separator)[0]
        let run = try #require(input.split(separator: "\n").first { $0.hasPrefix("; RUN: ") }, "\(file) has no '; RUN: ' line")
        let pipeline = try Pipeline(parsing: String(run.dropFirst("; RUN: ".count)))
        let headerRange = try #require(input.range(of: IRPrinter.header), "\(file) has no IR header")
        let original = try IRParser(fileName: file).parse(String(input[headerRange.lowerBound...]))
        try Verifier.verify(original)

        var graph = original
        var context = PassContext()
        if pipeline.entries.contains(where: { $0.name == LPBoundsPass.name }) {
            let library = try EmbeddedHiGHS.require()
            context.linearRelaxations = HiGHSLinearRelaxations(library: library)
        }
        try PassManager(pipeline: pipeline).run(on: &graph, context: &context)
        try Verifier.verify(graph)
        let remarks = context.remarks.map { "; remark: \($0.pass): \($0.message)\n" }.joined()
        let actual = input + Self.separator + IRPrinter().print(graph) + remarks
        let mismatch = try goldenMismatch(actual, file: "\(Self.folder)/\(file)")
        #expect(mismatch == nil, "\(mismatch ?? "")")

        // The same function on the input box (or [-1, 1] when the inputs have no bounds), unless a pass
        // of the pipeline builds a surrogate on purpose.
        guard pipeline.entries.allSatisfy({ PassRegistry.pass(named: $0.name)?.preservesFunction ?? true }) else { return }
        var generator = SplitMix64(seed: 17)
        let before = Evaluator(graph: original), after = Evaluator(graph: graph)
        for _ in 0..<200 {
            let point = original.inputs.map { input in
                let bounds = original[input].bounds
                return (0..<original[input].elementCount).map { k in
                    let (l, u) = bounds.map { ($0.lower[k], $0.upper[k]) } ?? (-1, 1)
                    return l + (u - l) * generator.nextUnit()
                }
            }
            let expected = try before.evaluate(inputs: point), got = try after.evaluate(inputs: point)
            for (e, g) in zip(expected.joined(), got.joined()) {
                #expect(abs(e - g) <= 1e-12 * max(1, abs(e)), "\(file): \(g) instead of \(e) at \(point)")
            }
        }
    }
}
