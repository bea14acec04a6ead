extension Graph {
    /// The number of elements of all inputs together.
    public var flatInputCount: Int {
        inputs.reduce(0) { $0 + self[$1].elementCount }
    }

    /// `values`, one per element of all inputs one after another (the flattened order an embedding
    /// links them in), split into one vector per input.
    /// - Precondition: `values.count == flatInputCount`.
    public func inputTensors(fromFlat values: [Double]) -> [[Double]] {
        precondition(values.count == flatInputCount, "\(values.count) values for \(flatInputCount) input elements")
        var offset = 0
        return inputs.map { input in
            let n = self[input].elementCount
            defer { offset += n }
            return Array(values[offset..<offset + n])
        }
    }
}
