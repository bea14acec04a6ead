import NNIR

/// What a name in the ONNX graph stands for while the graph is being translated.
enum Symbol {
    /// A value known at import time; folded, never emitted as IR.
    case constant(ConstantTensor)
    /// A value computed from the network's inputs: an IR value.
    case value(ValueID)
}

/// Translates one ONNX graph into an IR `Graph`.
///
/// Only nodes that a requested output depends on are translated, in
/// dependency order, so a graph can be cut before a Softmax with `--output`.
/// Constant subgraphs (shape arithmetic, Constant nodes) are folded as they
/// are met.
struct ONNXImporter {
    let model: ONNXModel
    var graph = Graph()
    var symbols: [String: Symbol] = [:]
    /// How many pending node inputs still read each name; a constant whose
    /// count reaches zero is dropped so big weights are not held twice.
    var pendingUses: [String: Int] = [:]
    /// Values that are a gate of another value (`Sigmoid(x)`, HardSwish's
    /// `HardSigmoid(x)`), and the smooth function their product with it is.
    var gates: [ValueID: (input: ValueID, product: SmoothFunction)] = [:]
    /// The outputs of `Greater` nodes that are the threshold of a PyTorch Softplus (`isSoftplusThreshold`).
    var softplusThresholds: Set<String> = []
    /// Whether a final Softmax or LogSoftmax is read as the identity (`LoadOptions.finalNormalizationAsLogits`).
    var readsFinalNormalizationAsLogits = false
    /// The outputs whose final Softmax or LogSoftmax was read so, by name.
    var normalizedOutputs: [String: OutputNormalization] = [:]
    /// The names of the tensors the graph outputs.
    var outputNames: Set<String> = []

    var path: String { model.file.path }

    init(model: ONNXModel) {
        self.model = model
    }

    /// Translates the graph, producing the outputs named in `requestedOutputs`
    /// (the graph's own outputs when empty).
    mutating func run(requestedOutputs: [String]) throws -> Graph {
        let producers = try producerIndex()
        let outputNames = requestedOutputs.isEmpty ? model.outputs.map(\.name) : requestedOutputs
        guard !outputNames.isEmpty else {
            throw Diagnostic(.malformedInput, file: path, "the graph declares no outputs")
        }
        for name in outputNames where producers[name] == nil && model.initializers[name] == nil && !model.inputs.contains(where: { $0.name == name }) {
            let known = model.nodes.flatMap(\.outputs).filter { !$0.isEmpty }
            throw Diagnostic(.usage, file: path, "no tensor named '\(name)' in the graph" + Self.suggestion(name, among: known))
        }
        self.outputNames = Set(outputNames)
        try declareInputs()
        let order = try orderedNeededNodes(outputs: outputNames, producers: producers)
        for index in order {
            for input in model.nodes[index].inputs where !input.isEmpty { pendingUses[input, default: 0] += 1 }
        }
        // Outputs count as a use that never ends, so they are never dropped.
        for name in outputNames { pendingUses[name, default: 0] += 1 }
        for index in order {
            try translate(model.nodes[index])
        }
        for name in outputNames {
            graph.outputs.append(GraphOutput(name: name, value: try outputValue(name)))
        }
        do {
            try Verifier.verify(graph)
        } catch let diagnostic as Diagnostic {
            throw diagnostic.inFile(path)
        }
        return graph
    }

    /// Index from tensor name to the node producing it. ONNX graphs are in
    /// single static assignment form, so a tensor written by two nodes (or by
    /// a node and the graph's inputs) is refused, as onnxruntime refuses it,
    /// rather than letting one writer win.
    private func producerIndex() throws -> [String: Int] {
        var producers: [String: Int] = [:]
        let graphInputs = Set(model.inputs.map(\.name).filter { model.initializers[$0] == nil })
        for node in model.nodes {
            for output in node.outputs where !output.isEmpty {
                if let first = producers[output] {
                    throw Diagnostic(.malformedInput, file: path, location: node.place,
                                     "writes tensor '\(output)', which \(model.nodes[first].place) already writes; every tensor must have one writer")
                }
                if graphInputs.contains(output) {
                    throw Diagnostic(.malformedInput, file: path, location: node.place,
                                     "writes tensor '\(output)', which is a graph input; every tensor must have one writer")
                }
                producers[output] = node.index
            }
        }
        return producers
    }

    /// The nodes that the outputs depend on, in an order where every node
    /// comes after the nodes producing its inputs. ONNX requires files to be
    /// sorted so, but some writers put Constant nodes after their users, and
    /// onnxruntime accepts that; so does nnmip. A cycle is an error.
    private func orderedNeededNodes(outputs: [String], producers: [String: Int]) throws -> [Int] {
        enum Mark { case visiting, done }
        var marks: [Int: Mark] = [:]
        var order: [Int] = []
        for root in outputs.compactMap({ producers[$0] }) where marks[root] == nil {
            // Iterative depth-first search; the stack holds (node, next input to look at).
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            marks[root] = .visiting
            while let (node, next) = stack.last {
                let inputs = model.nodes[node].inputs
                if next == inputs.count {
                    stack.removeLast()
                    marks[node] = .done
                    order.append(node)
                    continue
                }
                stack[stack.count - 1].next += 1
                guard let producer = producers[inputs[next]] else { continue }
                switch marks[producer] {
                case nil:
                    marks[producer] = .visiting
                    stack.append((producer, 0))
                case .visiting:
                    throw Diagnostic(.malformedInput, file: path, location: model.nodes[producer].place,
                                     "the graph has a cycle through tensor '\(inputs[next])'")
                case .done:
                    break
                }
            }
        }
        return order
    }

