import Foundation
import NNIR
import NNMILP
import NNSolve
import TestSupport
import Testing

/// A user's model read by HiGHS's own reader becomes the MILP the file says, with its names,
/// bounds, integrality, ranged rows, objective constant and sense; what is not a MILP is refused
/// with the feature named; and the MPS nnmip writes from it reads back as the same model.
@Suite(.serialized) struct UserModelReaderTests {
    /// maximize 3 n[1] + 2 y - z + 5  s.t.  n[1] + y <= 4.5,  y >= 1,  n[1] - z = 0,  2 <= y + z <= 6,
    /// n[1] integer in [0, 3], y in [0, 10], z <= 8 free below. With z = n[1] the objective is
    /// 2 (n[1] + y) + 5 and n[1] + y reaches 4.5: the optimum is 14.
    static let demoMPS = """
        * a model as a user writes it
        NAME          demo
        OBJSENSE
            MAX
        ROWS
         N  profit
         L  cap[1]
         G  mix(a)
         E  bal
         L  rng
        COLUMNS
            MARKER  'MARKER'  'INTORG'
            n[1]  profit  3  cap[1]  1
            n[1]  bal  1
            MARKER  'MARKER'  'INTEND'
            y  profit  2  cap[1]  1
            y  mix(a)  1  rng  1
            z  profit  -1  bal  -1
            z  rng  1
        RHS
            RHS  profit  -5
            RHS  cap[1]  4.5  mix(a)  1
            RHS  rng  6
        RANGES
            RNG  rng  4
        BOUNDS
         UP BND n[1] 3
         UP BND y 10
         MI BND z
         UP BND z 8
        ENDATA

        """
    static let demoOptimum = 14.0

