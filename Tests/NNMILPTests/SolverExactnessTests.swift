import Foundation
import NNMIPKit
import TestSupport
import Testing

/// The compiled MILP is exact for the network: with the inputs fixed to a
/// point (after bounds were computed over a whole box, so the big-M rows are
/// really there), a real solver's output variables equal the reference
/// evaluator's outputs. A network with smooth activations is checked through
/// its piecewise-linear surrogate, which is what its MILP formulates.
@Suite(.serialized) struct SolverExactnessTests {
    static let tolerance = 1e-6

    /// Fixes the inputs of `formulation` to `point`, writes it in `format`, solves with `solver`,
    /// and returns the first output that differs from the evaluator (nil when all agree).
    static func mismatch(_ item: NetworkCase, _ formulation: Formulation, point: [[Double]],
                         solver: Solver, format: MILPFileFormat, folder: URL) throws -> String? {
        var model = formulation.model
        for (t, input) in formulation.names.inputs.enumerated() {
            for (k, column) in input.columns.enumerated() { model.setBounds(column, lower: point[t][k], upper: point[t][k]) }
        }
        let naming: NamingStyle = format == .fixedMPS ? .short : .readable
        let path = folder.appendingPathComponent(item.name.replacingOccurrences(of: "/", with: "_") + "." + format.rawValue + (format == .lp ? ".lp" : ".mps")).path
        try format.write(model, to: path, naming: naming, comments: [])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let names = model.columnNames(naming)
        let solution = try solver.solve(path, fixedMPS: format == .fixedMPS)
        guard solution.optimal else { return "\(solver) \(format): status \(solution.status)" }
        let expected = try Evaluator(graph: item.graph).evaluate(inputs: point)
        for (j, output) in formulation.names.outputs.enumerated() {
            for (k, column) in output.columns.enumerated() {
                // CBC leaves zero columns out of its solution file.
                let value = solution.values[names[column]] ?? (solver == .cbc ? 0 : .nan)
                let want = expected[j][k]
                // Fixed MPS rounds numbers to 12 characters, so only free MPS and LP are held to 1e-6.
                let tolerance = format == .fixedMPS ? 1e-4 : Self.tolerance
                if !(abs(value - want) <= tolerance * max(1, abs(want))) {
                    return "\(solver) \(format): output '\(output.name)'[\(k)] = \(value), evaluator \(want)"
                }
            }
        }
        return nil
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-solver-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Checks every case. With `boundsFromPoint` the bounds are computed over the point itself, so
    /// every ReLU is stable and the MILP is an LP: that checks how solvers read the numbers and rows
    /// of large networks without asking them to branch.
    static func check(_ cases: [NetworkCase], solvers: [Solver], formats: [MILPFileFormat], allPoints: Bool,
                      boundsFromPoint: Bool = false) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for item in try cases.map({ try $0.piecewiseLinear() }) {
            let overTheBox = try Compilation.formulate(item.graph, spec: item.spec)
            for (n, point) in item.points.enumerated() where allPoints || n == 0 {
                var spec = item.spec
                if boundsFromPoint { spec.inputBounds = point.map { Bounds(lower: $0, upper: $0) } }
                let formulation = boundsFromPoint ? try Compilation.formulate(item.graph, spec: spec) : overTheBox
                for solver in solvers {
                    for format in formats where Self.knownSolverFaults[SolverRun(fixture: item.name, solver: solver, format: format)] == nil {
                        let problem = try mismatch(item, formulation, point: point, solver: solver, format: format, folder: folder)
                        #expect(problem == nil, "\(item.name), point \(n): \(problem ?? "")")
                    }
                }
            }
        }
    }

    /// One solver reading one fixture's file in one format.
    struct SolverRun: Hashable {
        var fixture: String
        var solver: Solver
        var format: MILPFileFormat
    }

    /// Runs left out because the solver, not the file, is wrong, with the evidence.
    static let knownSolverFaults: [SolverRun: String] = [
        SolverRun(fixture: "fixtures/tf2onnx/dense_merges.onnx", solver: .glpk, format: .lp):
            "GLPK 5.0's MIP presolver calls the LP file with the inputs fixed infeasible; the same model as MPS, GLPK with --nointopt, CBC and HiGHS all solve it, to the evaluator's value",
    ]

    @Test(.needs(.highs)) func highsMatchesTheEvaluatorOnEveryFixture() throws {
        try Solver.highs.require()
        let cases = try NetworkCase.fixtures()
        #expect(cases.count >= 45)
        try Self.check(cases, solvers: [.highs], formats: [.mps], allPoints: true)
    }

    @Test(.needs(.cbc), .needs(.glpk)) func cbcAndGLPKReadEveryFixtureInEveryFormat() throws {
        let solvers = [Solver.cbc, .glpk]
        for solver in solvers { try solver.require() }
        try Self.check(try NetworkCase.fixtures(), solvers: solvers, formats: [.mps, .lp], allPoints: false)
    }

