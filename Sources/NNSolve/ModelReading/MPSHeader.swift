import CSystemZlib
import Foundation
import NNIR
import NNMILP

/// What the lines of an MPS file before its ROWS section say about the
/// objective's sense, which HiGHS's reader does not report: the value of an
/// OBJSENSE section (HiGHS minimizes when it does not know the word), and the
/// comment `*SENSE:Maximize` that PuLP writes instead of an OBJSENSE section.
struct MPSHeader {
    /// The word of the OBJSENSE section, as written; nil without one.
    var objectiveSenseWord: String?
    /// The sense PuLP's comment names; nil without such a comment.
    var commentedSense: MILPModel.Sense?

    /// The OBJSENSE words HiGHS's reader knows (compared ignoring case), and the sense of each.
    static let senseWords: [String: MILPModel.Sense] = ["MIN": .minimize, "MINIMIZE": .minimize, "MAX": .maximize, "MAXIMIZE": .maximize]

    /// The sense of the OBJSENSE word, nil when there is none; throws when the word is not one HiGHS knows.
    func declaredSense(file: String) throws -> MILPModel.Sense? {
        guard let word = objectiveSenseWord else { return nil }
        guard let sense = Self.senseWords[word.uppercased()] else {
            throw Diagnostic(.unsupported, file: file, location: "OBJSENSE",
                             "the objective sense '\(word)' is unknown (MIN, MAX, MINIMIZE or MAXIMIZE); fix the file or give --sense")
        }
        return sense
    }

    /// Reads the lines of `path` (gzipped or not) up to its ROWS section, at most `lineLimit` of them.
    static func read(_ path: String, lineLimit: Int = 10_000) -> MPSHeader {
        var header = MPSHeader()
        guard let file = gzopen(path, "rb") else { return header }
        defer { gzclose(file) }
        var buffer = [CChar](repeating: 0, count: 4096)
        var inObjectiveSense = false
        for _ in 0..<lineLimit {
            guard gzgets(file, &buffer, Int32(buffer.count)) != nil else { break }
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("*") {
                let comment = line.dropFirst().filter { $0 != " " }.uppercased()
                if comment == "SENSE:MAXIMIZE" { header.commentedSense = .maximize }
                if comment == "SENSE:MINIMIZE" { header.commentedSense = .minimize }
                continue
            }
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = words.first else { continue }
            if inObjectiveSense {
                header.objectiveSenseWord = first
                inObjectiveSense = false
            } else if first.uppercased() == "OBJSENSE" {
                if words.count > 1 { header.objectiveSenseWord = words[1] } else { inObjectiveSense = true }
            } else if first.uppercased() == "ROWS" {
                break
            }
        }
        return header
    }
}
