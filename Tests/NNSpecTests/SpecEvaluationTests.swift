import NNIR
import NNSpec
import Testing

/// A spec judged at concrete points: what `verify` relies on to call a point a counterexample.
@Suite struct SpecEvaluationTests {
    /// y0 - y1 >= 0.5 and x0 <= 0.25 over the box [0, 1]^2.
    func spec() -> Spec {
        var spec = Spec(inputCount: 1)
        spec.inputBounds = [Bounds(lower: [0, 0], upper: [1, 1])]
        var margin = LinearExpression(constant: -0.5)
        margin.add(TensorElement(.output, tensor: 0, element: 0), coefficient: 1)
        margin.add(TensorElement(.output, tensor: 0, element: 1), coefficient: -1)
        var input = LinearExpression(constant: -0.25)
        input.add(TensorElement(.input, tensor: 0, element: 0), coefficient: 1)
        spec.constraints = [LinearConstraint(margin, .greaterEqual, origin: "test"), LinearConstraint(input, .lessEqual, origin: "test")]
        return spec
    }

    @Test func violationsMeasureTheDistanceToTheAllowedSide() {
        let spec = spec()
        #expect(spec.constraintViolation(inputs: [[0.25, 0]], outputs: [[1, 0.5]]) == 0)
        #expect(spec.constraintViolation(inputs: [[0.5, 0]], outputs: [[1, 0.5]]) == 0.25)
        #expect(spec.constraintViolation(inputs: [[0, 0]], outputs: [[1, 0.75]]) == 0.25)
        #expect(spec.domainViolation(inputs: [[1.5, -0.25]]) == 0.5)
        #expect(spec.domainViolation(inputs: [[1, 0]]) == 0)
    }

    @Test func notANumberSatisfiesNothing() {
        let spec = spec()
        #expect(spec.constraintViolation(inputs: [[0, 0]], outputs: [[.nan, 0]]) == .infinity)
        #expect(spec.domainViolation(inputs: [[.nan, 0]]) == .infinity)
    }

    @Test func aPointSatisfiesADisjunctionThroughItsBestDisjunct() {
        var spec = spec()
        spec.disjuncts = [[spec.constraints[0]], [LinearConstraint(LinearExpression(constant: 1), .lessEqual, origin: "never")]]
        spec.constraints = []
        #expect(spec.constraintViolation(inputs: [[0, 0]], outputs: [[1, 0.5]]) == 0)
        #expect(spec.disjunctViolation(1, inputs: [[0, 0]], outputs: [[1, 0.5]]) == 1)
    }
}
