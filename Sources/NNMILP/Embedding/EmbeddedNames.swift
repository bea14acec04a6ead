import NNIR

extension EmbeddedModel {
    /// The map `compile --model ... --names FILE` writes (format `nnmip-embedding-names-1`): the model
    /// and network files, how many columns and rows are the user's, and for each instance its network
    /// file, what feeds its inputs (column names or constants), the columns that hold its outputs,
    /// and every column it added with the neuron it stands for (as `compile --names` describes a
    /// network's columns: node, element, role). `columnNames` are the names the file used;
    /// `networks` gives each instance's network file.
    public func namesJSON(columnNames: [String], modelFile: String, networks: [String]) -> String {
        let quoted = JSONString.quoted
        var text = "{\n  \"format\": \"nnmip-embedding-names-1\",\n  \"model\": \(quoted(modelFile)),\n"
        text += "  \"model_columns\": \(userColumnCount),\n  \"model_rows\": \(userRowCount),\n  \"instances\": [\n"
        text += zip(instances, networks).map { instance, network in
            let inputs = instance.inputs.map { source -> String in
                switch source {
                case .column(let c): quoted(columnNames[c])
                case .constant(let value): "\(value)"
                }
            }
            let outputs = instance.outputs.map { quoted(columnNames[$0]) }
            let variables = instance.names.entries.enumerated().compactMap { f, entry -> String? in
                guard let column = instance.columnOfFormulation[f], instance.columns.contains(column) else { return nil }
                var fields = "\"column\": \(column), \"node\": \(entry.node), \"element\": \(entry.element), \"role\": \"\(entry.role.rawValue)\""
                if let tap = entry.tap { fields += ", \"tap\": \(tap)" }
                return "        \(quoted(columnNames[column])): {\(fields)}"
            }
            return "    {\"name\": \(quoted(instance.name)), \"network\": \(quoted(network)),\n"
                + "     \"inputs\": [\(inputs.joined(separator: ", "))],\n     \"outputs\": [\(outputs.joined(separator: ", "))],\n"
                + "     \"variables\": {\n\(variables.joined(separator: ",\n"))\n     }}"
        }.joined(separator: ",\n")
        return text + "\n  ]\n}\n"
    }
}
