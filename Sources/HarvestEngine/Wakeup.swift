import Synchronization

/// Wakes a sleeping worker early: new work arrived (a callback, a job another worker moved on).
public final class Wakeup: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    public init() {}

    /// Wakes the waiter, or makes its next wait return at once.
    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            let waiter = state.waiter
            state.waiter = nil
            state.pending = waiter == nil
            return waiter
        }
        waiter?.resume()
    }

    /// Sleeps until `timeout` passes or ``signal()`` is called (or the task is cancelled).
    public func wait(upTo timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
            }
            group.addTask { [self] in
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let resumeNow = state.withLock { state -> Bool in
                            if state.pending {
                                state.pending = false
                                return true
                            }
                            state.waiter = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: { [self] in
                    signal()
                }
            }
            await group.next()
            group.cancelAll()
            signal()  // releases the continuation if the timer won
            state.withLock { $0.pending = false }
        }
    }
}
