import NNIR
import NNMILP

/// One HiGHS instance (`Highs_create`, freed by `Highs_destroy`) holding one
/// model in memory.
///
/// The model is passed once; the objective can then be replaced and the model
/// re-solved any number of times, HiGHS starting each LP from the previous
/// basis. An instance is not thread-safe: use one per thread.
public final class HiGHSSolver {
    /// The library whose functions this instance calls.
    public let library: HiGHSLibrary
    /// The `void*` that `Highs_create` returned.
    let handle: UnsafeMutableRawPointer
    /// The number of columns of the model passed (or read).
    var columnCount = 0
    /// The columns whose cost in HiGHS is nonzero, ascending.
    private var costColumns: [Int32] = []
    /// The installed callback, kept alive while HiGHS holds a pointer to it.
    private var callback: HiGHSCallbackBox?
    /// The time limit asked for by `setTimeLimit`, before the share kept for HiGHS's untimed work.
    private var requestedTimeLimit: Double?
    /// The model's size, for that share: nonzeros, and whether HiGHS solves it as a MIP.
    private var nonzeroCount = 0
    private var isMIP = false

    /// `kHighsStatusOk` and `kHighsStatusWarning`; anything else is an error.
    private static let statusOk: Int32 = 0
    private static let statusWarning: Int32 = 1
    /// `kHighsMatrixFormatRowwise`.
    private static let matrixFormatRowwise: Int32 = 2
    /// `kHighsHessianFormatTriangular` (no Hessian is passed).
    private static let hessianFormatTriangular: Int32 = 1
    /// `kHighsVarTypeContinuous` and `kHighsVarTypeInteger`.
    private static let continuous: Int32 = 0
    private static let integer: Int32 = 1

    /// Creates an empty HiGHS instance (`Highs_create`) with its output off
    /// (option `output_flag` false) and without the work that ignores the time limit.
    public init(library: HiGHSLibrary) throws {
        guard let handle = library.create() else {
            throw HiGHSError(function: "Highs_create", status: nil, context: "it returned NULL (out of memory?)")
        }
        self.library = library
        self.handle = handle
        try setOption("output_flag", false)
        try turnOffWorkThatIgnoresTheClock()
    }

    /// Bit 14 of `presolve_rule_off`: `kPresolveRuleSparsify` of HiGHS's `HConst.h`.
    private static let presolveRuleSparsify = 1 << 14

    /// Turns off the two parts of a MIP solve that never look at `time_limit` and grow with the
    /// network's dense rows: presolve's sparsify rule and symmetry detection. With them, HiGHS
    /// 1.15 ran 535 s past a 12 s limit on a 784-1024x3-10 network (sparsify) and 18 s past an
    /// 8 s one (symmetry detection) once sparsify was off; a 784-256x4-10 network took 23 s for a
    /// 4 s limit. Neither pays here: trained weights give no symmetric columns to exploit, and
    /// sparsify only trades nonzeros between equality rows.
    private func turnOffWorkThatIgnoresTheClock() throws {
        try setOption("presolve_rule_off", Self.presolveRuleSparsify)
        try setOption("mip_detect_symmetry", false)
    }

    deinit {
        library.destroy(handle)
    }

    /// Turns a `kHighsStatus` returned by `function` into a `HiGHSError` when
    /// it is neither ok nor a warning; `context` is only built on failure.
    func check(_ status: Int32, _ function: String, _ context: @autoclosure () -> String) throws(HiGHSError) {
        guard status != Self.statusOk, status != Self.statusWarning else { return }
        throw HiGHSError(function: function, status: status, context: context())
    }

    /// Sets a boolean option (`Highs_setBoolOptionValue`).
    public func setOption(_ name: String, _ value: Bool) throws {
        let status = library.setBoolOptionValue(handle, name, value ? 1 : 0)
        try check(status, "Highs_setBoolOptionValue", "option \(name) = \(value)")
    }

    /// Sets an integer option (`Highs_setIntOptionValue`).
    ///
    /// - Throws: `Diagnostic(.usage)` if `value` does not fit HiGHS's 32-bit integers.
    public func setOption(_ name: String, _ value: Int) throws {
        guard let value32 = Int32(exactly: value) else {
            throw Diagnostic(.usage, "HiGHS option \(name) = \(value) is out of HiGHS's 32-bit integer range")
        }
        let status = library.setIntOptionValue(handle, name, value32)
        try check(status, "Highs_setIntOptionValue", "option \(name) = \(value)")
    }

