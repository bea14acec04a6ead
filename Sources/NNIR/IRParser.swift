/// Reads the IR text form written by `IRPrinter` back into a `Graph`.
///
/// Errors name the line and column. The parsed graph is not verified here;
/// callers run `Verifier` as they would on any graph.
public struct IRParser {
    private let fileName: String?

    /// Creates a parser; `fileName` is used in diagnostics.
    public init(fileName: String? = nil) {
        self.fileName = fileName
    }

    /// Parses a whole IR file.
    public func parse(_ text: String) throws -> Graph {
        var graph = Graph()
        var sawHeader = false
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = number + 1
            let line = rawLine.trimmingTrailingWhitespace()
            if !sawHeader {
                guard line == IRPrinter.header else {
                    throw Diagnostic(.malformedInput, file: fileName, location: "line 1",
                                     "not an nnmip IR file: the first line must be '\(IRPrinter.header)'")
                }
                sawHeader = true
                continue
            }
            if line.isEmpty || line.hasPrefix(";") { continue }
            var scanner = LineScanner(line: line, lineNumber: lineNumber, fileName: fileName)
            if line.hasPrefix("output") {
                graph.outputs.append(try scanner.outputLine(valueCount: graph.nodes.count))
            } else {
                graph.nodes.append(try scanner.nodeLine(expectedIndex: graph.nodes.count, graph: graph))
            }
        }
        guard sawHeader else {
            throw Diagnostic(.malformedInput, file: fileName, location: "line 1", "empty file; expected '\(IRPrinter.header)'")
        }
        return graph
    }
}

/// A cursor over one line of IR text with the small grammar's productions.
private struct LineScanner {
    let chars: [UInt8]
    let lineNumber: Int
    let fileName: String?
    var position = 0

    init(line: Substring, lineNumber: Int, fileName: String?) {
        chars = Array(line.utf8)
        self.lineNumber = lineNumber
        self.fileName = fileName
    }

    func error(_ message: String) -> Diagnostic {
        Diagnostic(.malformedInput, file: fileName, location: "line \(lineNumber), column \(position + 1)", message)
    }

    // MARK: Lines

    mutating func outputLine(valueCount: Int) throws -> GraphOutput {
        try keyword("output")
        let name = try string()
        try symbol("=")
        let value = try valueRef(below: valueCount)
        try end()
        return GraphOutput(name: name, value: value)
    }

    mutating func nodeLine(expectedIndex: Int, graph: Graph) throws -> Node {
        let defined = try valueRef(below: Int.max)
        guard defined.index == expectedIndex else {
            throw error("values must be numbered in order: expected %\(expectedIndex), found \(defined)")
        }
        try symbol("=")
        let keyword = try identifier()
        var inputName: String?
        if keyword == "input" { inputName = try string() }
        var operands: [ValueID] = []
        skipSpaces()
        if peek() == UInt8(ascii: "%") {
            operands.append(try valueRef(below: expectedIndex))
            while peekAfterSpaces() == UInt8(ascii: ",") {
                try symbol(",")
                operands.append(try valueRef(below: expectedIndex))
            }
        }
        try symbol(":")
        let shape = try intList()
        var attributes: [String: Int] = [:]  // key -> column, to reject duplicates
        var node = Node(operation: .relu, operands: operands, shape: shape)
        var values = AttributeValues()
        while true {
            skipSpaces()
            if atEnd { break }
            let key = try identifier()
            if key == "loc" {
                try symbol("(")
                node.location = try string()
                try symbol(")")
                continue
            }
            guard attributes[key] == nil else { throw error("attribute '\(key)' given twice") }
            attributes[key] = position
            try symbol("=")
            try values.read(key, from: &self)
        }
        node.operation = try values.operation(keyword, inputName: inputName, scanner: self)
        if values.lower != nil || values.upper != nil {
            guard let lower = values.lower, let upper = values.upper else { throw error("bounds need both lower= and upper=") }
            node.bounds = Bounds(lower: lower, upper: upper)
        }
        return node
    }

    // MARK: Tokens

    var atEnd: Bool { position >= chars.count }

    /// Letters that may appear in a number: exponents, `inf`, `nan`, signs, the decimal point.
    static let numberLetters: Set<UInt8> = Set("+-.eEinfa".utf8)

