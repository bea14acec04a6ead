import Foundation
import NNIR
import NNMILP
import NNSolve
import TestSupport
import Testing

/// HiGHS loaded at run time solves models handed over in memory, on problems
/// whose answers were worked out by hand.
@Suite(.serialized) struct HiGHSSolverTests {
    static let tolerance = 1e-7

    /// A solver for `model`, or nil (the test skips) when HiGHS cannot be
    /// loaded; in CI (environment variable CI set) a missing HiGHS fails.
    static func solver(for model: MILPModel, relaxIntegrality: Bool = false) throws -> HiGHSSolver {
        let library = try EmbeddedHiGHS.require()
        let solver = try HiGHSSolver(library: library)
        try solver.passModel(model, relaxIntegrality: relaxIntegrality)
        return solver
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// min x + 2y + 3z  s.t.  x + y + z = 10,  y - z >= 1,  x - y <= 2,  0 <= x <= 4,  y, z >= 0.
    /// With z = 10 - x - y the cost is 30 - 2x - y, largest x then largest y:
    /// x = 4, y = 6, z = 0, cost 16.
    @Test(.needsHiGHS) func solvesASmallLPToItsHandComputedOptimum() throws {
        var model = MILPModel(name: "lp")
        let x = model.addColumn("x", lower: 0, upper: 4)
        let y = model.addColumn("y", lower: 0, upper: .infinity)
        let z = model.addColumn("z", lower: 0, upper: .infinity)
        model.setObjective(x, 1)
        model.setObjective(y, 2)
        model.setObjective(z, 3)
        model.addRow("total", [(x, 1), (y, 1), (z, 1)], .equal, 10)
        model.addRow("y_over_z", [(y, 1), (z, -1)], .greaterEqual, 1)
        model.addRow("x_near_y", [(x, 1), (y, -1)], .lessEqual, 2)
        let solver = try Self.solver(for: model)

        #expect(try solver.run() == .optimal)
        #expect(Self.close(solver.objectiveValue, 16))
        let values = try solver.columnValues()
        #expect(values.count == 3)
        for (value, want) in zip(values, [4.0, 6, 0]) { #expect(Self.close(value, want), "\(values)") }
    }

    /// max y  s.t.  -x + y <= 1,  3x + 2y <= 12,  2x + 3y <= 12,  x, y >= 0 integer.
    /// The LP optimum is the vertex (1.8, 2.8); with integers y = 3 would need
    /// x >= 2 and x <= 1.5, so the optimum is y = 2 (at x = 1 or x = 2).
    @Test(.needsHiGHS) func integralityChangesTheOptimumAndCanBeRelaxed() throws {
        var model = MILPModel(name: "milp")
        model.sense = .maximize
        let x = model.addColumn("x", lower: 0, upper: .infinity, integer: true)
        let y = model.addColumn("y", lower: 0, upper: .infinity, integer: true)
        model.setObjective(y, 1)
        model.addRow("a", [(x, -1), (y, 1)], .lessEqual, 1)
        model.addRow("b", [(x, 3), (y, 2)], .lessEqual, 12)
        model.addRow("c", [(x, 2), (y, 3)], .lessEqual, 12)

        let relaxed = try Self.solver(for: model, relaxIntegrality: true)
        #expect(try relaxed.run() == .optimal)
        #expect(Self.close(relaxed.objectiveValue, 2.8))
        let lp = try relaxed.columnValues()
        #expect(Self.close(lp[0], 1.8) && Self.close(lp[1], 2.8), "\(lp)")

        let exact = try Self.solver(for: model)
        try exact.setOption("mip_rel_gap", 0.0)
        #expect(try exact.run() == .optimal)
        #expect(Self.close(exact.objectiveValue, 2))
        #expect(Self.close(exact.lastRun.dualBound, 2))
        let mip = try exact.columnValues()
        #expect(Self.close(mip[1], 2) && (Self.close(mip[0], 1) || Self.close(mip[0], 2)), "\(mip)")
    }

    /// The polytope x, y >= 0,  x + y <= 4,  x - y <= 2,  -x + 2y <= 5 has the
    /// vertices (0,0), (2,0), (3,1), (1,3), (0,2.5); z = x + y is a free column.
    /// Each column's minimum and maximum come from one model passed once, the
    /// objective replaced in between, as bound tightening does.
    @Test(.needsHiGHS) func replacingTheObjectiveReusesThePassedModel() throws {
        var model = MILPModel(name: "polytope")
        let x = model.addColumn("x", lower: 0, upper: .infinity)
        let y = model.addColumn("y", lower: 0, upper: .infinity)
        let z = model.addColumn("z", lower: -.infinity, upper: .infinity)
        model.addRow("sum", [(x, 1), (y, 1)], .lessEqual, 4)
        model.addRow("diff", [(x, 1), (y, -1)], .lessEqual, 2)
        model.addRow("slope", [(x, -1), (y, 2)], .lessEqual, 5)
        model.addRow("z_def", [(z, 1), (x, -1), (y, -1)], .equal, 0)
        let solver = try Self.solver(for: model)

        let expected: [(column: Int, min: Double, max: Double)] = [(x, 0, 3), (y, 0, 3), (z, 0, 4)]
        for (column, low, high) in expected {
            for (sense, want) in [(MILPModel.Sense.minimize, low), (.maximize, high)] {
                try solver.setObjective([(column, 1)], sense: sense)
                #expect(try solver.run() == .optimal)
                #expect(Self.close(solver.objectiveValue, want), "column \(column) \(sense): \(solver.objectiveValue)")
            }
        }

        // Two costs, then one: the cost of y must be gone for max x to reach 3.
        try solver.setObjective([(x, 1), (y, 2)], sense: .maximize)
        #expect(try solver.run() == .optimal)
        #expect(Self.close(solver.objectiveValue, 7))
        let atMax = try solver.columnValues()
        #expect(Self.close(atMax[x], 1) && Self.close(atMax[y], 3), "\(atMax)")
        try solver.setObjective([(x, 1)], sense: .maximize)
        #expect(try solver.run() == .optimal)
        #expect(Self.close(solver.objectiveValue, 3))
        #expect(Self.close(try solver.columnValues()[y], 1))

        // Solving the same objective again, from the basis the last run left, gives the same optimum.
        #expect(try solver.run() == .optimal)
        #expect(Self.close(solver.objectiveValue, 3))
    }

    /// x + y <= 1 and x + y >= 3 cannot both hold; nor can 2n = 1 for an integer n.
    @Test(.needsHiGHS) func reportsInfeasibleModels() throws {
        var lp = MILPModel(name: "infeasible_lp")
        let x = lp.addColumn("x", lower: 0, upper: 10)
        let y = lp.addColumn("y", lower: 0, upper: 10)
        lp.addRow("low", [(x, 1), (y, 1)], .lessEqual, 1)
        lp.addRow("high", [(x, 1), (y, 1)], .greaterEqual, 3)
        let solver = try Self.solver(for: lp)
        #expect(try solver.run() == .infeasible)

        var mip = MILPModel(name: "infeasible_mip")
        let n = mip.addColumn("n", lower: -5, upper: 5, integer: true)
        mip.addRow("half", [(n, 2)], .equal, 1)
        let integer = try Self.solver(for: mip)
        #expect(try integer.run() == .infeasible)
    }

    /// A library path that does not exist is named in the error, with the way to install HiGHS.
    /// HiGHS ends a MIP's root node with work that never looks at the clock and grows with the
    /// nonzeros, so a MIP's time limit leaves room for it (at most 40% of the limit); an LP's does not.
    @Test(.needsHiGHS) func aMIPTimeLimitLeavesRoomForHiGHSsUntimedRootWork() throws {
        var model = MILPModel(name: "dense")
        let columns = (0..<1_000).map { model.addColumn("c\($0)", lower: 0, upper: 1, integer: true) }
        for r in 0..<1_000 { model.addRow("r\(r)", columns.map { ($0, Double(($0 + r) % 7) - 3) }, .lessEqual, 10) }
        #expect(model.nonzeroCount > 800_000)
        let untimed = 1.2e-6 * Double(model.nonzeroCount)
        for (relaxed, limit, expected) in [(false, 30.0, 30 - untimed), (false, 1, 0.6), (true, 30, 30)] {
            let solver = try Self.solver(for: model, relaxIntegrality: relaxed)
            try solver.setTimeLimit(limit)
            #expect(abs(try solver.doubleOption("time_limit") - expected) < 1e-9, "relaxed \(relaxed), limit \(limit)")
        }
        // Set before the model is passed, the limit is adjusted when it arrives.
        let early = try HiGHSSolver(library: try EmbeddedHiGHS.require())
        try early.setTimeLimit(30)
        try early.passModel(model)
        #expect(abs(try early.doubleOption("time_limit") - (30 - untimed)) < 1e-9)
    }

    @Test(.needsHiGHS) func aWatchedRunReturnsItsStatusOrIsGivenUp() throws {
        var lp = MILPModel(name: "lp")
        let x = lp.addColumn("x", lower: 0, upper: 4)
        lp.setObjective(x, -1)
        #expect(try Self.solver(for: lp).run(givingUpWhen: { false }) == .optimal)
        // A dense 1000x1000 MIP: its root LP alone takes HiGHS longer than the 0.2 s watched here.
        var model = MILPModel(name: "dense")
        let columns = (0..<1_000).map { model.addColumn("c\($0)", lower: 0, upper: 1, integer: true) }
        for r in 0..<1_000 { model.addRow("r\(r)", columns.map { ($0, Double(($0 + r) % 7) - 3) }, .lessEqual, 10) }
        for column in columns { model.setObjective(column, 1) }
        model.sense = .maximize
        let dense = try Self.solver(for: model)
        try dense.setTimeLimit(20)
        let start = MonotonicClock.now()
        let status = try dense.run(givingUpWhen: { MonotonicClock.now() > start + 0.2 })
        #expect(status == nil, "HiGHS ended (\(String(describing: status))) before it was given up")
        #expect(MonotonicClock.now() - start < 1, "giving up took \(MonotonicClock.now() - start) s")
        // The run goes on on its thread until HiGHS's own limit and then ends; nobody waits for it.
        let ended = MonotonicClock.now() + 40
        while HiGHSSolver.runsStillSolving > 0 && MonotonicClock.now() < ended { usleep(50_000) }
        #expect(HiGHSSolver.runsStillSolving == 0)
    }

    @Test func missingLibraryPathIsReportedWithHowToInstall() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-missing-\(UUID().uuidString)/libhighs.so").path
        do {
            _ = try HiGHSLibrary.load(explicitPath: path)
            Issue.record("loading \(path) succeeded")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.kind == .unavailable)
            #expect(diagnostic.message.contains(path), "\(diagnostic)")
            #expect(diagnostic.message.contains("scripts/setup.sh"), "\(diagnostic)")
            #expect(diagnostic.message.contains("NNMIP_HIGHS_LIBRARY"), "\(diagnostic)")
        }
    }

    /// A bad option value is an error naming the option.
    @Test(.needsHiGHS) func rejectedOptionNamesTheOption() throws {
        let solver = try Self.solver(for: MILPModel(name: "empty"))
        #expect {
            try solver.setOption("time_limit", -1.0)
        } throws: { error in
            guard let error = error as? HiGHSError else { return false }
            return error.function == "Highs_setDoubleOptionValue" && error.context.contains("time_limit")
        }
    }
}
