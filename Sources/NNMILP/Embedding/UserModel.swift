import NNIR

/// An optimization model a user wrote with a modelling tool (MPS or LP), read
/// by HiGHS's own reader (`UserModelReader`): the MILP that networks are
/// embedded in, with the user's names, bounds, integrality, rows and objective
/// as the file gives them.
public struct UserModel: Sendable {
    /// The file it was read from.
    public let file: String
    /// The model as the file gives it (sense and objective constant included).
    public let milp: MILPModel
    /// The sense a comment of the file claims, which MPS readers ignore: PuLP
    /// writes `*SENSE:Maximize` and no OBJSENSE section. Nil when the file has no such comment.
    public let commentedSense: MILPModel.Sense?
    /// Each column's index by name.
    private let columnIndex: [String: Int]

    /// The model `milp` read from `file`.
    /// - Throws: `Diagnostic(.malformedInput)` when two columns share a name, or a column or row has none.
    public init(file: String, milp: MILPModel, commentedSense: MILPModel.Sense? = nil) throws {
        var index: [String: Int] = [:]
        index.reserveCapacity(milp.columnCount)
        for (c, name) in milp.columnNames.enumerated() {
            guard !name.isEmpty else { throw Diagnostic(.malformedInput, file: file, location: "column \(c)", "has no name") }
            if let earlier = index.updateValue(c, forKey: name) {
                throw Diagnostic(.malformedInput, file: file, location: "column '\(name)'", "two columns have this name (numbers \(earlier) and \(c))")
            }
        }
        if let r = milp.rowNames.firstIndex(of: "") { throw Diagnostic(.malformedInput, file: file, location: "row \(r)", "has no name") }
        self.file = file
        self.milp = milp
        self.commentedSense = commentedSense
        columnIndex = index
    }

    /// The column called `name`, if the model has one.
    public func column(named name: String) -> Int? {
        columnIndex[name]
    }
}
