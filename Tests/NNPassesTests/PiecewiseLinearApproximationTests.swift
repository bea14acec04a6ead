import Foundation
import NNMIPKit
@testable import NNPasses
import TestSupport
import Testing

/// `pwl-approx` and the bounds of smooth activations: the interpolant worked out by hand, the
/// breakpoints where the curvature is, the certified error band, the enclosure holding the smooth
/// network's values on 10,000 samples, and bounds-symbolic/bounds-alpha sound on smooth networks.
@Suite struct PiecewiseLinearApproximationTests {
    static let functions: [SmoothFunction] = [
        .sigmoid, .tanh, .softplus, .silu, .gelu(tanhApproximation: false), .elu(alpha: 0.5),
        .selu(alpha: SmoothFunction.seluAlpha, gamma: SmoothFunction.seluGamma), .hardSwish,
    ]

    /// One piece of sigmoid on [-2, 2] is its chord: slope (σ(2) − σ(−2)) / 4, through (0, 1/2); the
    /// largest distance to it is where σ' equals that slope, 0.19040: σ(x) = 1/2 + √(1/4 − 0.19040) =
    /// 0.74413, so x = ln(0.74413 / 0.25587) = ±1.06757, where σ is 0.040871 above the chord.
    @Test func onePieceIsTheChordWithItsErrorCertified() {
        let p = Interpolant(.sigmoid, lower: -2, upper: 2, segments: 1)
        let s2 = 1 / (1 + exp(-2.0))
        #expect(abs(p.slope - (2 * s2 - 1) / 4) < 1e-15)
        #expect(abs(p.constant - 0.5) < 1e-15)
        #expect(p.kinks.isEmpty)
        let x = 1.06757, worst = 1 / (1 + exp(-x)) - 0.5 - p.slope * x
        #expect(abs(worst - 0.040871) < 1e-6)
        // Certified from 16 samples: at most the curvature term 0.0963 · (4/16)² / 8 = 7.5e-4 above it.
        #expect(p.error.upper >= worst && p.error.upper <= worst + 7.6e-4, "\(p.error)")
        #expect(p.error.lower <= -worst && p.error.lower >= -worst - 7.6e-4, "\(p.error)")
    }

    @Test func theBreakpointsFollowTheCurvature() {
        // tanh bends most near ±0.66 and hardly at all beyond ±3: the pieces there are the longest.
        let points = Interpolant.breakpoints(.tanh, -6, 6, segments: 8)
        #expect(points.count == 9 && points.first == -6 && points.last == 6)
        let widths = zip(points.dropFirst(), points).map { $0 - $1 }
        #expect(widths[0] > 2 * widths[3] && widths[7] > 2 * widths[4], "\(points)")
        // Placed so, eight pieces are closer to tanh than eight even ones.
        let placed = Interpolant(.tanh, lower: -6, upper: 6, segments: 8)
        let even = (0...8).map { -6 + 1.5 * Double($0) }
        let evenError = even.indices.dropLast().map { j -> Double in
            let (a, b) = (even[j], even[j + 1])
            let slope = (tanh(b) - tanh(a)) / (b - a)
            return (0...1000).map { i -> Double in let x = a + (b - a) * Double(i) / 1000; return abs(tanh(x) - tanh(a) - slope * (x - a)) }.max()!
        }.max()!
        #expect(placed.largestError < 0.6 * evenError, "placed \(placed.largestError), even \(evenError)")
    }

    /// A kink is a breakpoint: HardSwish's at -3 and 3, ELU's at 0.
    @Test func theKinksAreBreakpoints() {
        #expect(Set(Interpolant.breakpoints(.hardSwish, -5, 5, segments: 6)).isSuperset(of: [-3, 3]))
        #expect(Interpolant.breakpoints(.elu(alpha: 0.5), -2, 1, segments: 4).contains(0))
        #expect(Interpolant.breakpoints(.hardSwish, -5, 5, segments: 6).count == 7)
    }

    @Test(arguments: functions)
    func theErrorBandHoldsTheFunctionAndShrinksWithMorePieces(function: SmoothFunction) {
        var previous = Double.infinity
        for segments in [2, 4, 8, 16] {
            let p = Interpolant(function, lower: -4, upper: 3, segments: segments)
            for i in 0...10_000 {
                let x = -4 + 7 * Double(i) / 10_000
                let d = function.value(x) - p.value(x)
                #expect(p.error.lower <= d && d <= p.error.upper, "\(function.name), \(segments) pieces: f − P = \(d) at \(x) outside \(p.error)")
            }
            #expect(p.largestError < previous, "\(function.name): \(segments) pieces no better than fewer")
            previous = p.largestError
        }
        #expect(previous < 0.02, "\(function.name): 16 pieces leave \(previous)")
    }

