import NNMIPKit
import Testing

/// Solution formats that the tests cannot produce with a real solver here (Gurobi is not installed):
/// checked against the format as Gurobi's documentation describes it.
@Suite struct SolutionFileFormatTests {
    @Test func gurobiSolutionsAreReadByName() throws {
        let text = """
            # Solution for model mlp
            # Objective value = -1.6227276283116700e-01
            x_l0_n0 5.8432670489958701e-01
            x_l0_n1 1
            z_l2_n0 -0

            """
        let solution = try SolutionFile.parse(text, file: "m.sol")
        #expect(solution.format == "Gurobi")
        #expect(solution.objective == -0.162272762831167)
        #expect(solution.valuesByName == ["x_l0_n0": 0.58432670489958701, "x_l0_n1": 1, "z_l2_n0": 0])
        #expect(!solution.omitsZeros)
    }

    @Test func impossibleColumnCountsAreErrorsNotCrashes() throws {
        for count in ["-1", "9223372036854775807", "3"] {
            let text = "Model status\nOptimal\n\n# Primal solution values\nFeasible\nObjective 1\n# Columns \(count)\nx 1\n"
            let diagnostic = #expect(throws: Diagnostic.self, "# Columns \(count)") { try SolutionFile.parse(text, file: "h.sol") }
            #expect(diagnostic?.kind == .malformedInput && diagnostic?.file == "h.sol", "\(String(describing: diagnostic))")
            #expect(diagnostic?.message.lowercased().contains("columns") == true, "\(String(describing: diagnostic))")
        }
        let none = "Model status\nInfeasible\n\n# Primal solution values\nNone\n\n# Dual solution values\nNone\n"
        let diagnostic = #expect(throws: Diagnostic.self) { try SolutionFile.parse(none, file: "h.sol") }
        #expect(diagnostic?.kind == .malformedInput && diagnostic?.location == "line 5", "\(String(describing: diagnostic))")
        #expect(diagnostic?.message == "HiGHS wrote no solution (model status: Infeasible)", "\(String(describing: diagnostic))")
    }

    @Test func brokenLinesAreReportedWithTheirNumber() throws {
        let gurobi = #expect(throws: Diagnostic.self) { try SolutionFile.parse("# Objective value = 1\nx_l0_n0 half\n", file: "m.sol") }
        #expect(gurobi?.location == "line 2" && gurobi?.message == "'half' is not a number", "\(String(describing: gurobi))")
        do {
            _ = try SolutionFile.parse("Optimal - objective value 1\n      0 x_l0_n0  zero  0\n", file: "c.sol")
            Issue.record("a CBC row without a number was accepted")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.file == "c.sol" && diagnostic.location == "line 2", "\(diagnostic)")
        }
    }

    @Test func everyFormatIsClaimedFirstByItsOwnParser() throws {
        let samples: [(format: String, text: String)] = [
            ("HiGHS", "Model status\nOptimal\n\n# Primal solution values\nFeasible\nObjective 1\n# Columns 1\nx 1\n"),
            ("GLPK", "c Problem: m\ns mip 1 1 o 1\nj 1 1\ne o f\n"),
            ("SCIP", "objective value: 1\nx 1 (obj:1)\n"),
            ("Gurobi", "# Objective value = 1\nx 1\n"),
            ("CBC", "Optimal - objective value 1.00000000\n      0 x  1  0\n"),
            ("NNMIP", "{\n  \"format\": \"nnmip-embedded-solution-1\",\n  \"objective\": 1,\n  \"columns\": {\"x\": 1, \"y\": null}\n}\n"),
        ]
        for sample in samples {
            let lines = SolutionLines(text: sample.text, file: "s.sol")
            let claimed = SolutionFile.parsers.filter { $0.recognizes(lines) }.map { String(describing: $0) }
            let solution = try SolutionFile.parse(sample.text, file: "s.sol")
            #expect(solution.format == sample.format, "\(sample.format) read as \(solution.format)")
            #expect(solution.objective == 1 && (solution.valuesByName["x"] ?? solution.valuesByColumn[0]) == 1, "\(sample.format)")
            // The first parser that claims the text is its own format's; no later parser may be needed to tell.
            #expect(claimed.first?.hasPrefix(sample.format) == true, "\(sample.format) claimed by \(claimed)")
        }
        let unknown = #expect(throws: Diagnostic.self) { try SolutionFile.parse("hello\n", file: "s.sol") }
        #expect(unknown?.message == "not a solution file nnmip reads (nnmip's JSON (solve --model --solution), HiGHS, GLPK's raw format from glpsol -w, SCIP, Gurobi or CBC)",
                "\(String(describing: unknown))")
    }
}