    /// A folder of its own for each test, removed afterwards.
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-usermodel-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }

        /// Writes `text` to `name` in the folder (gzipped when the name ends in .gz) and returns its path.
        func write(_ name: String, _ text: String) throws -> String {
            let path = url.appendingPathComponent(name).path
            let out = try OutputFile(path: path)
            out.write(text)
            try out.commit()
            return path
        }
    }

    static func read(_ path: String) throws -> UserModel {
        try UserModelReader.read(path, library: try EmbeddedHiGHS.require())
    }

    /// The diagnostic reading `text` as `name` throws.
    static func failure(_ name: String, _ text: String) throws -> Diagnostic? {
        let folder = try Folder()
        do {
            _ = try read(try folder.write(name, text))
            return nil
        } catch let diagnostic as Diagnostic {
            return diagnostic
        }
    }

    @Test(.needsHiGHS) func readsNamesBoundsIntegralityRangesOffsetAndSense() throws {
        let folder = try Folder()
        let user = try Self.read(try folder.write("demo.mps", Self.demoMPS))
        let m = user.milp
        #expect(m.columnNames == ["n[1]", "y", "z"])
        #expect(m.columnIsInteger == [true, false, false])
        #expect(m.columnLower == [0, 0, -.infinity])
        #expect(m.columnUpper == [3, 10, 8])
        #expect(m.objective == [3, 2, -1])
        #expect(m.sense == .maximize)
        #expect(m.objectiveOffset == 5)
        #expect(m.rowNames == ["cap[1]", "mix(a)", "bal", "rng"])
        #expect((0..<m.rowCount).map { m.rowBounds($0).lower } == [-.infinity, 1, 0, 2])
        #expect((0..<m.rowCount).map { m.rowBounds($0).upper } == [4.5, .infinity, 0, 6])
        #expect(m.rowSense == [.lessEqual, .greaterEqual, .equal, .range])
        #expect(m.row(2).map(\.column) == [0, 2] && m.row(2).map(\.coefficient) == [1, -1])
        #expect(user.column(named: "z") == 2 && user.column(named: "w") == nil)
        #expect(user.commentedSense == nil)
    }

    @Test(.needsHiGHS) func theModelReadSolvesToItsHandComputedOptimumInMemory() throws {
        let folder = try Folder()
        let user = try Self.read(try folder.write("demo.mps", Self.demoMPS))
        let solver = try HiGHSSolver(library: try EmbeddedHiGHS.require())
        try solver.passModel(user.milp)
        #expect(try solver.run() == .optimal)
        #expect(abs(solver.objectiveValue - Self.demoOptimum) < 1e-9)
    }

    @Test(.needsHiGHS) func gzippedAndLPFilesReadToTheSameModel() throws {
        let folder = try Folder()
        let plain = try Self.read(try folder.write("demo.mps", Self.demoMPS)).milp
        let gzipped = try Self.read(try folder.write("demo.mps.gz", Self.demoMPS)).milp
        #expect(gzipped.columnNames == plain.columnNames && gzipped.entryValue == plain.entryValue && gzipped.objectiveOffset == 5)
        let lp = try Self.read(try folder.write("demo.lp.gz", """
            \\ the same model, with names the LP format carries and the range as two rows
            Maximize
             profit: 3 n_1 + 2 y - z + 5
            Subject To
             cap_1: n_1 + y <= 4.5
             mix(a): y >= 1
             bal: n_1 - z = 0
             rng_lo: y + z >= 2
             rng_hi: y + z <= 6
            Bounds
             0 <= n_1 <= 3
             0 <= y <= 10
             -inf <= z <= 8
            General
             n_1
            End

            """)).milp
        #expect(lp.columnNames == ["n_1", "y", "z"] && lp.columnIsInteger == [true, false, false])
        #expect(lp.sense == .maximize && lp.objectiveOffset == 5 && lp.objective == [3, 2, -1])
        #expect(lp.rowNames == ["cap_1", "mix(a)", "bal", "rng_lo", "rng_hi"])
    }

    @Test(.needsHiGHS) func theMPSNnmipWritesReadsBackAsTheSameModel() throws {
        let folder = try Folder()
        let first = try Self.read(try folder.write("demo.mps", Self.demoMPS)).milp
        let out = try OutputFile(path: folder.url.appendingPathComponent("again.mps").path)
        try MPSWriter().write(first, to: out)
        try out.commit()
        let again = try Self.read(out.path).milp
        #expect(again.columnNames == first.columnNames && again.rowNames == first.rowNames)
        #expect(again.columnLower == first.columnLower && again.columnUpper == first.columnUpper)
        #expect(again.columnIsInteger == first.columnIsInteger)
        // The file holds the negated objective of a maximization and says so; HiGHS reads a minimization.
        #expect(again.sense == .minimize && again.objective == first.objective.map { -$0 } && again.objectiveOffset == -5)
        #expect((0..<again.rowCount).map(again.rowBounds).map { [$0.lower, $0.upper] } == (0..<first.rowCount).map(first.rowBounds).map { [$0.lower, $0.upper] })
        #expect(again.rowStart == first.rowStart && again.entryColumn == first.entryColumn && again.entryValue == first.entryValue)
    }

    @Test(.needsHiGHS, .needs(.cbc)) func highsAndCBCSolveTheWrittenMPSToTheOptimum() throws {
        let folder = try Folder()
        let model = try Self.read(try folder.write("demo.mps", Self.demoMPS)).milp
        let path = folder.url.appendingPathComponent("written.mps").path
        try MILPFileFormat.mps.write(model, to: path, naming: .readable, comments: [])
        for solver in [Solver.highs, .cbc] {
            try solver.require()
            let solution = try solver.solve(path)
            // The file minimizes the negated objective.
            #expect(solution.optimal && abs((solution.objective ?? .nan) + Self.demoOptimum) < 1e-6, "\(solver): \(solution.status) \(solution.objective ?? .nan)")
        }
    }

    @Test(.needsHiGHS) func pulpsCommentOnlySenseIsReported() throws {
        let text = Self.demoMPS.replacingOccurrences(of: "OBJSENSE\n    MAX\n", with: "").replacingOccurrences(of: "* a model as a user writes it", with: "*SENSE:Maximize")
        let folder = try Folder()
        let user = try Self.read(try folder.write("pulp.mps", text))
        #expect(user.milp.sense == .minimize && user.commentedSense == .maximize)
    }

    @Test(.needsHiGHS, arguments: [
        ("quadobj.mps", "QUADOBJ\n    y  y  1\nENDATA", "quadratic"),
        ("qcmatrix.mps", "QCMATRIX   cap[1]\n    y  y  1\nENDATA", "quadratic rows"),
        ("sos.mps", "SOS\n S1 SOS s1 1\n    s1:y  1\n    s1:z  2\nENDATA", "SOS"),
        ("semicontinuous.mps", "BOUNDS\n SC BND y 10\nENDATA", "semi-continuous"),
        ("semiinteger.mps", "BOUNDS\n SI BND y 10\nENDATA", "semi-integer"),
    ])
    func whatIsNotAMILPIsRefusedWithTheFeatureNamed(name: String, ending: String, feature: String) throws {
        // Replace the BOUNDS section and the end of the demo model by the feature.
        let text = Self.demoMPS.components(separatedBy: "BOUNDS\n").first! + ending + "\n"
        let diagnostic = try #require(try Self.failure(name, text))
        #expect(diagnostic.kind == .unsupported && diagnostic.message.contains(feature) && diagnostic.file?.hasSuffix(name) == true, "\(diagnostic)")
        if name.hasPrefix("semi") { #expect(diagnostic.location == "column 'y'") }
    }

    @Test(.needsHiGHS) func anUnknownObjectiveSenseIsRefused() throws {
        let diagnostic = try #require(try Self.failure("sense.mps", Self.demoMPS.replacingOccurrences(of: "    MAX\n", with: "    UPWARDS\n")))
        #expect(diagnostic.kind == .unsupported && diagnostic.location == "OBJSENSE" && diagnostic.message.contains("'UPWARDS'"), "\(diagnostic)")
    }

    @Test(.needsHiGHS) func unreadableFilesAreReportedWithTheirKind() throws {
        let garbage = try #require(try Self.failure("garbage.lp", "Minimize\n obj: x +\n"))
        #expect(garbage.kind == .malformedInput && garbage.message.contains("HiGHS cannot read the model"), "\(garbage)")
        let wrongName = try #require(try Self.failure("model.txt", Self.demoMPS))
        #expect(wrongName.kind == .usage && wrongName.message.contains(".mps.gz"), "\(wrongName)")
        do {
            _ = try Self.read("/nonexistent/model.mps")
            Issue.record("a missing file was read")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.kind == .io)
        }
    }
}

