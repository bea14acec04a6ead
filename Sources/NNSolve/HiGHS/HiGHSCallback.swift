/// Where a MIP solve stands, as HiGHS reports it to callbacks and after a run.
public struct HiGHSProgress: Sendable, Equatable {
    /// Wall-clock seconds since the run started.
    public var seconds: Double
    /// The objective of the best solution so far (infinite in the optimization's
    /// direction while there is none).
    public var primalBound: Double
    /// The best bound proved on the objective.
    public var dualBound: Double
    /// The relative gap between the two, as HiGHS computes it (infinite while there is no solution).
    public var gap: Double
    /// Branch-and-bound nodes explored.
    public var nodes: Int64

    /// Creates a progress record.
    public init(seconds: Double, primalBound: Double, dualBound: Double, gap: Double, nodes: Int64) {
        self.seconds = seconds
        self.primalBound = primalBound
        self.dualBound = dualBound
        self.gap = gap
        self.nodes = nodes
    }
}

/// What a callback hears from HiGHS while it solves a MIP.
public enum HiGHSEvent {
    /// HiGHS checks whether to stop (many times a second during branch and bound).
    case progress(HiGHSProgress)
    /// HiGHS found a solution better than every one before it: its objective
    /// and the value of every column of the model passed.
    case improvingSolution(objective: Double, columnValues: [Double], progress: HiGHSProgress)
    /// HiGHS asks whether the caller has a solution to offer (at points of its search it chooses);
    /// answer `.offer(columnValues)` to give one, which HiGHS takes when it is feasible and better.
    case solutionWanted(HiGHSProgress)
}

/// A callback's answer: go on, or stop the solve (HiGHS then reports
/// `HiGHSStatus.interrupt` and keeps the best solution found).
public enum HiGHSCallbackReply: Sendable {
    case proceed
    case interrupt
    /// A value for every column, in answer to `HiGHSEvent.solutionWanted`.
    case offer([Double])
}

/// The Swift side of HiGHS's C callback: `HiGHSSolver` keeps one alive while
/// it is installed and hands HiGHS an unretained pointer to it as user data.
final class HiGHSCallbackBox {
    let library: HiGHSLibrary
    let columnCount: Int
    let handler: (HiGHSEvent) -> HiGHSCallbackReply
    /// Set when the handler asked to stop: HiGHS takes the request only from
    /// its interrupt check, not from the improving-solution callback.
    private var stopRequested = false

    /// `kHighsCallbackMipImprovingSolution`, `kHighsCallbackMipInterrupt` and
    /// `kHighsCallbackCallbackMipUserSolution` of `highs_c_api.h`.
    static let mipImprovingSolution: Int32 = 4
    static let mipInterrupt: Int32 = 6
    static let mipUserSolution: Int32 = 9

    /// The byte offset of `int user_has_solution` in `HighsCallbackDataIn` (`lp_data/HighsCallbackStruct.h`):
    /// after `int user_interrupt` (padded to 8 bytes), `double* user_solution` and `void* cbdata`.
    static let userHasSolutionOffset = 8 + 2 * MemoryLayout<UnsafeRawPointer>.size

    init(library: HiGHSLibrary, columnCount: Int, handler: @escaping (HiGHSEvent) -> HiGHSCallbackReply) {
        self.library = library
        self.columnCount = columnCount
        self.handler = handler
    }

    /// The function HiGHS calls; it finds the box through the user-data pointer.
    /// It captures nothing, as a C function pointer must.
    static let trampoline: HiGHSLibrary.CallbackFunction = { type, _, dataOut, dataIn, user in
        guard let user, let dataOut else { return }
        let box = Unmanaged<HiGHSCallbackBox>.fromOpaque(user).takeUnretainedValue()
        switch box.handle(type: type, dataOut: dataOut) {
        case .interrupt:
            box.stopRequested = true
        case .offer(let values) where type == HiGHSCallbackBox.mipUserSolution && values.count == box.columnCount:
            // HiGHS checks the values itself and keeps them only when they are feasible and better.
            // Highs_setCallbackSolution copies them and marks its C++ input, but HiGHS then reads the
            // mark back from the C struct: set `user_has_solution` there too.
            if let dataIn, box.library.setCallbackSolution(dataIn, Int32(values.count), values) == 0 {
                dataIn.storeBytes(of: Int32(1), toByteOffset: HiGHSCallbackBox.userHasSolutionOffset, as: Int32.self)
            }
        case .offer, .proceed:
            break
        }
        // HighsCallbackDataIn starts with `int user_interrupt`, a layout HiGHS promises to keep.
        if type == HiGHSCallbackBox.mipInterrupt, box.stopRequested, let dataIn { dataIn.storeBytes(of: Int32(1), as: Int32.self) }
    }

    private func handle(type: Int32, dataOut: UnsafeRawPointer) -> HiGHSCallbackReply {
        func item<T>(_ name: String, _: T.Type) -> T? {
            library.getCallbackDataOutItem(dataOut, name).map { $0.loadUnaligned(as: T.self) }
        }
        let progress = HiGHSProgress(
            seconds: item("running_time", Double.self) ?? 0,
            primalBound: item("mip_primal_bound", Double.self) ?? .nan,
            dualBound: item("mip_dual_bound", Double.self) ?? .nan,
            gap: item("mip_gap", Double.self) ?? .nan,
            nodes: item("mip_node_count", Int64.self) ?? 0)
        switch type {
        case Self.mipImprovingSolution:
            // For "mip_solution" HiGHS returns the array itself, not a pointer to the field.
            guard let solution = library.getCallbackDataOutItem(dataOut, "mip_solution") else { return .proceed }
            let values = Array(UnsafeBufferPointer(start: solution.assumingMemoryBound(to: Double.self), count: columnCount))
            let objective = item("objective_function_value", Double.self) ?? .nan
            return handler(.improvingSolution(objective: objective, columnValues: values, progress: progress))
        case Self.mipInterrupt:
            return handler(.progress(progress))
        case Self.mipUserSolution:
            return handler(.solutionWanted(progress))
        default:
            return .proceed
        }
    }
}
