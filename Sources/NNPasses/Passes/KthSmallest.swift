import NNIR

/// Selection: the value of rank `k` (0-based) among numbers, in linear expected
/// time and without sorting them (Hoare's quickselect with a three-way
/// partition, so that runs of equal values cost nothing extra).
enum KthSmallest {
    /// The value that would be at index `rank` if `a` (none of them NaN) were sorted ascending;
    /// `a` is reordered (in place: pruning 10^8 weights needs no second copy).
    static func value(_ a: inout [Double], rank: Int) -> Double {
        precondition(a.indices.contains(rank), "rank \(rank) outside 0..<\(a.count)")
        var low = 0, high = a.count - 1
        var generator = SplitMix64(seed: 0x5eed)
        while low < high {
            // A seeded random pivot: no input order makes the selection quadratic on purpose.
            let pivot = a[low + Int(generator.next() % UInt64(high - low + 1))]
            // a[low..<lt] < pivot, a[lt..<i] == pivot, a[gt+1...high] > pivot.
            var lt = low, i = low, gt = high
            while i <= gt {
                if a[i] < pivot {
                    a.swapAt(lt, i)
                    lt += 1
                    i += 1
                } else if a[i] > pivot {
                    a.swapAt(i, gt)
                    gt -= 1
                } else {
                    i += 1
                }
            }
            if rank < lt {
                high = lt - 1
            } else if rank > gt {
                low = gt + 1
            } else {
                return pivot
            }
        }
        return a[low]
    }
}