    func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(c)
    }

    func isLetter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }

    func peek() -> UInt8? { atEnd ? nil : chars[position] }

    mutating func peekAfterSpaces() -> UInt8? {
        skipSpaces()
        return peek()
    }

    mutating func skipSpaces() {
        while let c = peek(), c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { position += 1 }
    }

    mutating func end() throws {
        skipSpaces()
        guard atEnd else { throw error("unexpected text '\(text(position..<chars.count))'") }
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: chars[range], as: UTF8.self)
    }

    mutating func symbol(_ s: Unicode.Scalar) throws {
        skipSpaces()
        guard peek() == UInt8(ascii: s) else { throw error("expected '\(s)'") }
        position += 1
    }

    mutating func keyword(_ word: String) throws {
        let found = try identifier()
        guard found == word else { throw error("expected '\(word)', found '\(found)'") }
    }

    mutating func identifier() throws -> String {
        skipSpaces()
        let start = position
        while let c = peek(), isLetter(c) || c == UInt8(ascii: "_") || (position > start && isDigit(c)) { position += 1 }
        guard position > start else { throw error("expected a keyword") }
        return text(start..<position)
    }

    mutating func valueRef(below limit: Int) throws -> ValueID {
        try symbol("%")
        let index = try integer()
        guard index >= 0, index < limit else { throw error("value %\(index) is not defined before this line") }
        return ValueID(index)
    }

    mutating func integer() throws -> Int {
        skipSpaces()
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        while let c = peek(), isDigit(c) { position += 1 }
        guard let value = Int(text(start..<position)) else { throw error("expected an integer") }
        return value
    }

    mutating func double() throws -> Double {
        skipSpaces()
        let start = position
        while let c = peek(), isDigit(c) || LineScanner.numberLetters.contains(c) { position += 1 }
        guard let value = Double(text(start..<position)) else { throw error("expected a number") }
        return value
    }

    mutating func bool() throws -> Bool {
        switch try identifier() {
        case "true": return true
        case "false": return false
        default: throw error("expected true or false")
        }
    }

    mutating func string() throws -> String {
        try symbol("\"")
        var out: [UInt8] = []
        while let c = peek() {
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { break }
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "u"):
                    // JSON's \uXXXX, as IRPrinter writes it; also \u{X}, which older dumps used.
                    let braced = peek() == UInt8(ascii: "{")
                    if braced { position += 1 }
                    let start = position
                    while let h = peek(), isHexDigit(h), braced || position - start < 4 { position += 1 }
                    guard braced || position - start == 4, let code = UInt32(text(start..<position), radix: 16),
                          let scalar = Unicode.Scalar(code) else { throw error("bad \\u escape") }
                    if braced { try symbol("}") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(escaped)
                }
            default:
                out.append(c)
            }
        }
        throw error("unterminated string")
    }

    /// `[a, b, c]`; `[...N values]` (an elided dump) is refused.
    mutating func list<T>(_ element: (inout LineScanner) throws -> T) throws -> [T] {
        try symbol("[")
        if peek() == UInt8(ascii: ".") {
            throw error("this list was elided when the IR was printed; print it with 'nnmip compile --emit-ir --ir-full-weights' to read it back")
        }
        var items: [T] = []
        if peekAfterSpaces() == UInt8(ascii: "]") {
            position += 1
            return items
        }
        while true {
            items.append(try element(&self))
            skipSpaces()
            if peek() == UInt8(ascii: ",") { position += 1; continue }
            try symbol("]")
            return items
        }
    }

    mutating func intList() throws -> [Int] { try list { try $0.integer() } }

    mutating func doubleList() throws -> [Double] { try list { try $0.double() } }

    /// `dense<RxC>[...]` or `sparse<RxC>[(r, c, v), ...]`.
    mutating func matrix() throws -> WeightMatrix {
        let kind = try identifier()
        try symbol("<")
        let rows = try integer()
        guard peek() == UInt8(ascii: "x") else { throw error("expected 'x' between matrix dimensions") }
        position += 1
        let columns = try integer()
        try symbol(">")
        guard rows >= 0, columns >= 0, Shape.elementCount([rows, columns], limit: 1 << 31) != nil else {
            throw error("matrix size \(rows)x\(columns) is out of range")
        }
        switch kind {
        case "dense":
            return .dense(rows: rows, columns: columns, values: try doubleList())
        case "sparse":
            let entries = try list { scanner -> (Int, Int, Double) in
                try scanner.symbol("(")
                let r = try scanner.integer()
                try scanner.symbol(",")
                let c = try scanner.integer()
                try scanner.symbol(",")
                let v = try scanner.double()
                try scanner.symbol(")")
                return (r, c, v)
            }
            guard entries.allSatisfy({ (0..<rows).contains($0.0) }),
                  zip(entries, entries.dropFirst()).allSatisfy({ $0.0 <= $1.0 }) else {
                throw error("sparse entries must be in row order with rows in 0..<\(rows)")
            }
            return .sparse(SparseMatrix(rows: rows, columns: columns, rowOrderedEntries: entries))
        default:
            throw error("expected dense<...> or sparse<...>")
        }
    }
}

