import NNIR

extension Array where Element == Bounds {
    /// Sample `index` of the box (one `Bounds` per network input): its center for 0, else a
    /// point drawn uniformly with `generator`, one draw per element in order, so that a seed
    /// gives the same points wherever the box is sampled.
    func samplePoint(_ index: Int, using generator: inout SplitMix64) -> [[Double]] {
        map { b in
            b.lower.indices.map { k in
                index == 0 ? b.lower[k] + (b.upper[k] - b.lower[k]) / 2 : b.lower[k] + (b.upper[k] - b.lower[k]) * generator.nextUnit()
            }
        }
    }
}