    /// Fixed MPS rounds numbers to 12 characters, so a point fixed exactly may become infeasible;
    /// instead each solver optimizes over the box and must find the free-MPS optimum (to 1e-4).
    @Test(.needs(.highs), .needs(.cbc), .needs(.glpk), arguments: ["mlp_tiny", "mlp_2x8", "leaky_relu_alpha02", "maxpool_pads_strides"])
    func fixedMPSMeansTheSameModel(fixture: String) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let item = try #require(try NetworkCase.fixtures().first { $0.name == "fixtures/onnx/\(fixture).onnx" })
        let model = try Compilation.formulate(item.graph, spec: item.spec).model
        let free = folder.appendingPathComponent("free.mps").path, fixed = folder.appendingPathComponent("fixed.mps").path
        try MILPFileFormat.mps.write(model, to: free, naming: .readable, comments: [])
        try MILPFileFormat.fixedMPS.write(model, to: fixed, naming: .short, comments: [])
        for solver in Solver.allCases {
            try solver.require()
            let reference = try solver.solve(free), rounded = try solver.solve(fixed, fixedMPS: true)
            #expect(reference.optimal && rounded.optimal, "\(solver): \(reference.status) / \(rounded.status)")
            let (a, b) = (reference.objective ?? .nan, rounded.objective ?? .nan)
            #expect(abs(a - b) <= 1e-4 * max(1, abs(a)), "\(solver): free MPS optimum \(a), fixed MPS \(b)")
        }
    }

    @Test(.needsRealnets, .needs(.highs)) func highsMatchesTheEvaluatorOnEveryRealNetwork() throws {
        let folder = try Realnets.require()
        try Solver.highs.require()
        let cases = try NetworkCase.realnets(folder)
        #expect(cases.count >= 50)
        try Self.check(cases, solvers: [.highs], formats: [.mps, .lp], allPoints: true)
    }

    /// A domain that is a single point leaves the solver no slack between the bounds the passes
    /// computed and the rows it evaluates itself: every solver must still find the network's value
    /// feasible (a MILP declared infeasible there would be a wrong `unsat` in `verify`).
    @Test(.needsRealnets, .needs(.highs), .needs(.cbc), .needs(.glpk)) func aDomainOfOnePointIsFeasibleInEverySolver() throws {
        let folder = try Realnets.require()
        for solver in Solver.allCases { try solver.require() }
        let cases = try NetworkCase.realnets(folder).map { item in
            var twoPoints = item
            twoPoints.points = Array(item.points.prefix(2))
            return twoPoints
        }
        #expect(cases.allSatisfy { $0.points.count == 2 })
        try Self.check(cases, solvers: Solver.allCases, formats: [.mps], allPoints: true, boundsFromPoint: true)
    }

    /// PyTorch leaves weights of a few 1e-10 in trained networks (oval21's CIFAR networks have
    /// hundreds); HiGHS drops every coefficient up to 1e-9 as it reads a model, which with the input
    /// fixed made those MILPs infeasible. The formulation folds such terms into the row's constant
    /// (and range), so no written coefficient is that small, and every solver finds the network's
    /// value at fixed points, over bounds from the box and from the point itself.
    @Test(.needs(.highs), .needs(.cbc), .needs(.glpk)) func weightsTooSmallForASolverAreFoldedIntoTheRow() throws {
        let text = """
            ; nnmip IR 1
            %0 = input "X" : [1, 3]
            %1 = affine %0 : [1, 3] weights=dense<3x3>[1.0, 4e-10, -0.5, 7e-10, 0.25, 1.0, -3e-10, -2e-10, 5e-10] bias=[0.1, -0.2, 0.3]
            %2 = relu %1 : [1, 3]
            %3 = affine %2 : [1, 1] weights=dense<1x3>[1.0, -8e-10, 2.0] bias=[0.0]
            output "Y" = %3
            """
        let graph = try IRParser(fileName: "tiny-weights.nnir").parse(text)
        let box = [Bounds(lower: [-1, -1, -1], upper: [1, 1, 1])]
        let item = NetworkCase(name: "tiny-weights", graph: graph, box: box, points: [[[0.3, -0.7, 0.9]], [[-0.2, 0.5, -0.4]]])
        let model = try Compilation.formulate(graph, spec: item.spec).model
        let smallest = model.entryValue.map(abs).min() ?? .infinity
        #expect(smallest > Formulator.smallestCoefficient, "a coefficient of \(smallest) is written")
        try Self.check([item], solvers: Solver.allCases, formats: [.mps, .lp], allPoints: true)
        try Self.check([item], solvers: Solver.allCases, formats: [.mps], allPoints: true, boundsFromPoint: true)
    }

    @Test(.needsRealnets, .needs(.cbc), .needs(.glpk)) func cbcAndGLPKReadEveryRealNetwork() throws {
        let folder = try Realnets.require()
        let solvers = [Solver.cbc, .glpk]
        for solver in solvers { try solver.require() }
        try Self.check(try NetworkCase.realnets(folder), solvers: solvers, formats: [.mps, .lp], allPoints: false, boundsFromPoint: true)
    }
}