/// The attributes read from one node line, before they are assembled into an `Operation`.
private struct AttributeValues {
    var matrix: WeightMatrix?
    var doubles: [String: [Double]] = [:]
    var ints: [String: [Int]] = [:]
    var alpha: Double?
    var gamma: Double?
    var groups: Int?
    var countIncludePad: Bool?
    var lower: [Double]? { doubles["lower"] }
    var upper: [Double]? { doubles["upper"] }

    mutating func read(_ key: String, from scanner: inout LineScanner) throws {
        switch key {
        case "bias", "scale", "shift", "lower", "upper", "below", "above":
            doubles[key] = try scanner.doubleList()
        case "kernel", "strides", "pads", "dilations", "indices":
            ints[key] = try scanner.intList()
        case "weights":
            scanner.skipSpaces()
            if scanner.peek() == UInt8(ascii: "[") { doubles[key] = try scanner.doubleList() } else { matrix = try scanner.matrix() }
        case "alpha":
            alpha = try scanner.double()
        case "gamma":
            gamma = try scanner.double()
        case "groups":
            groups = try scanner.integer()
        case "count_include_pad":
            countIncludePad = try scanner.bool()
        default:
            throw scanner.error("unknown attribute '\(key)'")
        }
    }

    func operation(_ keyword: String, inputName: String?, scanner: LineScanner) throws -> Operation {
        func need<T>(_ value: T?, _ name: String) throws -> T {
            guard let value else { throw scanner.error("'\(keyword)' needs \(name)=") }
            return value
        }
        func window() throws -> Window2D {
            Window2D(kernel: try need(ints["kernel"], "kernel"), strides: try need(ints["strides"], "strides"),
                     pads: try need(ints["pads"], "pads"), dilations: try need(ints["dilations"], "dilations"))
        }
        switch keyword {
        case "input": return .input(name: try need(inputName, "a name"))
        case "affine": return .affine(Affine(weights: try need(matrix, "weights"), bias: try need(doubles["bias"], "bias")))
        case "conv":
            let weights = try need(doubles["weights"], "weights")
            let bias = try need(doubles["bias"], "bias")
            return .convolution(Convolution(weights: weights, outChannels: bias.count, groups: try need(groups, "groups"),
                                            bias: bias, window: try window()))
        case "maxpool": return .maxPool(Pooling(window: try window()))
        case "avgpool": return .averagePool(Pooling(window: try window()), countIncludePad: try need(countIncludePad, "count_include_pad"))
        case "relu": return .relu
        case "leaky_relu": return .leakyRelu(alpha: try need(alpha, "alpha"))
        case "scale_shift": return .scaleShift(scale: try need(doubles["scale"], "scale"), shift: try need(doubles["shift"], "shift"))
        case "reshape": return .reshape
        case "gather": return .gather(indices: try need(ints["indices"], "indices"))
        case "add": return .add
        case "sigmoid": return .smooth(.sigmoid)
        case "tanh": return .smooth(.tanh)
        case "softplus": return .smooth(.softplus)
        case "silu": return .smooth(.silu)
        case "gelu": return .smooth(.gelu(tanhApproximation: false))
        case "gelu_tanh": return .smooth(.gelu(tanhApproximation: true))
        case "elu": return .smooth(.elu(alpha: try need(alpha, "alpha")))
        case "selu": return .smooth(.selu(alpha: try need(alpha, "alpha"), gamma: try need(gamma, "gamma")))
        case "hard_swish": return .smooth(.hardSwish)
        case "band": return .band(below: try need(doubles["below"], "below"), above: try need(doubles["above"], "above"))
        default: throw scanner.error("unknown operation '\(keyword)'")
        }
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, let c = self[index(before: end)].unicodeScalars.first, c == " " || c == "\t" || c == "\r" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