    /// Sets a floating-point option (`Highs_setDoubleOptionValue`).
    public func setOption(_ name: String, _ value: Double) throws {
        let status = library.setDoubleOptionValue(handle, name, value)
        try check(status, "Highs_setDoubleOptionValue", "option \(name) = \(value)")
    }

    /// The value of a floating-point option (`Highs_getDoubleOptionValue`).
    public func doubleOption(_ name: String) throws -> Double {
        var value = 0.0
        let status = library.getDoubleOptionValue(handle, name, &value)
        try check(status, "Highs_getDoubleOptionValue", "option \(name)")
        return value
    }

    /// The smallest time limit `setTimeLimit` passes on: HiGHS rejects a limit
    /// of zero or below, and a limit that ran out must still end the run at once.
    public static let minimumTimeLimit = 0.001

    /// Makes HiGHS end within `seconds`: sets the `time_limit` option to `seconds` less the share that
    /// HiGHS's untimed root work on the model takes (see `untimedRootSeconds`), raised to
    /// `minimumTimeLimit` when it is smaller (a deadline already passed stops HiGHS at once).
    public func setTimeLimit(_ seconds: Double) throws {
        requestedTimeLimit = seconds
        try applyTimeLimit()
    }

    private func applyTimeLimit() throws {
        guard let requested = requestedTimeLimit else { return }
        let untimed = isMIP ? min(Self.untimedRootSeconds(nonzeros: nonzeroCount), Self.largestUntimedShare * requested) : 0
        try setOption("time_limit", max(requested - untimed, Self.minimumTimeLimit))
    }

    /// Seconds of work at the end of a MIP's root node that never look at the clock: once the root
    /// LP has stopped at the time limit, HiGHS 1.15 still runs randomized rounding on its point, whose
    /// domain propagation sweeps every row; on a 784-1024x3-10 network (2.9M nonzeros) that took
    /// 3.0 s past the limit. No option turns it off, so the limit given to HiGHS leaves that time,
    /// measured there as about a microsecond per nonzero (1.2 allows for a loaded machine).
    static func untimedRootSeconds(nonzeros: Int) -> Double {
        1.2e-6 * Double(nonzeros)
    }

    /// The largest part of a time limit kept for the untimed root work: HiGHS must still get most of it.
    static let largestUntimedShare = 0.4

    /// Sets a string option (`Highs_setStringOptionValue`).
    public func setOption(_ name: String, _ value: String) throws {
        let status = library.setStringOptionValue(handle, name, value)
        try check(status, "Highs_setStringOptionValue", "option \(name) = \"\(value)\"")
    }

    /// Replaces HiGHS's model by `model` (`Highs_passModel`, rows passed
    /// row-wise, with the objective's offset). A `<=` row gets lower bound -infinity, a `>=` row upper
    /// bound +infinity, an `=` row both bounds equal to its right-hand side, a range row its two ends.
    ///
    /// - Parameter relaxIntegrality: pass every column as continuous (the LP relaxation).
    /// - Throws: `Diagnostic(.unsupported)` if the model is too large for
    ///   HiGHS's 32-bit indices; `HiGHSError` if HiGHS rejects it.
    public func passModel(_ model: MILPModel, relaxIntegrality: Bool = false) throws {
        let limit = Int(Int32.max)
        guard model.columnCount <= limit, model.rowCount <= limit, model.nonzeroCount <= limit else {
            throw Diagnostic(.unsupported, "the MILP '\(model.name)' has \(model.columnCount) columns, \(model.rowCount) rows and \(model.nonzeroCount) nonzeros; HiGHS's 32-bit indices allow at most \(limit) of each")
        }
        let rowBounds = (0..<model.rowCount).map(model.rowBounds)
        let rowLower = rowBounds.map(\.lower), rowUpper = rowBounds.map(\.upper)
        let rowStart = model.rowStart.map { Int32($0) }
        let integrality = model.columnIsInteger.map { $0 ? Self.integer : Self.continuous }
        let status = integrality.withUnsafeBufferPointer { integrality in
            library.passModel(
                handle, Int32(model.columnCount), Int32(model.rowCount), Int32(model.nonzeroCount), 0,
                Self.matrixFormatRowwise, Self.hessianFormatTriangular, Self.senseCode(model.sense), model.objectiveOffset,
                model.objective, model.columnLower, model.columnUpper, rowLower, rowUpper,
                rowStart, model.entryColumn, model.entryValue, nil, nil, nil,
                relaxIntegrality ? nil : integrality.baseAddress)
        }
        try check(status, "Highs_passModel",
                  "model '\(model.name)' (\(model.columnCount) columns, \(model.rowCount) rows, \(model.nonzeroCount) nonzeros)")
        columnCount = model.columnCount
        costColumns = model.objective.indices.filter { model.objective[$0] != 0 }.map { Int32($0) }
        nonzeroCount = model.nonzeroCount
        isMIP = !relaxIntegrality && model.integerCount > 0
        try applyTimeLimit()
        // Feasibility jump does not look at the clock either; below this size it takes well under a
        // second, on the 2.9M-nonzero network above it took about 4 s past the limit.
        try setOption("mip_heuristic_run_feasibility_jump", model.nonzeroCount < Self.untimedHeuristicNonzeroLimit)
    }

