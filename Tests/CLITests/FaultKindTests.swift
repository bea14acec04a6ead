import Foundation
import Testing
import TestSupport

/// One exit status per kind of fault, whichever command finds it and whichever file holds it: a fault
/// of the command line is 64, a fault of what a data file says is 65; an empty input domain is no
/// fault but a problem whose answer is that nothing is feasible. Hints name only options of the
/// command that prints them.
@Suite struct FaultKindTests {
    let model = "fixtures/onnx/mlp_2x8.onnx"

    /// A folder with `files` written into it (name → text).
    func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    /// The robustness property of the fixtures with `old` replaced by `new`.
    func property(replacing old: String, with new: String) throws -> String {
        let text = try String(contentsOfFile: Paths.fixture("specs/mlp_2x8.robustness.vnnlib"), encoding: .utf8)
        #expect(text.contains(old))
        return text.replacingOccurrences(of: old, with: new)
    }

    /// Each case: the command line (`DIR/` is a folder holding the files below), the file's name and
    /// text, and what the message must name: the file and the place in it.
    @Test func whatAFileSaysWrongIsMalformedInput() throws {
        let cases: [(arguments: [String], file: String, text: String, mentions: [String])] = [
            (["verify", model, "DIR/p.vnnlib"], "p.vnnlib", try property(replacing: "(>= Y_2 Y_0)", with: "(>= Y_9 Y_0)"),
             ["p.vnnlib: line 23: 'Y_9' does not exist: output 'Y' has 3 elements"]),
            (["verify", model, "DIR/p.vnnlib"], "p.vnnlib", try property(replacing: "(<= X_0 0.6)", with: "(<= X_0 1e999)"),
             ["p.vnnlib: line 13: the number 1e999 is not a finite Float64"]),
            (["compile", model, "--spec", "DIR/p.vnnlib"], "p.vnnlib", try property(replacing: "X_3 Real", with: "X_7 Real"), ["p.vnnlib: line "]),
            // verify's property is its whole domain: a gap in it is the file's.
            (["verify", model, "DIR/p.vnnlib"], "p.vnnlib", try property(replacing: "(assert (<= X_3 0.5))", with: ""),
             ["p.vnnlib: input 'X': element 3 has no upper bound", "the property must bound every input, as (assert (>= X_3 LO))"]),
            (["compile", model, "--input-bounds", "DIR/b.json"], "b.json", #"{"lower": [0, 0, 0], "upper": [1, 1, 1]}"#,
             ["b.json: lower: 3 values given, but input 'X' has shape"]),
            (["compile", model, "--input-bounds", "DIR/b.json"], "b.json", #"{"X": {"lower": [0, 0, 0, 0], "upper": [1, 1, 1, 1]}, "Z": {"lower": [0], "upper": [1]}}"#,
             ["b.json: Z: the network has no input 'Z'; its inputs are 'X'"]),
            (["compile", model, "--input-bounds", "DIR/b.json"], "b.json", #"{"lower": [0, 0, 0, 0], "upper": [1, 1, 1, 1], "uper": [2, 2, 2, 2]}"#,
             ["b.json: uper: unknown key 'uper'; the keys here are lower, upper"]),
            (["compile", model, "--input-bounds", "DIR/b.json"], "b.json", #"[{"key": [0, 1], "lower_bound": 0, "upper_bound": 1, "note": "x"}]"#,
             ["b.json: [0].note: unknown key 'note'"]),
            (["compile", model, "--spec", "DIR/s.json"], "s.json", #"{"input_box": [0, 1], "linf_ball": {"center": [0, 0, 0, 0], "epsilon": 0.1, "radius": 2}}"#,
             ["s.json: linf_ball.radius: unknown key 'radius'; the keys here are center, epsilon"]),
            (["compile", model, "--spec", "DIR/s.json"], "s.json", #"{"input_bounds": {"lower": [0, 0, 0, 0], "upper": [1, 1, 1, 1], "extra": []}}"#,
             ["s.json: input_bounds.extra: unknown key 'extra'"]),
            (["compile", model, "--spec", "DIR/s.json"], "s.json", #"{"input_box": [0, 1], "maximise": "y0"}"#, ["s.json: maximise: unknown key 'maximise'"]),
            (["compile", model, "--spec", "DIR/s.json"], "s.json", #"{"input_box": [0, 1], "maximize": "y7"}"#, ["s.json: maximize 'y7'", "out of range"]),
            (["compile", model, "--spec", "DIR/s.json"], "s.json", #"{"input_box": [0, 1], "maximize": "y0", "minimize": "y1"}"#, ["s.json: minimize", "already given"]),
            (["eval", model, "--input", "DIR/x.json"], "x.json", "[1, 2, 3]", ["x.json: input 'X': 3 values given"]),
            (["eval", model, "--input", "DIR/x.json"], "x.json", #"{"X": [1, 2, 3, 4], "Z": [1]}"#, ["x.json: 'Z': the network has no input 'Z'"]),
            (["solve", model, "--input-box", "0:1", "--maximize", "y0", "--start", "DIR/x.json"], "x.json", "[1, 2]", ["x.json: input 'X': 2 values given"]),
            (["compile", model, "--linf-ball", "DIR/x.json:0.1"], "x.json", #"{"Y": [1, 2, 3, 4]}"#, ["x.json: 'Y': the network has no input 'Y'"]),
        ]
        for (arguments, file, text, mentions) in cases {
            let dir = try folder([file: text])
            defer { try? FileManager.default.removeItem(at: dir) }
            let output = arguments[0] == "compile" ? ["-o", "/dev/null"] : []
            let result = try Tool.nnmip(arguments.map { $0.replacingOccurrences(of: "DIR/", with: dir.path + "/") } + output)
            #expect(result.status == 65, "\(arguments) with \(file) = \(text): \(result.stderr)")
            for mention in mentions { #expect(result.stderr.contains(mention), "\(arguments) with \(file) = \(text): \(result.stderr)") }
        }
    }

    /// The same faults on the command line are usage errors.
    @Test(arguments: [
        ["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--maximize", "y9"],
        ["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--constraint", "Z[0] >= 1"],
        ["solve", "fixtures/onnx/mlp_2x8.onnx", "--maximize", "y0"],
        ["compile", "fixtures/onnx/mlp_2x8.onnx", "--spec", "fixtures/specs/mlp_2x8.l1ball.json", "--constraint", "x9 >= 0"],
        ["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--disjunct", "0"],
    ])
    func whatTheCommandLineSaysWrongIsAUsageError(arguments: [String]) throws {
        let result = try Tool.nnmip(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
    }

    /// Each way of writing an empty domain: `compile` writes an infeasible MILP (which the solvers call
    /// infeasible), `solve` answers infeasible and `verify` unsat, each with exit 0 and a warning.
    @Test(.needsHiGHS, arguments: [
        (["--input-box", "1:0"], "element 0 of input 'X' must lie in [1.0, 0.0]"),
        (["--input-box", "0:1", "--constraint", "x2 >= 2"], "element 2 of input 'X' must lie in [2.0, 1.0]"),
        (["--input-bounds", "DIR/b.json"], "element 3 of input 'X' must lie in [0.5, 0.25]"),
        (["--input-box", "0:1", "--linf-ball", "DIR/x.json:0.5"], "element 0 of input 'X' must lie in [4.5, 1.0]"),
        (["--input-box", "0.9:1", "--l1-ball", "DIR/zero.json:1"], "the L1 ball of radius 1.0"),
        (["--spec", "DIR/p.vnnlib"], "element 1 of input 'X' must lie in [-0.7, -0.8]"),
    ])
    func anEmptyDomainIsAProblemWhoseAnswerIsThatNothingIsFeasible(domain: [String], reason: String) throws {
        let dir = try folder([
            "b.json": #"{"lower": [0, 0, 0, 0.5], "upper": [1, 1, 1, 0.25]}"#, "x.json": "[5, 5, 5, 5]", "zero.json": "[0, 0, 0, 0]",
            "p.vnnlib": try property(replacing: "(<= X_1 0.3)", with: "(<= X_1 -0.8)"),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let domain = domain.map { $0.replacingOccurrences(of: "DIR/", with: dir.path + "/") }
        let warning = "nnmip: warning: the input domain is empty (\(reason)"

        let solved = try Tool.nnmip(["solve", model] + domain + ["--maximize", "y0"])
        #expect(solved.status == 0 && solved.stdout.hasPrefix("status: infeasible\n"), "\(domain): \(solved.stdout)\n\(solved.stderr)")
        #expect(solved.stderr.contains(warning), "\(domain): \(solved.stderr)")

        let mps = dir.appendingPathComponent("m.mps").path
        let compiled = try Tool.nnmip(["compile", model] + domain + ["--maximize", "y0", "-o", mps])
        #expect(compiled.status == 0 && compiled.stderr.contains(warning), "\(domain): \(compiled.stderr)")
        if Solver.highs.isInstalled {
            let solution = try Solver.highs.solve(mps)
            #expect(solution.status == "Infeasible", "\(domain): HiGHS says \(solution.status)")
        }
    }

    /// No input, so no counterexample: `verify` answers unsat at once, for a VNN-LIB box and for a
    /// JSON property whose L1 ball misses the box.
    @Test func verifyAnswersUnsatOnAnEmptyDomain() throws {
        let dir = try folder([
            "p.vnnlib": try property(replacing: "(<= X_1 0.3)", with: "(<= X_1 -0.8)"),
            "l1.json": #"{"input_box": [0.9, 1], "l1_ball": {"center": [0, 0, 0, 0], "epsilon": 1}, "disjunction": [["y1 >= y0"]]}"#,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        for (file, reason) in [("p.vnnlib", "element 1 of input 'X' must lie in [-0.7, -0.8]"), ("l1.json", "the L1 ball of radius 1.0")] {
            let verified = try Tool.nnmip(["verify", model, dir.appendingPathComponent(file).path])
            #expect(verified.status == 0 && verified.stdout == "unsat\n", "\(file): \(verified.stdout)\n\(verified.stderr)")
            #expect(verified.stderr.contains("nnmip: warning: the input domain is empty (\(reason)"), "\(verified.stderr)")
            #expect(verified.stderr.contains("unsat (the input domain is empty: \(reason)"), "\(verified.stderr)")
        }
    }

    /// CBC and GLPK read the MILP of an empty domain as infeasible too: the empty intervals are rows.
    @Test(.needs(.cbc), .needs(.glpk)) func otherSolversFindTheMILPOfAnEmptyDomainInfeasible() throws {
        try Solver.cbc.require()
        try Solver.glpk.require()
        let dir = try folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let mps = dir.appendingPathComponent("m.mps").path
        let compiled = try Tool.nnmip(["compile", model, "--input-box", "0:1", "--constraint", "x1 <= -1", "--maximize", "y0", "-o", mps])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        let text = try String(contentsOfFile: mps, encoding: .utf8)
        #expect(text.contains(" G  spec_empty_l0_n1_lower") && text.contains(" L  spec_empty_l0_n1_upper"), "\(text.prefix(2000))")
        let cbc = try Solver.cbc.solve(mps)
        #expect(cbc.status.hasPrefix("Infeasible") && !cbc.optimal, "CBC says \(cbc.status)")
        let glpk = try Solver.glpk.solve(mps)
        #expect(!glpk.optimal, "GLPK says \(glpk.status)")
    }

    /// Every option that an error or warning suggests is an option of the command that prints it
    /// (an option in a quoted command of another, `'nnmip compile --names'`, names that command's).
    @Test(arguments: [
        ["verify", "fixtures/onnx/mlp_2x8.onnx", "UNBOUNDED"],
        ["verify", "fixtures/bad/keras/softmax_dense.keras", "fixtures/specs/mlp_2x8.robustness.vnnlib"],
        ["verify", "fixtures/keras/mlp_mixed.keras2_weights.h5", "fixtures/specs/mlp_2x8.robustness.vnnlib"],
        ["verify", "fixtures/onnx/mlp_2x8.onnx", "fixtures/specs/mlp_2x8.robustness.vnnlib", "--highs-library", "/nonexistent/libhighs.so"],
        ["compile", "fixtures/onnx/mlp_2x8.onnx", "--spec", "UNBOUNDED"],
        ["compile", "fixtures/onnx/mlp_2x8.onnx", "--maximize", "y0"],
        ["solve", "fixtures/onnx/mlp_2x8.onnx", "--spec", "UNBOUNDED"],
        ["inspect", "fixtures/onnx/softmax_tail.onnx"],
        ["eval", "fixtures/keras/mlp_mixed.keras2_weights.h5", "--input", "fixtures/specs/mlp_2x8.center.json"],
        ["prune", "fixtures/onnx/softmax_tail.onnx", "--sparsity", "0.5", "-o", "/dev/null"],
        ["solution", "read", "fixtures/specs/mlp_2x8.center.json", "--names", "fixtures/specs/mlp_2x8.center.json"],
    ])
    func hintsNameOnlyOptionsOfTheCommand(arguments: [String]) throws {
        let dir = try folder(["u.vnnlib": try property(replacing: "(assert (<= X_3 0.5))", with: "")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Tool.nnmip(arguments.map { $0 == "UNBOUNDED" ? dir.appendingPathComponent("u.vnnlib").path : $0 })
        #expect(result.status != 0, "\(arguments): \(result.stdout)")
        let tree = try CommandTree.load()
        let path = arguments[0] == "solution" ? ["solution", "read"] : [arguments[0]]
        let options = tree.options(at: path)
        let quoted = try NSRegularExpression(pattern: "'nnmip [^']*'")
        let own = quoted.stringByReplacingMatches(in: result.stderr, range: NSRange(result.stderr.startIndex..., in: result.stderr), withTemplate: "")
        let flag = try NSRegularExpression(pattern: "(?<![\\w-])--[a-z][a-z0-9-]*")
        let named = flag.matches(in: own, range: NSRange(own.startIndex..., in: own)).compactMap { Range($0.range, in: own).map { String(own[$0]) } }
        for option in named {
            #expect(options.contains(option), "\(arguments): the message names \(option), which 'nnmip \(path.joined(separator: " "))' does not have:\n\(result.stderr)")
        }
    }

    /// Where the command has the option, the hint is there.
    @Test func hintsAppearWhereTheCommandHasTheOption() throws {
        let cut = try Tool.nnmip(["inspect", "fixtures/onnx/softmax_tail.onnx"])
        #expect(cut.status == 1 && cut.stderr.contains("Cut the network before it with --output 'logits' (its input)."), "\(cut.stderr)")
        let config = try Tool.nnmip(["inspect", "fixtures/keras/mlp_mixed.keras2_weights.h5"])
        #expect(config.status == 64 && config.stderr.contains("Give it with --keras-config model.json"), "\(config.stderr)")
        // (verify reads an ONNX model's final Softmax as its logits; a Keras one it refuses, without the hint.)
        let verify = try Tool.nnmip(["verify", "fixtures/bad/keras/softmax_dense.keras", "fixtures/specs/mlp_2x8.robustness.vnnlib"])
        #expect(verify.status == 1 && verify.stderr.contains("activation 'softmax'") && !verify.stderr.contains("--output"), "\(verify.stderr)")
    }
}