    func approximated(_ graph: Graph, pipeline: String) throws -> (Graph, PassContext) {
        var graph = graph
        var context = PassContext()
        try PassManager(pipeline: try Pipeline(parsing: pipeline)).run(on: &graph, context: &context)
        try Verifier.verify(graph)
        return (graph, context)
    }

    /// The enclosure's bounds hold every value of the smooth network, and its output band holds the
    /// smooth output at 10,000 samples; the interpolant is within the remarked error of the network.
    @Test(arguments: functions)
    func theEnclosureHoldsTheSmoothNetwork(function: SmoothFunction) throws {
        let smooth = SmoothNetworks.mlp(function, widths: [3, 6, 5, 2], seed: 9)
        let (enclosure, context) = try approximated(smooth, pipeline: "bounds-symbolic,pwl-approx{segments=6,enclosure=true},bounds-symbolic")
        #expect(!enclosure.nodes.contains { if case .smooth = $0.operation { true } else { false } })
        #expect(enclosure.nodes.contains { if case .band = $0.operation { true } else { false } })
        #expect(context.remarks.contains { $0.message.contains("largest error") }, "\(context.remarks)")
        let (coarse, _) = try approximated(smooth, pipeline: "bounds-symbolic,pwl-approx{segments=4},bounds-symbolic")
        let (fine, _) = try approximated(smooth, pipeline: "bounds-symbolic,pwl-approx{segments=16},bounds-symbolic")
        let outputBounds = try #require(enclosure[enclosure.outputs[0].value].bounds)
        let network = Evaluator(graph: smooth), surrogates = [Evaluator(graph: coarse), Evaluator(graph: fine)]
        var largestGap = [0.0, 0.0]
        for point in SmoothNetworks.samples(of: smooth, count: 10_000, seed: 4) {
            let y = try network.evaluate(inputs: point)[0]
            for k in y.indices {
                #expect(outputBounds.lower[k] <= y[k] && y[k] <= outputBounds.upper[k], "\(function.name): y\(k) = \(y[k]) outside the enclosure's bounds")
            }
            for (s, surrogate) in surrogates.enumerated() {
                let p = try surrogate.evaluate(inputs: point)[0]
                largestGap[s] = max(largestGap[s], zip(y, p).map { abs($0 - $1) }.max()!)
            }
        }
        // Four times the pieces bring the interpolant at least four times closer (for smooth pieces, 16).
        #expect(largestGap[1] < largestGap[0] / 4, "\(function.name): 4 pieces \(largestGap[0]) away, 16 pieces \(largestGap[1])")
    }

    @Test(arguments: functions)
    func symbolicAndAlphaBoundsAreSoundOnSmoothNetworks(function: SmoothFunction) throws {
        let smooth = SmoothNetworks.mlp(function, widths: [4, 10, 10, 3], seed: 21)
        let (interval, _) = try approximated(smooth, pipeline: "bounds-ia")
        let (symbolic, _) = try approximated(smooth, pipeline: "bounds-symbolic")
        let (alpha, _) = try approximated(smooth, pipeline: "bounds-symbolic,bounds-alpha{iterations=10}")
        let evaluator = Evaluator(graph: smooth)
        for point in SmoothNetworks.samples(of: smooth, count: 10_000, seed: 8) {
            for (index, value) in try evaluator.evaluateAll(inputs: point).enumerated() {
                for graph in [interval, symbolic, alpha] {
                    let b = graph.nodes[index].bounds!
                    for k in value.indices where !(b.lower[k] <= value[k] && value[k] <= b.upper[k]) {
                        Issue.record("\(function.name): %\(index)[\(k)] = \(value[k]) outside [\(b.lower[k]), \(b.upper[k])]")
                    }
                }
            }
        }
        // The certified lines beat interval arithmetic on the output.
        let output = smooth.outputs[0].value.index
        let widthOf = { (g: Graph) in zip(g.nodes[output].bounds!.upper, g.nodes[output].bounds!.lower).map(-).reduce(0, +) }
        #expect(widthOf(symbolic) < widthOf(interval), "\(function.name): symbolic \(widthOf(symbolic)), interval \(widthOf(interval))")
    }

    @Test func anUnboundedInputIsRefusedWithTheNodeNamed() throws {
        var smooth = SmoothNetworks.mlp(.tanh, widths: [2, 3, 1], seed: 1)
        smooth.nodes[0].bounds = nil
        smooth.nodes[2].location = "hidden_tanh"
        var context = PassContext()
        let error = #expect(throws: Diagnostic.self) { try PiecewiseLinearApproximationPass(options: PassOptionValues(pass: "pwl-approx", options: PiecewiseLinearApproximationPass.options, given: [])).run(on: &smooth, context: &context) }
        #expect(error?.description.contains("bounded inputs") == true, "\(String(describing: error))")
    }
}
