import NNIR

/// An S-expression with the line it starts on.
enum SExpression {
    case atom(String, line: Int)
    case list([SExpression], line: Int)

    /// The line the expression starts on (1-based).
    var line: Int {
        switch self {
        case .atom(_, let line), .list(_, let line): line
        }
    }
}

/// Splits SMT-LIB text into top-level S-expressions; `;` starts a comment.
struct SExpressionReader {
    /// How deeply lists may nest before the file is refused (guards the recursion).
    static let depthLimit = 256

    private let bytes: [UInt8]
    private let path: String
    private var position = 0
    private var line = 1

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// The next top-level expression, or nil at the end of the text.
    mutating func next() throws -> SExpression? {
        skipSpaceAndComments()
        guard position < bytes.count else { return nil }
        return try read(depth: 0)
    }

    private mutating func read(depth: Int) throws -> SExpression {
        skipSpaceAndComments()
        guard position < bytes.count else { throw Diagnostic(.malformedInput, file: path, location: "line \(line)", "unexpected end of file; a ')' is missing") }
        let startLine = line
        switch bytes[position] {
        case UInt8(ascii: "("):
            guard depth < Self.depthLimit else { throw Diagnostic(.malformedInput, file: path, location: "line \(line)", "lists nested more than \(Self.depthLimit) deep") }
            position += 1
            var items: [SExpression] = []
            while true {
                skipSpaceAndComments()
                guard position < bytes.count else {
                    throw Diagnostic(.malformedInput, file: path, location: "line \(startLine)", "this '(' is never closed")
                }
                if bytes[position] == UInt8(ascii: ")") {
                    position += 1
                    return .list(items, line: startLine)
                }
                items.append(try read(depth: depth + 1))
            }
        case UInt8(ascii: ")"):
            throw Diagnostic(.malformedInput, file: path, location: "line \(line)", "unbalanced ')'")
        default:
            let start = position
            while position < bytes.count, !isDelimiter(bytes[position]) { position += 1 }
            return .atom(String(decoding: bytes[start..<position], as: UTF8.self), line: startLine)
        }
    }

    private func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: " ")
            || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    private mutating func skipSpaceAndComments() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\n"):
                line += 1
                position += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                position += 1
            case UInt8(ascii: ";"):
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
            default:
                return
            }
        }
    }
}
