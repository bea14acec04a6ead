import NNIR

/// The graph `canonicalize` rewrites, with the readers of every value kept up
/// to date as rewrites change operands: the readers are computed once per sweep,
/// not once per node, so a sweep takes time linear in the size of the graph.
struct RewriteGraph {
    /// The graph as rewritten so far.
    private(set) var graph: Graph
    /// For each node, the nodes that read its value (each once, in increasing order).
    private var readers: [[Int]]

    /// Starts rewriting `graph`.
    init(_ graph: Graph) {
        self.graph = graph
        readers = graph.consumers
    }

    /// The node defining `value`.
    subscript(value: ValueID) -> Node { graph[value] }

    /// The node at `index`.
    func node(_ index: Int) -> Node { graph.nodes[index] }

    /// The nodes that read node `index`'s value, in increasing order.
    func readers(of index: Int) -> [Int] { readers[index] }

    /// Whether `value` is read by node `index` alone and is not a graph output.
    func onlyFeeds(_ value: ValueID, _ index: Int) -> Bool {
        readers[value.index] == [index] && !graph.isOutput(value.index)
    }

    /// Gives node `index` a new operation and, if given, new operands.
    mutating func rewrite(_ index: Int, to operation: Operation, operands: [ValueID]? = nil) {
        graph.nodes[index].operation = operation
        if let operands { setOperands(of: index, to: operands) }
    }

    /// Gives node `index` new operands, keeping the readers current.
    mutating func setOperands(of index: Int, to operands: [ValueID]) {
        let old = Set(graph.nodes[index].operands.map(\.index)), new = Set(operands.map(\.index))
        for gone in old.subtracting(new) { readers[gone].removeAll { $0 == index } }
        for added in new.subtracting(old) { insert(index, intoReadersOf: added) }
        graph.nodes[index].operands = operands
    }

    /// Makes every reader of node `index` read `value` instead.
    mutating func redirectReaders(of index: Int, to value: ValueID) {
        for reader in readers[index] {
            setOperands(of: reader, to: graph.nodes[reader].operands.map { $0.index == index ? value : $0 })
        }
    }

    /// Adds `reader` to the readers of node `index`, keeping them sorted and unique.
    private mutating func insert(_ reader: Int, intoReadersOf index: Int) {
        let position = readers[index].firstIndex { $0 >= reader } ?? readers[index].endIndex
        if position == readers[index].endIndex || readers[index][position] != reader {
            readers[index].insert(reader, at: position)
        }
    }
}
