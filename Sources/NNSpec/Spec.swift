import NNIR

/// One scalar of a network input or output, by position in the flattened tensor.
public struct TensorElement: Hashable, Sendable, CustomStringConvertible {
    /// Whether the element belongs to an input or an output.
    public enum Side: Hashable, Sendable { case input, output }

    /// Input or output.
    public var side: Side
    /// Which input (position in `Graph.inputs`) or output (position in `Graph.outputs`).
    public var tensor: Int
    /// Position in the flattened tensor.
    public var element: Int

    /// Creates a reference to element `element` of input or output `tensor`.
    public init(_ side: Side, tensor: Int, element: Int) {
        self.side = side
        self.tensor = tensor
        self.element = element
    }

    /// `x0[3]` or `y1[7]`: side letter, tensor position, element.
    public var description: String { "\(side == .input ? "x" : "y")\(tensor)[\(element)]" }
}

/// `Σ coefficient · element + constant` over network inputs and outputs.
public struct LinearExpression: Equatable, Sendable {
    /// The terms, each element at most once, in first-mention order.
    public private(set) var terms: [(element: TensorElement, coefficient: Double)]
    /// The constant part.
    public var constant: Double

    /// Creates the expression `constant`.
    public init(constant: Double = 0) {
        self.terms = []
        self.constant = constant
    }

    /// Adds `coefficient · element`, merging with an earlier term of the same element.
    public mutating func add(_ element: TensorElement, coefficient: Double) {
        if let i = terms.firstIndex(where: { $0.element == element }) {
            terms[i].coefficient += coefficient
        } else {
            terms.append((element, coefficient))
        }
    }

    /// Adds `factor` times `other`.
    public mutating func add(_ other: LinearExpression, times factor: Double = 1) {
        for term in other.terms { add(term.element, coefficient: factor * term.coefficient) }
        constant += factor * other.constant
    }

    /// Terms whose coefficients canceled are dropped.
    public var nonzeroTerms: [(element: TensorElement, coefficient: Double)] {
        terms.filter { $0.coefficient != 0 }
    }

    public static func == (a: LinearExpression, b: LinearExpression) -> Bool {
        a.constant == b.constant && a.terms.count == b.terms.count
            && zip(a.terms, b.terms).allSatisfy { $0.element == $1.element && $0.coefficient == $1.coefficient }
    }
}

/// How the two sides of a linear constraint compare.
public enum Relation: String, Sendable {
    case lessEqual = "<="
    case greaterEqual = ">="
    case equal = "=="
}

/// `expression relation 0`, e.g. `y3 - y7 >= 0`.
public struct LinearConstraint: Equatable, Sendable {
    /// Left side minus right side.
    public var expression: LinearExpression
    /// How the expression compares with zero.
    public var relation: Relation
    /// Where the constraint was written (a flag, a JSON path or a VNN-LIB line), for names and messages.
    public var origin: String

    /// Creates `expression relation 0`.
    public init(_ expression: LinearExpression, _ relation: Relation, origin: String) {
        self.expression = expression
        self.relation = relation
        self.origin = origin
    }

    /// True when every term is an input element: the constraint narrows the input domain.
    public var isInputOnly: Bool { expression.terms.allSatisfy { $0.element.side == .input } }
}

/// Whether the objective is maximized or minimized.
public enum ObjectiveSense: String, Sendable {
    case maximize
    case minimize
}

/// What the MILP optimizes.
public struct Objective: Equatable, Sendable {
    /// Maximize or minimize.
    public var sense: ObjectiveSense
    /// The expression; its constant is kept so reports can add it back.
    public var expression: LinearExpression

    /// Creates an objective.
    public init(_ sense: ObjectiveSense, _ expression: LinearExpression) {
        self.sense = sense
        self.expression = expression
    }
}

/// A norm ball around a point of one input: `‖x − center‖ ≤ radius`.
public struct NormBall: Equatable, Sendable {
    /// The norm.
    public enum Norm: String, Sendable { case linf, l1 }

    /// Which norm.
    public var norm: Norm
    /// Which input (position in `Graph.inputs`).
    public var input: Int
    /// The center, one value per element of the input.
    public var center: [Double]
    /// The radius (ε).
    public var radius: Double

    /// Creates a ball.
    public init(_ norm: Norm, input: Int, center: [Double], radius: Double) {
        self.norm = norm
        self.input = input
        self.center = center
        self.radius = radius
    }
}

/// Everything a MILP needs besides the network: the input domain, the
/// objective and the constraints on outputs (and inputs).
///
/// The feasible set is: inputs in `inputBounds` (intersected with the balls),
/// every constraint in `constraints`, and, when `disjuncts` is not empty, all
/// constraints of at least one disjunct.
public struct Spec: Equatable, Sendable {
    /// Per input (in `Graph.inputs` order), its box; nil where nothing bounds it yet.
    public var inputBounds: [Bounds?]
    /// Norm balls the inputs must lie in.
    public var balls: [NormBall]
    /// The objective, or nil for a feasibility problem.
    public var objective: Objective?
    /// Constraints that always hold.
    public var constraints: [LinearConstraint]
    /// Alternatives (VNN-LIB `or`); empty when there is no disjunction.
    public var disjuncts: [[LinearConstraint]]

    /// An empty spec for a graph with `inputCount` inputs.
    public init(inputCount: Int) {
        inputBounds = Array(repeating: nil, count: inputCount)
        balls = []
        objective = nil
        constraints = []
        disjuncts = []
    }

    /// Narrows input `input` to `bounds` (intersection with what is known).
    public mutating func intersectInput(_ input: Int, with bounds: Bounds) {
        guard let current = inputBounds[input] else {
            inputBounds[input] = bounds
            return
        }
        inputBounds[input] = Bounds(lower: zip(current.lower, bounds.lower).map { max($0, $1) },
                                    upper: zip(current.upper, bounds.upper).map { min($0, $1) })
    }
}
