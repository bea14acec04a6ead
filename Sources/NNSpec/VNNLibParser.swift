import Foundation
import NNIR

/// Reads a VNN-LIB property (the VNN-COMP subset of SMT-LIB) into a `Spec`.
///
/// A VNN-LIB file describes the *counterexamples*: the conjunction of its
/// asserts holds exactly at inputs where the property fails. `X_i` and `Y_i`
/// are the flattened network inputs and outputs. Each assert is a comparison
/// (`<=`, `>=`, `=`) of linear terms, or an `and` / `or` of such; asserts that
/// are conjunctions become constraints, the others are multiplied out into
/// disjuncts (one MILP per disjunct, or one MILP choosing a disjunct).
public struct VNNLibParser {
    /// The most disjuncts multiplying out `or`s may produce before nnmip gives up.
    public static let disjunctLimit = 10_000

    private let path: String
    private let symbols: SymbolTable

    /// A parser for the file named `path` in messages, over the network described by `symbols`.
    public init(path: String, symbols: SymbolTable) {
        self.path = path
        self.symbols = symbols
    }

    /// Parses VNN-LIB text.
    public func parse(_ data: Data) throws -> Spec {
        var spec = Spec(inputCount: symbols.inputs.count)
        var reader = SExpressionReader(bytes: [UInt8](data), path: path)
        while let expression = try reader.next() {
            guard case .list(let items, let line) = expression, case .atom(let head, _)? = items.first else {
                throw Diagnostic(.malformedInput, file: path, location: "line \(expression.line)", "expected (declare-const ...) or (assert ...)")
            }
            switch head {
            case "declare-const":
                try checkDeclaration(items, line: line)
            case "assert":
                guard items.count == 2 else { throw malformed(line, "assert takes one formula") }
                let alternatives = try disjunctiveForm(items[1])
                if alternatives.count == 1 {
                    spec.constraints += alternatives[0]
                } else if spec.disjuncts.isEmpty {
                    spec.disjuncts = alternatives
                } else {
                    guard spec.disjuncts.count * alternatives.count <= Self.disjunctLimit else {
                        throw Diagnostic(.unsupported, file: path, location: "line \(line)", "multiplying out the disjunctions gives more than \(Self.disjunctLimit) cases")
                    }
                    spec.disjuncts = spec.disjuncts.flatMap { left in alternatives.map { left + $0 } }
                }
            case "set-logic", "set-info", "check-sat", "get-model", "exit":
                continue
            default:
                throw malformed(line, "unknown command '\(head)'; VNN-LIB files hold declare-const and assert")
            }
        }
        return spec
    }

    private func checkDeclaration(_ items: [SExpression], line: Int) throws {
        guard items.count == 3, case .atom(let name, _) = items[1], case .atom(let sort, _) = items[2] else {
            throw malformed(line, "expected (declare-const NAME Real)")
        }
        guard sort == "Real" else { throw malformed(line, "'\(name)' has sort \(sort); only Real variables are supported") }
        _ = try variable(name, line: line)
    }

    /// The formula as a list of alternatives, each a conjunction of atoms.
    private func disjunctiveForm(_ formula: SExpression) throws -> [[LinearConstraint]] {
        guard case .list(let items, let line) = formula, case .atom(let head, _)? = items.first else {
            throw malformed(formula.line, "expected a formula such as (<= Y_0 Y_1), (and ...) or (or ...)")
        }
        switch head {
        case "and":
            var result: [[LinearConstraint]] = [[]]
            for part in items.dropFirst() {
                let alternatives = try disjunctiveForm(part)
                guard result.count * alternatives.count <= Self.disjunctLimit else {
                    throw Diagnostic(.unsupported, file: path, location: "line \(line)", "multiplying out the disjunctions gives more than \(Self.disjunctLimit) cases")
                }
                result = result.flatMap { left in alternatives.map { left + $0 } }
            }
            return result
        case "or":
            var result: [[LinearConstraint]] = []
            for part in items.dropFirst() { result += try disjunctiveForm(part) }
            guard !result.isEmpty else { throw malformed(line, "(or) needs at least one formula") }
            return result
        case "<=", ">=", "=":
            guard items.count == 3 else { throw malformed(line, "\(head) compares exactly two terms") }
            var expression = try term(items[1])
            expression.add(try term(items[2]), times: -1)
            let relation: Relation = head == "<=" ? .lessEqual : head == ">=" ? .greaterEqual : .equal
            return [[LinearConstraint(expression, relation, origin: "\(path):\(line)")]]
        case "<", ">":
            throw Diagnostic(.unsupported, file: path, location: "line \(line)", "strict inequality '\(head)' cannot be encoded in a MILP; VNN-LIB properties use <= and >=")
        default:
            throw malformed(line, "unknown formula '\(head)'")
        }
    }

    /// A linear term: a number, a variable, or `+`, `-`, `*` of terms.
    private func term(_ expression: SExpression) throws -> LinearExpression {
        switch expression {
        case .atom(let text, let line):
            if let value = Double(text) {
                guard value.isFinite else { throw malformed(line, "the number \(text) is not a finite Float64") }
                return LinearExpression(constant: value)
            }
            var result = LinearExpression()
            result.add(try variable(text, line: line), coefficient: 1)
            return result
        case .list(let items, let line):
            guard case .atom(let head, _)? = items.first, items.count >= 2 else { throw malformed(line, "expected a term") }
            let operands = try items.dropFirst().map(term)
            switch head {
            case "+":
                return operands.dropFirst().reduce(into: operands[0]) { $0.add($1) }
            case "-":
                if operands.count == 1 {
                    var negated = LinearExpression()
                    negated.add(operands[0], times: -1)
                    return negated
                }
                return operands.dropFirst().reduce(into: operands[0]) { $0.add($1, times: -1) }
            case "*":
                var product = LinearExpression(constant: 1)
                for operand in operands {
                    if operand.terms.isEmpty {
                        var scaled = LinearExpression()
                        scaled.add(product, times: operand.constant)
                        product = scaled
                    } else if product.terms.isEmpty {
                        var scaled = LinearExpression()
                        scaled.add(operand, times: product.constant)
                        product = scaled
                    } else {
                        throw Diagnostic(.unsupported, file: path, location: "line \(line)", "a product of two variables is not linear")
                    }
                }
                return product
            default:
                throw malformed(line, "unknown term '\(head)'; terms use +, - and *")
            }
        }
    }

    private func variable(_ name: String, line: Int) throws -> TensorElement {
        let side: TensorElement.Side
        if name.hasPrefix("X_") {
            side = .input
        } else if name.hasPrefix("Y_") {
            side = .output
        } else {
            throw malformed(line, "unknown variable '\(name)'; VNN-LIB names inputs X_i and outputs Y_i")
        }
        guard let index = Int(name.dropFirst(2)), index >= 0 else { throw malformed(line, "bad variable name '\(name)'") }
        guard let element = symbols.concatenated(side, index: index) else {
            throw Diagnostic(.malformedInput, file: path, location: "line \(line)", "'\(name)' does not exist: \(symbols.describe(side))")
        }
        return element
    }

    private func malformed(_ line: Int, _ message: String) -> Diagnostic {
        Diagnostic(.malformedInput, file: path, location: "line \(line)", message)
    }
}