    /// The model size (nonzeros) from which feasibility jump is turned off (see `passModel`).
    static let untimedHeuristicNonzeroLimit = 1_000_000

    /// Replaces the whole objective: the columns in `costs` get their
    /// coefficient (repeated columns add up), every other column cost zero
    /// (`Highs_changeColsCostBySet`), and the direction becomes `sense`
    /// (`Highs_changeObjectiveSense`).
    ///
    /// Only the columns whose cost changes are sent, and the model is kept,
    /// so HiGHS re-solves an LP from its last basis.
    /// - Precondition: every column is one of the model's.
    public func setObjective(_ costs: [(column: Int, coefficient: Double)], sense: MILPModel.Sense) throws {
        var wanted: [Int32: Double] = [:]
        for (column, coefficient) in costs {
            precondition(column >= 0 && column < columnCount, "column \(column) is not in the model's \(columnCount) columns")
            wanted[Int32(column), default: 0] += coefficient
        }
        var changes = wanted
        for column in costColumns where wanted[column] == nil { changes[column] = 0 }
        if !changes.isEmpty {
            let sorted = changes.sorted { $0.key < $1.key }
            let columns = sorted.map(\.key)
            let values = sorted.map(\.value)
            let status = library.changeColsCostBySet(handle, Int32(columns.count), columns, values)
            try check(status, "Highs_changeColsCostBySet", "costs of \(columns.count) columns")
            costColumns = sorted.filter { $0.value != 0 }.map(\.key)
        }
        let status = library.changeObjectiveSense(handle, Self.senseCode(sense))
        try check(status, "Highs_changeObjectiveSense", "sense \(sense)")
    }

    /// Changes the bounds of the columns in `bounds` (`Highs_changeColsBoundsBySet`), keeping the
    /// model, so that HiGHS re-solves an LP from its last basis.
    /// - Precondition: every column is one of the model's.
    public func setColumnBounds(_ bounds: [(column: Int, lower: Double, upper: Double)]) throws {
        guard !bounds.isEmpty else { return }
        let sorted = bounds.sorted { $0.column < $1.column }
        precondition(sorted.allSatisfy { $0.column >= 0 && $0.column < columnCount }, "a column outside the model's \(columnCount)")
        let status = library.changeColsBoundsBySet(handle, Int32(sorted.count), sorted.map { Int32($0.column) }, sorted.map(\.lower),
                                                   sorted.map(\.upper))
        try check(status, "Highs_changeColsBoundsBySet", "bounds of \(sorted.count) columns")
    }

    /// Solves the model (`Highs_run`) and returns HiGHS's model status
    /// (`Highs_getModelStatus`).
    ///
    /// - Throws: `HiGHSError` when `Highs_run` returns `kHighsStatusError`
    ///   (a warning is fine: the status says what happened).
    public func run() throws -> HiGHSStatus {
        // HiGHS's clock runs on across calls, and its time limit applies to the
        // total; zeroing it makes `time_limit` (and `lastRun.seconds`) per run.
        _ = library.zeroAllClocks(handle)
        let status = library.run(handle)
        let modelStatus = library.getModelStatus(handle)
        let known = HiGHSStatus(rawValue: modelStatus)
        try check(status, "Highs_run", "model status \(known?.description ?? String(modelStatus))")
        guard let known else {
            throw HiGHSError(function: "Highs_getModelStatus", status: nil, context: "unknown model status \(modelStatus)")
        }
        return known
    }

    /// The objective value of the last solution (`Highs_getObjectiveValue`).
    public var objectiveValue: Double {
        library.getObjectiveValue(handle)
    }

