import NNIR

/// One tensor's values as a JSON point gives them: a flat array in row-major order, or arrays nested
/// as the tensor's shape, as numpy's `tolist()` writes them (`[[[0.1, 0.2], [0.3, 0.4]]]` for a
/// [1, 2, 2] input), with or without a leading batch dimension of 1.
indirect enum TensorValues: Decodable {
    case number(Double)
    case array([TensorValues])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .array(try container.decode([TensorValues].self))
        }
    }

    /// The values in row-major order, after checking that they fit `shape`: a flat array of all its
    /// elements, or arrays nested exactly as `shape` (or as `shape` without its leading 1).
    /// `name` is the input's name and `path` the JSON path of this value, for messages.
    /// - Throws: `Diagnostic(.malformedInput)` naming the JSON path of the first misfit and the shape.
    func flattened(shape: [Int], name: String, path: String, source: String) throws -> [Double] {
        let count = Shape.count(shape)
        let expected = "input '\(name)' has shape \(Shape.describe(shape)): give arrays nested as that shape or one flat array of \(count) numbers"
        if case .array(let elements) = self, !elements.contains(where: \.isArray) {
            guard elements.count == count else {
                throw Diagnostic(.malformedInput, file: source, location: path.isEmpty ? "input '\(name)'" : path,
                                 "\(elements.count) values given, but \(expected)")
            }
            return elements.compactMap(\.number)
        }
        // Nested: as the shape, or (when the nesting is one level shallower) without its batch dimension.
        let depth = depth
        let dims = depth == shape.count - 1 && shape.first == 1 ? Array(shape.dropFirst()) : shape
        guard depth == dims.count else {
            throw Diagnostic(.malformedInput, file: source, location: path.isEmpty ? "input '\(name)'" : path,
                             "arrays nested \(depth) deep, but \(expected)")
        }
        var values: [Double] = []
        values.reserveCapacity(count)
        try append(to: &values, dims: dims[...], path: path, source: source, expected: expected)
        return values
    }

    /// How deeply the first elements nest: 0 for a number, 1 for a flat array.
    private var depth: Int {
        var depth = 0, value = self
        while case .array(let elements) = value {
            depth += 1
            guard let first = elements.first else { break }
            value = first
        }
        return depth
    }

    private var isArray: Bool {
        if case .array = self { return true }
        return false
    }

    private var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// Appends this value's numbers in row-major order, checking it against `dims`.
    private func append(to values: inout [Double], dims: ArraySlice<Int>, path: String, source: String, expected: String) throws {
        let place = path.isEmpty ? "the top level" : path
        switch (self, dims.first) {
        case (.number(let value), nil):
            values.append(value)
        case (.array, nil):
            throw Diagnostic(.malformedInput, file: source, location: place, "an array where a number belongs; \(expected)")
        case (.number, let size?):
            throw Diagnostic(.malformedInput, file: source, location: place, "a number where an array of \(size) belongs; \(expected)")
        case (.array(let elements), let size?):
            guard elements.count == size else {
                throw Diagnostic(.malformedInput, file: source, location: place, "an array of \(elements.count) where one of \(size) belongs; \(expected)")
            }
            for (k, element) in elements.enumerated() {
                try element.append(to: &values, dims: dims.dropFirst(), path: "\(path)[\(k)]", source: source, expected: expected)
            }
        }
    }
}
