import NNMIPKit
import Testing

/// The pipeline text: what parses, what prints back, and what users get told when it is wrong.
@Suite struct PipelineTests {
    @Test(arguments: [
        "canonicalize,bounds-symbolic,dead-neuron-elim",
        "bounds-lp{timeout=30,threads=2}",
        "canonicalize,bounds-ia,bounds-lp{threads=2},dead-neuron-elim,canonicalize",
        "",
    ])
    func pipelinesPrintBackToTheSameText(text: String) throws {
        #expect(try Pipeline(parsing: text).description == text)
    }

    @Test func whitespaceIsIgnoredAndOptionsKeepTheirOrder() throws {
        let pipeline = try Pipeline(parsing: " bounds-lp { threads=2, timeout=5 } , dead-neuron-elim ")
        #expect(pipeline.description == "bounds-lp{threads=2,timeout=5},dead-neuron-elim")
        #expect(pipeline.entries[0].options.map(\.key) == ["threads", "timeout"])
    }

    @Test func everyOptimizationLevelNamesRegisteredPasses() throws {
        for level in 0...3 {
            let pipeline = try #require(Pipeline.optimizationLevel(level))
            #expect(!pipeline.entries.isEmpty)
        }
        #expect(Pipeline.optimizationLevel(0)?.description == "bounds-ia")
        #expect(Pipeline.optimizationLevel(4) == nil)
    }

    @Test func registeredPassNamesAreUniqueKebabCase() {
        let names = PassRegistry.passes.map { $0.name }
        #expect(Set(names).count == names.count)
        for name in names { #expect(name.allSatisfy { $0.isLowercase || $0 == "-" }, "\(name)") }
        for pass in PassRegistry.passes { #expect(!pass.summary.isEmpty) }
    }

    @Test(arguments: [
        ("bounds-symbolc", "unknown pass 'bounds-symbolc' (did you mean 'bounds-symbolic'?)"),
        ("canonicalize,,dead-neuron-elim", "a pass name is missing"),
        ("canonicalize,", "a pass name is missing after the last ','"),
        ("bounds-lp{timeout=30", "'{' after 'bounds-lp' is not closed"),
        ("bounds-lp{timeout}", "'timeout' in bounds-lp{...} is not key=value"),
        ("bounds-lp{speed=3}", "bounds-lp has no option 'speed'; it takes timeout, threads"),
        ("canonicalize{x=1}", "canonicalize has no option 'x' (it takes none)"),
        ("bounds-lp{threads=two}", "bounds-lp{threads=two}: expected a whole number >= 0"),
        ("bounds-lp{timeout=-1}", "bounds-lp{timeout=-1}: expected a finite number >= 0"),
        ("bounds-lp{threads=1,threads=2}", "bounds-lp has 'threads' twice"),
        ("bounds-lp{threads=1}x", "expected ',' after 'bounds-lp'"),
        ("prune{method=largest}", "prune{method=largest}: expected one of magnitude, random"),
        ("prune{scope=net}", "prune{scope=net}: expected one of layer, global"),
        ("prune{seed=-3}", "prune{seed=-3}: expected a whole number >= 0"),
        ("prune-neurons{sparsity=nan}", "prune-neurons{sparsity=nan}: expected a finite number >= 0"),
        ("prune{sparsity=0.5,spars=0.5}", "prune has no option 'spars'; it takes sparsity, method, scope, seed"),
    ])
    func mistakesAreExplained(text: String, message: String) {
        do {
            _ = try Pipeline(parsing: text)
            Issue.record("'\(text)' parsed")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.kind == .usage)
            #expect(diagnostic.description.contains(message), "\(diagnostic)")
            #expect(diagnostic.description.contains("--passes '\(text)'"), "\(diagnostic)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
