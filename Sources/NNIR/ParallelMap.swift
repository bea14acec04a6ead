import Dispatch

/// Independent pieces of work on threads of their own, their results kept in order.
public enum ParallelMap {
    /// `work(i)` for every `i` in `0..<count`, as many at once as the machine has cores
    /// (Dispatch's pool), returned in index order. `work` must be safe to call from
    /// several threads at once; every call has returned when this returns.
    public static func map<Result>(count: Int, _ work: (Int) -> Result) -> [Result] {
        guard count > 1 else { return (0..<count).map(work) }
        return withoutActuallyEscaping(work) { work in
            let slots = Slots<Result>(count: count)
            let shared = UncheckedBox(work)
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots.buffer[index] = shared.value(index)  // each index is written by one thread only
            }
            return slots.buffer.map { $0! }
        }
    }

    /// One slot per result, written from several threads at distinct indices.
    private final class Slots<Result>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Result?>

        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }

        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }
    }

    /// The caller's closure, shared with the worker threads for the length of the call.
    private final class UncheckedBox<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}
