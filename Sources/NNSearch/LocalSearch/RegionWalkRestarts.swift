import NNIR
import NNSpec

/// The walk member of the surrogate search: region walks (`RegionWalk`) on the original network,
/// one per call, from a point given (another member's) or else first from the dense LP relaxation's
/// point when there is one, then from the domain's center and seeded random points. Every point of a walk better than the judge's best is
/// judged (source `walk`), so the running MILPs are offered it.
struct RegionWalkRestarts {
    /// The walk.
    var walk: RegionWalk
    /// The LP relaxation's input point, the first start (once).
    var relaxationPoint: [[Double]]?
    private let projection: DomainProjection
    /// The walks' LPs, made by the first walk (on the thread that runs them).
    private var lps: RegionLP?
    private var generator: SplitMix64
    private var sample = 0

    /// Walks `walk` from points drawn with `seed`.
    init(walk: RegionWalk, seed: UInt64) throws {
        self.walk = walk
        projection = try DomainProjection(spec: walk.spec, symbols: SymbolTable(graph: walk.original))
        generator = SplitMix64(seed: seed)
    }

    /// One walk from `from`, or else from the next start, stopping at `deadline`.
    mutating func next(from given: [[Double]]? = nil, judge: OriginalNetworkJudge<NetworkPoint>, deadline: Deadline) throws {
        let start: [[Double]]
        if let given {
            start = given
        } else if let relaxationPoint {
            start = relaxationPoint
            self.relaxationPoint = nil
        } else {
            start = projection.project(projection.boxes.samplePoint(sample, using: &generator))
            sample += 1
        }
        walk.seed = UInt64(sample) &+ 1
        let lps = try self.lps ?? walk.regionLPs()
        self.lps = lps
        _ = try walk.walk(from: start, lps: lps, deadline: deadline) { step in
            guard judge.improves(step.objective) else { return }
            judge.judge(step.point, step.lpObjective, SearchMember.walk.rawValue)
        }
    }
}