    /// The value of each column in the last solution (`Highs_getSolution`);
    /// NaN for every column when HiGHS has no solution.
    public func columnValues() throws -> [Double] {
        var values = [Double](repeating: .nan, count: columnCount)
        let status = library.getSolution(handle, &values, nil, nil, nil)
        try check(status, "Highs_getSolution", "\(columnCount) column values")
        return values
    }

    /// Installs `handler` for the MIP solves that follow: HiGHS calls it with
    /// every improving solution and, many times a second, with its progress;
    /// the handler's reply can stop the solve. With `offersSolutions`, HiGHS also asks it for
    /// solutions (`HiGHSEvent.solutionWanted`) at points of its search, and takes an offered one
    /// when it is feasible and better than its incumbent. It runs on HiGHS's solving
    /// thread, inside `run()`. Pass the model first: solutions are read with
    /// its column count.
    public func setCallback(offersSolutions: Bool = false, _ handler: @escaping (HiGHSEvent) -> HiGHSCallbackReply) throws {
        let box = HiGHSCallbackBox(library: library, columnCount: columnCount, handler: handler)
        let status = library.setCallback(handle, HiGHSCallbackBox.trampoline, Unmanaged.passUnretained(box).toOpaque())
        try check(status, "Highs_setCallback", "the improving-solution callback")
        callback = box
        let types = [HiGHSCallbackBox.mipImprovingSolution, HiGHSCallbackBox.mipInterrupt] + (offersSolutions ? [HiGHSCallbackBox.mipUserSolution] : [])
        for type in types {
            try check(library.startCallback(handle, type), "Highs_startCallback", "callback type \(type)")
        }
    }

    /// Gives HiGHS a starting point for the next MIP solve, a value for every
    /// column (`Highs_setSolution`); HiGHS uses it as its first incumbent when
    /// it is feasible.
    /// - Precondition: one value per column of the model passed.
    public func setStart(_ columnValues: [Double]) throws {
        precondition(columnValues.count == columnCount, "\(columnValues.count) start values for \(columnCount) columns")
        let status = library.setSolution(handle, columnValues, nil, nil, nil)
        try check(status, "Highs_setSolution", "a start of \(columnCount) column values")
    }

    /// Where the last run ended: its wall-clock time (`Highs_getRunTime`), and
    /// for a MIP the best bound, gap and node count (infos `mip_dual_bound`,
    /// `mip_gap`, `mip_node_count`); NaN or 0 where HiGHS has none (an LP).
    public var lastRun: HiGHSProgress {
        var dual = Double.nan, gap = Double.nan
        var nodes: Int64 = 0
        // A failed info query (an LP has no MIP infos) leaves the value as set above.
        _ = library.getDoubleInfoValue(handle, "mip_dual_bound", &dual)
        _ = library.getDoubleInfoValue(handle, "mip_gap", &gap)
        _ = library.getInt64InfoValue(handle, "mip_node_count", &nodes)
        return HiGHSProgress(seconds: library.getRunTime(handle), primalBound: objectiveValue, dualBound: dual, gap: gap, nodes: nodes)
    }

    /// Whether HiGHS holds a feasible solution after the last run (info
    /// `primal_solution_status` is `kSolutionStatusFeasible`); after a time
    /// limit without one, `columnValues()` may hold some other point.
    public var hasFeasibleSolution: Bool {
        var value: Int32 = 0
        guard library.getIntInfoValue(handle, "primal_solution_status", &value) == Self.statusOk else { return false }
        return value == 2
    }

    /// Sets HiGHS's `threads` option. HiGHS keeps one thread pool per process,
    /// started by the first run with the thread count of that run, and refuses
    /// a later run that asks for another count; so the pool is reset first
    /// (`Highs_resetGlobalScheduler`). Call it only while no other HiGHS
    /// instance is solving.
    public func setThreads(_ count: Int) throws {
        library.resetGlobalScheduler(1)
        try setOption("threads", count)
    }

    /// Sends HiGHS's own log to `path` instead of nowhere (options
    /// `output_flag`, `log_to_console` and `log_file`).
    public func writeLog(to path: String) throws {
        try setOption("log_to_console", false)
        try setOption("log_file", path)
        try setOption("output_flag", true)
    }

    /// `kHighsObjSenseMinimize` (1) or `kHighsObjSenseMaximize` (-1).
    private static func senseCode(_ sense: MILPModel.Sense) -> Int32 {
        switch sense {
        case .minimize: 1
        case .maximize: -1
        }
    }
}
