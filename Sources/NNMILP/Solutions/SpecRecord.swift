import Foundation
import NNIR
import NNSpec

/// The spec a MILP was compiled with, as the `"spec"` object of a name map:
/// what `solution read` needs to check a solver's point (the input domain,
/// the constraints and disjuncts, the objective) without the flags or files
/// `compile` was given.
///
/// ```
/// "spec": {"input_bounds": [{"lower": [...], "upper": [...]} | null, ...],
///          "balls": [{"norm": "linf", "input": 0, "radius": 0.1, "center": [...]}],
///          "objective": {"sense": "maximize", "terms": [["y", 0, 3, 1.0]], "constant": 0} | null,
///          "constraints": [{"relation": ">=", "origin": "...", "terms": [...], "constant": 0}],
///          "disjuncts": [[constraint, ...], ...]}
/// ```
/// A term is `[side ("x" or "y"), tensor, element, coefficient]`.
public enum SpecRecord {
    /// The spec as JSON text (one line, numbers in the shortest form that reads back to the same Float64).
    public static func json(_ spec: Spec) -> String {
        func numbers(_ values: [Double]) -> String { "[" + values.map(number).joined(separator: ", ") + "]" }
        func expression(_ e: LinearExpression) -> String {
            let terms = e.terms.map { "[\"\($0.element.side == .input ? "x" : "y")\", \($0.element.tensor), \($0.element.element), \(number($0.coefficient))]" }
            return "\"terms\": [\(terms.joined(separator: ", "))], \"constant\": \(number(e.constant))"
        }
        func constraint(_ c: LinearConstraint) -> String {
            "{\"relation\": \"\(c.relation.rawValue)\", \"origin\": \(JSONString.quoted(c.origin)), \(expression(c.expression))}"
        }
        let bounds = spec.inputBounds.map { $0.map { "{\"lower\": \(numbers($0.lower)), \"upper\": \(numbers($0.upper))}" } ?? "null" }
        let balls = spec.balls.map { "{\"norm\": \"\($0.norm.rawValue)\", \"input\": \($0.input), \"radius\": \(number($0.radius)), \"center\": \(numbers($0.center))}" }
        let objective = spec.objective.map { "{\"sense\": \"\($0.sense.rawValue)\", \(expression($0.expression))}" } ?? "null"
        let disjuncts = spec.disjuncts.map { "[" + $0.map(constraint).joined(separator: ", ") + "]" }
        return "{\"input_bounds\": [\(bounds.joined(separator: ", "))], \"balls\": [\(balls.joined(separator: ", "))], "
            + "\"objective\": \(objective), \"constraints\": [\(spec.constraints.map(constraint).joined(separator: ", "))], "
            + "\"disjuncts\": [\(disjuncts.joined(separator: ", "))]}"
    }

    /// Reads the `"spec"` object of the name map in `data`, as `json(_:)` wrote it; nil when the map has none.
    /// Numbers are read with `JSONDecoder`, which reads every Float64 back exactly (JSONSerialization
    /// rounds long mantissas through Decimal). `file` names the map in diagnostics.
    public static func spec(inMap data: Data, file: String) throws -> Spec? {
        let record: Record?
        do {
            record = try JSONDecoder().decode(Map.self, from: data).spec
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context),
                let DecodingError.valueNotFound(_, context), let DecodingError.keyNotFound(_, context) {
            let place = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            throw Diagnostic(.malformedInput, file: file, location: place.isEmpty ? "spec" : String(place.dropFirst()),
                             "does not hold the spec that 'nnmip compile --names' writes (\(context.debugDescription))")
        } catch {
            throw Diagnostic(.malformedInput, file: file, location: "spec", "does not hold the spec that 'nnmip compile --names' writes")
        }
        guard let record else { return nil }
        var spec = Spec(inputCount: record.input_bounds.count)
        for (t, pair) in record.input_bounds.enumerated() {
            guard let pair else { continue }
            guard pair.lower.count == pair.upper.count else {
                throw Diagnostic(.malformedInput, file: file, location: "spec.input_bounds[\(t)]", "lower and upper differ in length")
            }
            spec.inputBounds[t] = Bounds(lower: pair.lower, upper: pair.upper)
        }
        spec.balls = record.balls.map { NormBall($0.norm, input: $0.input, center: $0.center, radius: $0.radius) }
        spec.objective = record.objective.map { Objective($0.sense, $0.expression) }
        spec.constraints = record.constraints.map(\.constraint)
        spec.disjuncts = record.disjuncts.map { $0.map(\.constraint) }
        return spec
    }

