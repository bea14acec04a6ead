import Foundation
import NNIR
import Testing

/// The smooth activations: values against known constants, derivatives against finite differences,
/// and the facts their soundness rests on (the range, the certified deviation from a line, the
/// curvature bound) against dense samples.
@Suite struct SmoothFunctionTests {
    static let functions: [SmoothFunction] = [
        .sigmoid, .tanh, .softplus, .silu, .gelu(tanhApproximation: false), .gelu(tanhApproximation: true),
        .elu(alpha: 1), .elu(alpha: 0.3), .selu(alpha: SmoothFunction.seluAlpha, gamma: SmoothFunction.seluGamma), .hardSwish,
    ]

    /// Values worked out independently (closed forms; GELU from the normal CDF Φ(1) = 0.8413447460685429).
    static let knownValues: [(SmoothFunction, Double, Double)] = {
        let selu = SmoothFunction.selu(alpha: SmoothFunction.seluAlpha, gamma: SmoothFunction.seluGamma)
        let gelu = SmoothFunction.gelu(tanhApproximation: false)
        var values: [(SmoothFunction, Double, Double)] = []
        values.append((.sigmoid, 0, 0.5))
        values.append((.sigmoid, 2, 1 / (1 + exp(-2.0))))
        values.append((.tanh, 1, 0.7615941559557649))
        values.append((.softplus, 0, log(2.0)))
        values.append((.softplus, -800, 0))
        values.append((.softplus, 800, 800))
        values.append((.silu, 1, 0.7310585786300049))
        values.append((gelu, 1, 0.8413447460685429))
        values.append((gelu, -.infinity, 0))
        values.append((.elu(alpha: 1), -1, exp(-1.0) - 1))
        values.append((.elu(alpha: 0.3), 2, 2))
        values.append((.hardSwish, 1, 2.0 / 3))
        values.append((.hardSwish, -4, 0))
        values.append((.hardSwish, 5, 5))
        values.append((selu, -1, SmoothFunction.seluGamma * SmoothFunction.seluAlpha * (exp(-1.0) - 1)))
        return values
    }()

    @Test func valuesMatchTheirClosedForms() {
        for (function, x, expected) in Self.knownValues {
            #expect(abs(function.value(x) - expected) <= 1e-15 * max(1, abs(expected)), "\(function.name)(\(x)) = \(function.value(x)), expected \(expected)")
        }
    }

    @Test(arguments: functions)
    func derivativesMatchFiniteDifferences(function: SmoothFunction) {
        for i in 0...400 {
            let x = -8 + Double(i) * 0.04 + 0.013  // off the kinks at -3, 0 and 3
            let h = 1e-6
            let difference = (function.value(x + h) - function.value(x - h)) / (2 * h)
            #expect(abs(function.derivative(x) - difference) <= 1e-6, "\(function.name)'(\(x)) = \(function.derivative(x)), difference \(difference)")
        }
    }

    @Test(arguments: functions)
    func theCurvatureBoundHolds(function: SmoothFunction) {
        var largest = 0.0
        for i in 0...16000 {
            let x = -20 + Double(i) * 0.0025 + 0.0011
            guard function.kinks.allSatisfy({ abs($0 - x) > 1e-3 }) else { continue }
            let h = 1e-5
            largest = max(largest, abs(function.derivative(x + h) - function.derivative(x - h)) / (2 * h))
        }
        #expect(largest <= function.curvatureBound * (1 + 1e-6), "\(function.name): |f''| reaches \(largest) > \(function.curvatureBound)")
        #expect(largest >= 0.9 * function.curvatureBound, "\(function.name): the bound \(function.curvatureBound) is loose (|f''| at most \(largest))")
    }

    /// Random intervals, some across the minimum of SiLU, GELU and HardSwish and the kinks.
    static func intervals() -> [(Double, Double)] {
        var generator = SplitMix64(seed: 3)
        return (0..<200).map { _ in
            let a = (generator.nextUnit() - 0.5) * 16, b = a + generator.nextUnit() * 6
            return (a, b)
        } + [(-1.3, -1.2), (-3, 3), (-0.76, -0.74), (0, 0), (-50, 50)]
    }

    @Test(arguments: functions)
    func theRangeHoldsEverySampledValue(function: SmoothFunction) {
        for (a, b) in Self.intervals() {
            let range = function.range(lower: a, upper: b)
            var low = Double.infinity, high = -Double.infinity
            for i in 0...2000 {
                let v = function.value(a + (b - a) * Double(i) / 2000)
                low = min(low, v)
                high = max(high, v)
            }
            #expect(range.lower <= low && high <= range.upper, "\(function.name) on [\(a), \(b)]: range [\(range.lower), \(range.upper)], samples [\(low), \(high)]")
            // The samples miss an inner minimum by at most the curvature over half their spacing.
            let spacing = (b - a) / 2000, missed = function.curvatureBound * spacing * spacing / 8
            #expect(low - range.lower <= 1e-6 * max(1, abs(low)) + missed && range.upper - high <= 1e-6 * max(1, abs(high)),
                    "\(function.name) on [\(a), \(b)]: loose range [\(range.lower), \(range.upper)], samples [\(low), \(high)]")
        }
    }

    /// The certified deviation from the chord holds the function on 10,000 points and is tight.
    @Test(arguments: functions)
    func theDeviationFromALineHoldsAndIsTight(function: SmoothFunction) {
        for (a, b) in Self.intervals() where b > a {
            let slope = (function.value(b) - function.value(a)) / (b - a)
            let intercept = function.value(a) - slope * a + 0.125
            let deviation = function.deviation(slope: slope, intercept: intercept, over: a, b)
            var low = Double.infinity, high = -Double.infinity
            for i in 0...10_000 {
                let x = a + (b - a) * Double(i) / 10_000
                let g = function.value(x) - (slope * x + intercept)
                low = min(low, g)
                high = max(high, g)
            }
            #expect(deviation.lower <= low && high <= deviation.upper, "\(function.name) on [\(a), \(b)]: [\(deviation.lower), \(deviation.upper)] misses [\(low), \(high)]")
            // The slack is the curvature term of 32 samples: at most a 1/1024 of the interval's bend.
            // (Twice: the 10,000 samples miss the extremes by up to the curvature over their spacing too.)
            let slack = 2 * function.curvatureBound * (b - a) * (b - a) / 8 / 1024 + 1e-9
            #expect(low - deviation.lower <= slack && deviation.upper - high <= slack, "\(function.name) on [\(a), \(b)]: loose by more than \(slack)")
        }
    }
}
