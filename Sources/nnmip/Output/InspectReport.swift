import Foundation
import NNMIPKit

/// The facts `inspect` prints, rendered as text or JSON.
struct InspectReport {
    let path: String
    let loaded: LoadedModel
    let summary: GraphSummary

    init(path: String, _ loaded: LoadedModel) {
        self.path = InputFile.displayName(path)
        self.loaded = loaded
        summary = GraphSummary(loaded.graph)
    }

    private var graph: Graph { loaded.graph }

    func text() -> String {
        var lines = ["model: \(path)"]
        lines += loaded.properties.filter { $0.0 != "format" }.map { "\($0.0): \($0.1)" }
        lines.insert("format: \(loaded.format)", at: 1)
        lines.append("inputs:")
        lines += graph.inputs.map { "  \(graph.inputName($0) ?? "") \(Shape.describe(graph[$0].shape))" }
        lines.append("outputs:")
        lines += graph.outputs.map { "  \($0.name) \(Shape.describe(graph[$0.value].shape))" }
        lines.append("layers:")
        for (index, node) in graph.nodes.enumerated() {
            if case .input = node.operation { continue }
            let operands = node.operands.map(\.description).joined(separator: ", ")
            let from = node.location.map { "  ; \($0)" } ?? ""
            lines.append("  %\(index) = \(node.operation.keyword) \(operands) : \(Shape.describe(node.shape))\(from)")
        }
        lines.append("parameters: \(summary.parameters)")
        lines.append("neurons: \(summary.neurons)")
        lines.append("relus: \(summary.relus)")
        if summary.maxPoolUnits > 0 { lines.append("maxpool_units: \(summary.maxPoolUnits)") }
        if summary.smoothUnits > 0 { lines.append("smooth_units: \(summary.smoothUnits)") }
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        let object: [String: Any] = [
            "model": path,
            "format": loaded.format,
            "properties": Dictionary(loaded.properties, uniquingKeysWith: { a, _ in a }),
            "inputs": graph.inputs.map { ["name": graph.inputName($0) ?? "", "shape": graph[$0].shape] as [String: Any] },
            "outputs": graph.outputs.map { ["name": $0.name, "shape": graph[$0.value].shape] as [String: Any] },
            "layers": summary.operationCounts,
            "parameters": summary.parameters,
            "neurons": summary.neurons,
            "relus": summary.relus,
            "maxpool_units": summary.maxPoolUnits,
            "smooth_units": summary.smoothUnits,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
