import NNIR

/// What a pass may use besides the graph, and where it reports what it did.
///
/// The driver fills it: the LP solver for `bounds-lp`, a progress sink for
/// long passes, and the deadline of the command the passes run in. Passes append remarks (as LLVM's optimization remarks) that
/// instrumentation shows; they never print themselves.
public struct PassContext {
    /// Solves LP relaxations for `bounds-lp`; nil when no LP solver is available.
    public var linearRelaxations: (any LinearRelaxationOracle)?
    /// Receives a one-line progress message from long passes (the driver
    /// shows it on standard error); nil to stay silent.
    public var progress: ((String) -> Void)?
    /// When the command running the passes must end (its user's time limit, or
    /// a signal): a pass with a budget of its own stops at whichever comes
    /// first, and the pass manager runs no pass after it has passed.
    public var deadline: Deadline
    /// The threads a pass may keep busy at once (`bounds-symbolic` bounds that many
    /// blocks of rows concurrently); 1 when other work has the other cores.
    public var threads: Int
    /// What the passes did and why, in order.
    public private(set) var remarks: [PassRemark] = []
    /// The pass running now (set by the pass manager), which remarks are attributed to.
    var currentPass = ""

    /// Creates a context.
    public init(linearRelaxations: (any LinearRelaxationOracle)? = nil, progress: ((String) -> Void)? = nil,
                deadline: Deadline = .none, threads: Int = 1) {
        self.linearRelaxations = linearRelaxations
        self.threads = max(1, threads)
        self.progress = progress
        self.deadline = deadline
    }

    /// Records a remark of the running pass, about one node of the graph (`node`, its index) or
    /// about the whole graph (nil).
    public mutating func remark(_ message: String, node: Int? = nil) {
        remarks.append(PassRemark(pass: currentPass, message: message, node: node))
    }
}

/// One thing a pass reports having done (or declined to do), with its reason.
public struct PassRemark: Equatable, Sendable {
    /// The pass's name.
    public var pass: String
    /// What it did, in words.
    public var message: String
    /// The node it is about (`--stats=layers` prints these), nil for the whole graph.
    public var node: Int?
}
