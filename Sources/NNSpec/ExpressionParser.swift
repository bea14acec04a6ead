import NNIR

/// Parses the linear expressions and constraints of the command line and of
/// JSON specs: `2*y0 + y1`, `y3 - y7`, `-0.5 x2`, `logits[4] >= logits[7]`.
///
/// `yK` and `xK` are element K of the flattened first output and input;
/// `NAME[K]` is element K of any input or output by name. Terms are numbers,
/// references, or a number times a reference (`*` optional).
public struct ExpressionParser {
    private let symbols: SymbolTable
    private let source: String
    private let text: [UInt8]
    private var position = 0

    /// A parser for `text`; `source` names where it came from (`--maximize`, a JSON path) in messages.
    public init(_ text: String, source: String, symbols: SymbolTable) {
        self.text = Array(text.utf8)
        self.source = source
        self.symbols = symbols
    }

    /// Parses a whole linear expression.
    public static func expression(_ text: String, source: String, symbols: SymbolTable) throws -> LinearExpression {
        var parser = ExpressionParser(text, source: source, symbols: symbols)
        let result = try parser.parseExpression()
        try parser.expectEnd()
        return result
    }

    /// Parses `lhs REL rhs` with REL one of `<=`, `>=`, `==` (or `=`).
    public static func constraint(_ text: String, source: String, symbols: SymbolTable) throws -> LinearConstraint {
        var parser = ExpressionParser(text, source: source, symbols: symbols)
        var expression = try parser.parseExpression()
        let relation = try parser.parseRelation()
        let right = try parser.parseExpression()
        try parser.expectEnd()
        expression.add(right, times: -1)
        return LinearConstraint(expression, relation, origin: source)
    }

    private mutating func parseExpression() throws -> LinearExpression {
        var result = LinearExpression()
        var sign = 1.0
        skipSpaces()
        if peek("+") || peek("-") {
            sign = peek("-") ? -1 : 1
            position += 1
        }
        while true {
            try parseTerm(into: &result, sign: sign)
            skipSpaces()
            guard peek("+") || peek("-") else { return result }
            sign = peek("-") ? -1 : 1
            position += 1
        }
    }

    private mutating func parseTerm(into result: inout LinearExpression, sign: Double) throws {
        skipSpaces()
        var coefficient = sign
        if let number = try parseNumber() {
            coefficient *= number
            skipSpaces()
            if peek("*") {
                position += 1
                skipSpaces()
            } else if !startsReference() {
                result.constant += coefficient
                return
            }
        }
        guard startsReference() else { throw error("expected a number, xK, yK or NAME[K]") }
        let element = try parseReference()
        skipSpaces()
        if peek("*") {
            position += 1
            skipSpaces()
            guard let number = try parseNumber() else { throw error("expected a number after '*'") }
            coefficient *= number
        }
        result.add(element, coefficient: coefficient)
    }

    private mutating func parseRelation() throws -> Relation {
        skipSpaces()
        for (spelling, relation) in [("<=", Relation.lessEqual), (">=", .greaterEqual), ("==", .equal), ("=", .equal)] {
            let bytes = Array(spelling.utf8)
            if text.count - position >= bytes.count, Array(text[position..<position + bytes.count]) == bytes {
                position += bytes.count
                return relation
            }
        }
        if peek("<") || peek(">") { throw error("strict inequalities cannot be encoded in a MILP; use <= or >=") }
        throw error("expected <=, >= or ==")
    }

    private mutating func parseNumber() throws -> Double? {
        let start = position
        while position < text.count, isNumberByte(text[position], previous: position > start ? text[position - 1] : nil) {
            position += 1
        }
        guard position > start else { return nil }
        let spelling = String(decoding: text[start..<position], as: UTF8.self)
        guard let value = Double(spelling), value.isFinite else {
            position = start
            throw error("'\(spelling)' is not a finite number")
        }
        return value
    }

    private func isNumberByte(_ byte: UInt8, previous: UInt8?) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."): return true
        case UInt8(ascii: "e"), UInt8(ascii: "E"): return previous.map { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") } ?? false
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E")
        default: return false
        }
    }

    private func startsReference() -> Bool {
        position < text.count && isNameByte(text[position]) && !(text[position] >= UInt8(ascii: "0") && text[position] <= UInt8(ascii: "9"))
    }

    private func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "/"):
            return true
        default:
            return byte >= 0x80
        }
    }

    private mutating func parseReference() throws -> TensorElement {
        let start = position
        while position < text.count, isNameByte(text[position]) { position += 1 }
        let name = String(decoding: text[start..<position], as: UTF8.self)
        if peek("[") {
            position += 1
            skipSpaces()
            let indexStart = position
            while position < text.count, text[position] >= UInt8(ascii: "0"), text[position] <= UInt8(ascii: "9") { position += 1 }
            guard position > indexStart, let index = Int(String(decoding: text[indexStart..<position], as: UTF8.self)) else {
                throw error("expected an element index after '['")
            }
            skipSpaces()
            guard peek("]") else { throw error("expected ']'") }
            position += 1
            guard symbols.hasTensor(name) else {
                position = start
                throw error("no input or output is called '\(name)'")
            }
            guard let element = symbols.named(name, index: index) else {
                position = start
                throw error("index \(index) is out of range for '\(name)'")
            }
            return element
        }
        if let first = name.utf8.first, first == UInt8(ascii: "x") || first == UInt8(ascii: "y"),
           let index = Int(name.dropFirst()), name.count > 1, name.dropFirst().allSatisfy(\.isASCIIDigitCharacter) {
            let side: TensorElement.Side = first == UInt8(ascii: "x") ? .input : .output
            guard let element = symbols.shorthand(side, index: index) else {
                position = start
                throw error("'\(name)' is out of range: \(symbols.describe(side))")
            }
            return element
        }
        position = start
        throw error("unknown name '\(name)'; write xK or yK (element K of the first input or output) or NAME[K]")
    }

    private mutating func expectEnd() throws {
        skipSpaces()
        guard position == text.count else { throw error("unexpected '\(String(decoding: text[position...].prefix(12), as: UTF8.self))'") }
    }

    private func peek(_ character: Unicode.Scalar) -> Bool {
        position < text.count && text[position] == UInt8(ascii: character)
    }

    private mutating func skipSpaces() {
        while position < text.count, text[position] == UInt8(ascii: " ") || text[position] == UInt8(ascii: "\t") { position += 1 }
    }

    private func error(_ message: String) -> Diagnostic {
        let written = String(decoding: text, as: UTF8.self)
        return Diagnostic(.usage, location: "\(source) '\(written)'", "column \(position + 1): \(message)")
    }
}

private extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
