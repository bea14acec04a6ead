import Foundation

/// JSON string literals: the one escaper behind every quoted name nnmip writes
/// (IR text, name maps, statistics, command output).
public enum JSONString {
    /// `s` as a JSON string literal: in quotes, with `"`, `\`, newline and tab
    /// escaped, and every other control character as `\uXXXX`.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
