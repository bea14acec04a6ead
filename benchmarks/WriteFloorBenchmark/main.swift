// The floor under any MPS or LP writer, for benchmarks/compile_large.sh: the time to format a
// written file's numbers with the writer's own shortest round-trip formatter, and the time to write
// that file's bytes to a new file beside it (create, one write per MiB, close, as OutputFile does
// before its rename), once each, as a compile run does them once: a process's first write of a large
// file costs several times what its later ones do (the page cache), so the script runs this
// afresh for each measurement. Neither figure includes building the model; their sum is what a
// writer that formats and then writes takes at least (one that overlaps the two, as OutputFile
// does, can approach the larger of the two).
//
//   nnmip-write-floor-benchmark FILE.mps      (prints: numbers, format s, write s, their sum)
import Foundation
import NNMIPKit

let arguments = CommandLine.arguments
guard arguments.count >= 2, let contents = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: nnmip-write-floor-benchmark FILE.mps (FILE must be readable)\n".utf8))
    exit(2)
}

/// Every whitespace-separated token that reads as a number (names start with a letter or an
/// underscore in nnmip's files, so none is mistaken for one).
let numbers: [Double] = contents.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 }).compactMap { token in
    guard let first = token.first, first == 0x2D || first == 0x2B || first == 0x2E || (0x30...0x39).contains(first) else { return nil }
    return Double(String(decoding: token, as: UTF8.self))
}

let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: numbers.count * (ShortestDouble.maximumLength + 1) + 1)
defer { buffer.deallocate() }
var start = MonotonicClock.now()
var length = 0
for value in numbers {
    length += ShortestDouble.write(value, to: buffer + length)
    buffer[length] = 0x20
    length += 1
}
let formatting = MonotonicClock.now() - start
// The formatted text must not be optimised away.
if length == 0 && !numbers.isEmpty { print("formatted nothing") }

let copyPath = arguments[1] + ".floor-copy"
unlink(copyPath)
start = MonotonicClock.now()
let descriptor = open(copyPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
guard descriptor >= 0 else {
    FileHandle.standardError.write(Data("nnmip-write-floor-benchmark: cannot create \(copyPath)\n".utf8))
    exit(1)
}
contents.withUnsafeBytes { bytes in
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, min(1 << 20, bytes.count - offset))
        guard written > 0 else { break }
        offset += written
    }
}
close(descriptor)
let writing = MonotonicClock.now() - start
unlink(copyPath)
print(String(format: "%d %.3f %.3f %.3f", numbers.count, formatting, writing, formatting + writing))
