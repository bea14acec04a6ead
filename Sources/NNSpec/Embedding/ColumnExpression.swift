import NNIR

/// `Σ coefficient · name + constant` over names of a user's model: its
/// columns, and `NAME.yK` for output K of network instance NAME. Names are
/// looked up later, against the model (`EmbeddingPlan`).
public struct ColumnExpression: Equatable, Sendable {
    /// The terms, each name at most once, in first-mention order.
    public private(set) var terms: [Term] = []
    /// The constant part.
    public var constant = 0.0

    /// One `coefficient · name`.
    public struct Term: Equatable, Sendable {
        public var name: String
        public var coefficient: Double
    }

    /// The expression 0.
    public init() {}

    /// Adds `coefficient · name`, merging with an earlier term of the same name.
    public mutating func add(_ name: String, coefficient: Double) {
        if let i = terms.firstIndex(where: { $0.name == name }) {
            terms[i].coefficient += coefficient
        } else {
            terms.append(Term(name: name, coefficient: coefficient))
        }
    }

    /// Parses `text`, written at `source` (`--maximize`, `objective.maximize`), as a linear expression:
    /// terms `NAME`, `NUMBER`, `NUMBER NAME`, `NUMBER*NAME` or `NAME*NUMBER` joined by `+` and `-`.
    ///
    /// A name is everything up to a space, `+`, `-` or `*`, so `x(Beans)`, `flow[1,2]` and `demand.y0`
    /// need no quotes; a name with one of those characters is written in double quotes (`"y-2"`). A
    /// word that reads as a number is the number.
    /// - Throws: a diagnostic of `kind` at `source`, naming the column where the text goes wrong.
    public static func parse(_ text: String, source: String, file: String? = nil, kind: FailureKind = .usage) throws -> ColumnExpression {
        var parser = Parser(text: Array(text.utf8), fail: { column, message in
            Diagnostic(kind, file: file, location: "\(source) '\(text)'", "column \(column + 1): \(message)")
        })
        return try parser.expression()
    }

    /// The expression's reader: one pass over the bytes.
    private struct Parser {
        let text: [UInt8]
        let fail: (Int, String) -> Diagnostic
        var position = 0

        /// A token: a number or a name, and where it starts.
        enum Token {
            case number(Double)
            case name(String)
        }

        mutating func expression() throws -> ColumnExpression {
            var result = ColumnExpression()
            var sign = try leadingSign() ?? 1
            while true {
                try term(into: &result, sign: sign)
                skipSpaces()
                if position == text.count { return result }
                guard let next = try leadingSign() else { throw fail(position, "expected '+' or '-' between terms") }
                sign = next
            }
        }

        /// Consumes a `+` or `-` (after spaces), or nothing.
        mutating func leadingSign() throws -> Double? {
            skipSpaces()
            guard position < text.count, text[position] == UInt8(ascii: "+") || text[position] == UInt8(ascii: "-") else { return nil }
            defer { position += 1 }
            return text[position] == UInt8(ascii: "-") ? -1 : 1
        }

        mutating func term(into result: inout ColumnExpression, sign: Double) throws {
            let start = position
            guard let first = try token() else { throw fail(position, "expected a number or a name") }
            switch first {
            case .number(let number):
                skipSpaces()
                let star = consume(UInt8(ascii: "*"))
                guard let second = try token() else {
                    if star { throw fail(position, "expected a name after '*'") }
                    result.constant += sign * number
                    return
                }
                guard case .name(let name) = second else { throw fail(start, "two numbers in one term") }
                result.add(name, coefficient: sign * number)
            case .name(let name):
                skipSpaces()
                var coefficient = sign
                if consume(UInt8(ascii: "*")) {
                    guard case .number(let number)? = try token() else { throw fail(position, "expected a number after '*'") }
                    coefficient *= number
                }
                result.add(name, coefficient: coefficient)
            }
        }

        /// The next number or name (after spaces), or nil at the end or before an operator.
        mutating func token() throws -> Token? {
            skipSpaces()
            guard position < text.count else { return nil }
            if text[position] == UInt8(ascii: "\"") {
                let start = position
                position += 1
                let nameStart = position
                while position < text.count, text[position] != UInt8(ascii: "\"") { position += 1 }
                guard position < text.count else { throw fail(start, "the quoted name is not closed") }
                defer { position += 1 }
                guard position > nameStart else { throw fail(start, "an empty name") }
                return .name(String(decoding: text[nameStart..<position], as: UTF8.self))
            }
            let start = position
            while position < text.count, !isDelimiter(at: position, wordStart: start) { position += 1 }
            guard position > start else { return nil }
            let word = String(decoding: text[start..<position], as: UTF8.self)
            if let number = Double(word) {
                guard number.isFinite else { throw fail(start, "'\(word)' is not a finite number") }
                return .number(number)
            }
            return .name(word)
        }

        /// Whether the byte at `index` ends the word that began at `wordStart`: a space or an
        /// operator, except the sign of a number's exponent (`1e-3`).
        func isDelimiter(at index: Int, wordStart: Int) -> Bool {
            switch text[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "*"), UInt8(ascii: "\""):
                return true
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let mantissa = text[wordStart..<max(wordStart, index - 1)]
                let isExponentSign = index - 1 > wordStart && (text[index - 1] == UInt8(ascii: "e") || text[index - 1] == UInt8(ascii: "E"))
                    && mantissa.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }
                return !isExponentSign
            default:
                return false
            }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            skipSpaces()
            guard position < text.count, text[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func skipSpaces() {
            while position < text.count, text[position] == UInt8(ascii: " ") || text[position] == UInt8(ascii: "\t") { position += 1 }
        }
    }
}