/// What the MPS and LP writers refuse: names and rows that the format would read back otherwise.
@Suite struct WriterLimitsTests {
    static func model(column: String, row: String = "r", range: Bool = false) -> MILPModel {
        var model = MILPModel(name: "m")
        let x = model.addColumn(column, lower: 0, upper: 1)
        model.addEntry(x, 1)
        if range { model.finishRow(row, lower: 0, upper: 1) } else { model.finishRow(row, .lessEqual, 1) }
        return model
    }

    /// Why `format` refuses to write `model`, or nil when it writes it (into a file that is then thrown away).
    static func refusal(_ format: MILPFileFormat, _ model: MILPModel, naming: NamingStyle = .readable) -> Diagnostic? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-writer-\(UUID().uuidString).txt").path
        guard let out = try? OutputFile(path: path) else { return Diagnostic(.cannotWrite, "cannot open \(path)") }
        defer { out.discard() }
        do {
            try format.write(model, to: out, naming: naming, comments: [])
            return nil
        } catch {
            return error as? Diagnostic
        }
    }

    @Test(arguments: ["x[1]", "y-2", "a/b", "1a", "free", "Bounds", "a|b", "a b"])
    func theLPWriterRefusesNamesItsReadersCutOrMisread(name: String) throws {
        let diagnostic = try #require(Self.refusal(.lp, Self.model(column: name)))
        #expect(diagnostic.kind == .usage && diagnostic.location == "column '\(name)'" && diagnostic.message.contains("write MPS"), "\(diagnostic)")
        #expect(Self.refusal(.lp, Self.model(column: name), naming: .short) == nil)
    }

    @Test(arguments: ["x(Beans)", "x.1", "e1", "flow#3", "a_b"])
    func theLPWriterKeepsNamesItsReadersKeep(name: String) {
        #expect(Self.refusal(.lp, Self.model(column: name)) == nil)
    }

    @Test func theLPWriterRefusesARangedRowAndMPSWritesIt() throws {
        let diagnostic = try #require(Self.refusal(.lp, Self.model(column: "x", row: "both", range: true)))
        #expect(diagnostic.location == "row 'both'" && diagnostic.message.contains("write MPS"))
        #expect(Self.refusal(.mps, Self.model(column: "x", row: "both", range: true)) == nil)
    }

    @Test func mpsRefusesANameWithASpace() throws {
        let diagnostic = try #require(Self.refusal(.mps, Self.model(column: "flow 3")))
        #expect(diagnostic.location == "column 'flow 3'" && diagnostic.message.contains("--short-names"))
    }
}
