import Foundation
import NNMIPKit

/// An SVG chart of a surrogate search: the best objective on the ORIGINAL
/// network over time (a step line), with every judged solution as a dot
/// colored by the MILP that found it, so a user sees what the surrogate bought.
struct TracePlot {
    /// The judged solutions, in the order they came.
    var trace: [SurrogateSearch.TraceEntry]
    /// Whether larger objectives are better.
    var maximize: Bool
    /// The chart's title.
    var title: String

    /// Prepares a chart.
    init(trace: [SurrogateSearch.TraceEntry], maximize: Bool, title: String) {
        self.trace = trace
        self.maximize = maximize
        self.title = title
    }

    /// The chart as SVG text.
    var svg: String {
        let (width, height, margin) = (720.0, 400.0, 60.0)
        let points = trace.filter { $0.originalObjective.isFinite }
        var best: [(Double, Double)] = []
        for entry in points {
            let value = best.last.map { maximize ? max($0.1, entry.originalObjective) : min($0.1, entry.originalObjective) } ?? entry.originalObjective
            best.append((entry.seconds, value))
        }
        let times = points.map(\.seconds), values = points.map(\.originalObjective)
        let (t0, t1) = (0.0, max(times.max() ?? 1, 1e-3) * 1.05)
        var (v0, v1) = (values.min() ?? 0, values.max() ?? 1)
        if v1 - v0 < 1e-12 { (v0, v1) = (v0 - 0.5, v1 + 0.5) }
        func x(_ t: Double) -> Double { margin + (t - t0) / (t1 - t0) * (width - 2 * margin) }
        func y(_ v: Double) -> Double { height - margin - (v - v0) / (v1 - v0) * (height - 2 * margin) }
        func number(_ v: Double) -> String { String(format: "%.6g", v) }
        // Ten colours: a search has up to nine sources (sample, gradient, walk, lp-relaxation, polish and its MILPs).
        let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
        var sources: [String] = []
        for entry in points where !sources.contains(entry.source) { sources.append(entry.source) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(escaped(title))</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(Int(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">\(escaped(title))</text>\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(height - margin)\" x2=\"\(width - margin)\" y2=\"\(height - margin)\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(margin)\" x2=\"\(margin)\" y2=\"\(height - margin)\" stroke=\"black\"/>\n"
        svg += "<text x=\"\(Int(width / 2))\" y=\"\(Int(height - 20))\" text-anchor=\"middle\">seconds (0 to \(number(t1)))</text>\n"
        svg += "<text x=\"\(margin - 6)\" y=\"\(y(v1))\" text-anchor=\"end\">\(number(v1))</text>\n"
        svg += "<text x=\"\(margin - 6)\" y=\"\(y(v0))\" text-anchor=\"end\">\(number(v0))</text>\n"
        if !best.isEmpty {
            var path = "M \(x(best[0].0)) \(y(best[0].1))"
            for point in best.dropFirst() { path += " H \(x(point.0)) V \(y(point.1))" }
            path += " H \(x(t1))"
            svg += "<path class=\"best\" d=\"\(path)\" fill=\"none\" stroke=\"black\" stroke-width=\"2\"/>\n"
        }
        for entry in points {
            let color = palette[(sources.firstIndex(of: entry.source) ?? 0) % palette.count]
            svg += "<circle class=\"solution\" cx=\"\(x(entry.seconds))\" cy=\"\(y(entry.originalObjective))\" r=\"3\" fill=\"\(color)\"><title>\(escaped(entry.source)): \(number(entry.originalObjective)) at \(number(entry.seconds)) s</title></circle>\n"
        }
        for (k, source) in sources.enumerated() {
            let top = margin + Double(k) * 16
            svg += "<circle cx=\"\(width - margin - 110)\" cy=\"\(top)\" r=\"4\" fill=\"\(palette[k % palette.count])\"/><text x=\"\(width - margin - 100)\" y=\"\(top + 4)\">\(escaped(source))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    private func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
