import Foundation

/// Writes full buffers on a thread of its own while the caller fills the next one, so that
/// formatting a large model and the kernel's copy of its bytes overlap (on a 160 MB MPS file the
/// `write` calls take as long as formatting the numbers). Buffers are written in the order they
/// are handed over. `OutputFile` starts one at its first full buffer; a small output never has one.
final class BackgroundWriter: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    /// Full buffers waiting for the thread, oldest first.
    private var queued: [(buffer: UnsafeMutablePointer<UInt8>, count: Int)] = []
    /// Empty buffers the caller may take.
    private var spare: [UnsafeMutablePointer<UInt8>] = []
    private var busy = false
    private var stopping = false
    private var running = true
    /// Writes one buffer's bytes (on the writer thread, one call at a time).
    private let sink: (UnsafeRawBufferPointer) -> Void

    /// Starts the thread, with `spareBuffers` buffers of `capacity` bytes besides the caller's.
    init(capacity: Int, spareBuffers: Int = 2, sink: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.capacity = capacity
        self.sink = sink
        spare = (0..<max(1, spareBuffers)).map { _ in .allocate(capacity: capacity) }
        let thread = Thread { [self] in self.work() }
        thread.name = "nnmip output writer"
        thread.start()
    }

    /// Queues `count` bytes of `full` for writing and returns an empty buffer of `capacity` bytes
    /// in its place (waiting for the thread to free one when all are queued).
    func exchange(_ full: UnsafeMutablePointer<UInt8>, count: Int) -> UnsafeMutablePointer<UInt8> {
        condition.lock()
        defer { condition.unlock() }
        queued.append((full, count))
        condition.broadcast()
        while spare.isEmpty { condition.wait() }
        return spare.removeLast()
    }

    /// Waits until every queued buffer has been written.
    func drain() {
        condition.lock()
        while !queued.isEmpty || busy { condition.wait() }
        condition.unlock()
    }

    /// Writes what is queued (or, `discardingQueued`, drops it unwritten: the output was given up),
    /// ends the thread and frees the spare buffers (the caller's own buffer stays the caller's).
    /// Nothing may be handed over afterwards.
    func stop(discardingQueued: Bool) {
        condition.lock()
        if discardingQueued {
            spare += queued.map(\.buffer)
            queued = []
        }
        stopping = true
        condition.broadcast()
        while running { condition.wait() }
        let buffers = spare
        spare = []
        condition.unlock()
        for buffer in buffers { buffer.deallocate() }
    }

    private func work() {
        condition.lock()
        while true {
            while queued.isEmpty && !stopping { condition.wait() }
            if queued.isEmpty { break }
            let next = queued.removeFirst()
            busy = true
            condition.unlock()
            sink(UnsafeRawBufferPointer(start: next.buffer, count: next.count))
            condition.lock()
            busy = false
            spare.append(next.buffer)
            condition.broadcast()
        }
        running = false
        condition.broadcast()
        condition.unlock()
    }
}