    private struct Map: Decodable {
        var spec: Record?
    }

    private struct Record: Decodable {
        var input_bounds: [Pair?]
        var balls: [Ball]
        var objective: ObjectiveRecord?
        var constraints: [ConstraintRecord]
        var disjuncts: [[ConstraintRecord]]
    }

    private struct Pair: Decodable {
        var lower: [Double]
        var upper: [Double]
    }

    private struct Ball: Decodable {
        var norm: NormBall.Norm
        var input: Int
        var radius: Double
        var center: [Double]

        enum CodingKeys: CodingKey { case norm, input, radius, center }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            norm = try SpecRecord.named(c, .norm, NormBall.Norm.init(rawValue:))
            input = try c.decode(Int.self, forKey: .input)
            radius = try c.decode(Double.self, forKey: .radius)
            center = try c.decode([Double].self, forKey: .center)
        }
    }

    /// A string-valued key read as one of an enumeration's raw values.
    private static func named<K: CodingKey, T>(_ c: KeyedDecodingContainer<K>, _ key: K, _ make: (String) -> T?) throws -> T {
        guard let value = make(try c.decode(String.self, forKey: key)) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not a value nnmip writes")
        }
        return value
    }

    /// `[side, tensor, element, coefficient]`.
    private struct Term: Decodable {
        var element: TensorElement
        var coefficient: Double

        init(from decoder: Decoder) throws {
            var list = try decoder.unkeyedContainer()
            let side = try list.decode(String.self), tensor = try list.decode(Int.self), element = try list.decode(Int.self)
            coefficient = try list.decode(Double.self)
            guard side == "x" || side == "y", tensor >= 0, element >= 0, list.isAtEnd else {
                throw DecodingError.dataCorruptedError(in: list, debugDescription: "a term is [\"x\" or \"y\", tensor, element, coefficient]")
            }
            self.element = TensorElement(side == "x" ? .input : .output, tensor: tensor, element: element)
        }
    }

    private static func expression(_ terms: [Term], _ constant: Double) -> LinearExpression {
        var result = LinearExpression(constant: constant)
        for term in terms { result.add(term.element, coefficient: term.coefficient) }
        return result
    }

    private enum ExpressionKeys: CodingKey { case sense, relation, origin, terms, constant }

    private struct ObjectiveRecord: Decodable {
        var sense: ObjectiveSense
        var expression: LinearExpression

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: ExpressionKeys.self)
            sense = try SpecRecord.named(c, .sense, ObjectiveSense.init(rawValue:))
            expression = SpecRecord.expression(try c.decode([Term].self, forKey: .terms), try c.decode(Double.self, forKey: .constant))
        }
    }

    private struct ConstraintRecord: Decodable {
        var constraint: LinearConstraint

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: ExpressionKeys.self)
            let relation = try SpecRecord.named(c, .relation, Relation.init(rawValue:))
            let expression = SpecRecord.expression(try c.decode([Term].self, forKey: .terms), try c.decode(Double.self, forKey: .constant))
            constraint = LinearConstraint(expression, relation, origin: try c.decode(String.self, forKey: .origin))
        }
    }

    /// A number as JSON: the shortest text that reads back to the same Float64, `null` when not finite.
    private static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}
