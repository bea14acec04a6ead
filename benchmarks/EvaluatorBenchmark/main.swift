// Throughput of the network evaluations the searches make (benchmarks/evaluator.sh runs it):
// points/s of the reference Evaluator one point at a time and of BatchEvaluator on batches, and
// gradient steps/s (one forward evaluation and one InputGradient backward pass per step, as
// ProjectedGradient takes them). Points are seeded uniform draws from [0, 1]^inputs.
//
//   nnmip-evaluator-benchmark MODEL.onnx [SECONDS_PER_FIGURE]
import Foundation
import NNMIPKit

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: nnmip-evaluator-benchmark MODEL.onnx [SECONDS_PER_FIGURE]\n".utf8))
    exit(2)
}
let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 2 : 2
let graph = try ModelLoader.load(arguments[1]).graph
var generator = SplitMix64(seed: 7)
let sizes = graph.inputs.map { graph[$0].elementCount }
let points = (0..<1_000).map { _ in sizes.map { n in (0..<n).map { _ in generator.nextUnit() } } }

/// Repeats `work` (which handles `per` points) for about `seconds` and returns points per second.
func rate(per: Int, _ work: (Int) throws -> Void) rethrows -> Double {
    let start = MonotonicClock.now()
    var done = 0, round = 0
    while MonotonicClock.now() - start < seconds {
        try work(round)
        done += per
        round += 1
    }
    return Double(done) / (MonotonicClock.now() - start)
}

func show(_ label: String, _ value: Double, _ unit: String) {
    print(label.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%10.0f %@", value, unit))
}

let reference = Evaluator(graph: graph)
let batch = BatchEvaluator(graph: graph)
let gradient = InputGradient(graph: graph)
let outputWeights = graph.outputs.enumerated().map { t, output in
    (0..<graph[output.value].elementCount).map { $0 == 0 && t == 0 ? 1.0 : 0 }
}
print("\(arguments[1]): \(graph.nodes.count) nodes, \(sizes) inputs")
show("reference Evaluator, one point at a time", try rate(per: 1) { _ = try reference.evaluate(inputs: points[$0 % points.count]) }, "points/s")
for size in [10, 100] {
    let batches = stride(from: 0, to: points.count, by: size).map { Array(points[$0..<min(points.count, $0 + size)]) }
    show("BatchEvaluator, batches of \(size)", try rate(per: size) { _ = try batch.evaluate(points: batches[$0 % batches.count]) }, "points/s")
}
show("gradient steps, reference forward", try rate(per: 1) {
    _ = gradient.gradient(values: try reference.evaluateAll(inputs: points[$0 % points.count]), outputWeights: outputWeights)
}, "steps/s")
show("gradient steps, BatchEvaluator forward", try rate(per: 1) {
    _ = gradient.gradient(values: try batch.evaluateAll(inputs: points[$0 % points.count]), outputWeights: outputWeights)
}, "steps/s")