    /// Creates IR inputs for the graph inputs that are not initializers
    /// (old exporters list every initializer among the inputs).
    private mutating func declareInputs() throws {
        for info in model.inputs where model.initializers[info.name] == nil {
            guard let dims = info.dims else {
                throw Diagnostic(.unsupported, file: path, location: "input '\(info.name)'",
                                 "the input declares no shape; nnmip needs static shapes")
            }
            if let name = ONNXElementType.nonReal[info.elementType] {
                throw Diagnostic(.unsupported, file: path, location: "input '\(info.name)'",
                                 "has element type \(name); nnmip encodes real-valued (floating-point) inputs only, and would treat an integer input as a continuous real")
            }
            // Symbolic dimensions (a batch axis 'N', say) are taken as 1: nnmip encodes one sample.
            let shape = dims.map { $0 ?? 1 }
            if let axis = shape.firstIndex(where: { $0 <= 0 }) {
                throw Diagnostic(.malformedInput, file: path, location: "input '\(info.name)'",
                                 "dimension \(axis) of shape \(Shape.describe(shape)) is \(shape[axis]): a tensor with no elements has nothing to encode")
            }
            guard Shape.elementCount(shape, limit: ONNXTensorRef.elementLimit) != nil else {
                throw Diagnostic(.malformedInput, file: path, location: "input '\(info.name)'", "invalid shape \(Shape.describe(shape))")
            }
            symbols[info.name] = .value(graph.append(Node(operation: .input(name: info.name), operands: [], shape: shape)))
        }
    }

    /// The IR value of a requested output; a constant output becomes an
    /// affine map with no coefficients, so the graph interface stays uniform.
    private mutating func outputValue(_ name: String) throws -> ValueID {
        switch try symbol(name, place: "output '\(name)'") {
        case .value(let id):
            return id
        case .constant(let tensor):
            guard let anchor = graph.inputs.first else {
                throw Diagnostic(.unsupported, file: path, location: "output '\(name)'", "the network has no inputs")
            }
            let weights = WeightMatrix.sparse(SparseMatrix(rows: tensor.values.count, columns: graph[anchor].elementCount,
                                                           rowOrderedEntries: []))
            return graph.append(Node(operation: .affine(Affine(weights: weights, bias: tensor.values)),
                                     operands: [anchor], shape: tensor.shape, location: name))
        }
    }

    /// The symbol for a tensor name, decoding an initializer on first use.
    mutating func symbol(_ name: String, place: String) throws -> Symbol {
        if let known = symbols[name] { return known }
        if let initializer = model.initializers[name] {
            let tensor = try initializer.decode(place: "initializer '\(name)'")
            initializer.releaseRawData()
            symbols[name] = .constant(tensor)
            return .constant(tensor)
        }
        throw Diagnostic(.malformedInput, file: path, location: place,
                         "input '\(name)' is not produced by any earlier node, initializer or graph input")
    }

    /// Translates one node and records its outputs.
    private mutating func translate(_ node: ONNXNode) throws {
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw Diagnostic(.unsupported, file: path, location: node.place, "operators of domain '\(node.domain)' are not supported")
        }
        let context = try NodeContext(node: node, importer: &self)
        let results = try lower(context)
        for input in node.inputs where !input.isEmpty {
            pendingUses[input, default: 1] -= 1
            if pendingUses[input] == 0, case .constant = symbols[input] { symbols[input] = nil }
        }
        for (name, result) in zip(node.outputs, results) where !name.isEmpty {
            symbols[name] = result
        }
        // Outputs the translation did not produce (masks, indices) are an error only if something reads them.
        for name in node.outputs.dropFirst(results.count) where !name.isEmpty && pendingUses[name, default: 0] > 0 {
            throw Diagnostic(.unsupported, file: path, location: node.place, "output '\(name)' of \(node.opType) is not supported")
        }
    }

    /// Appends an IR node located at the ONNX node `node`.
    mutating func emit(_ operation: Operation, _ operands: [ValueID], shape: [Int], at node: ONNXNode) -> ValueID {
        graph.append(Node(operation: operation, operands: operands, shape: shape, location: node.irLocation))
    }

    /// ", did you mean 'x'?" for a near miss among `names`.
    static func suggestion(_ name: String, among names: [String]) -> String {
        let close = names.filter { $0.lowercased().contains(name.lowercased()) || name.lowercased().contains($0.lowercased()) }
        if let first = close.first { return "; did you mean '\(first)'?" }
        let tail = names.suffix(5).map { "'\($0)'" }.joined(separator: ", ")
        return tail.isEmpty ? "" : "; the last tensors are \(tail)"
    }
}
