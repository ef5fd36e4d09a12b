import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The operator's signals: the first SIGTERM or SIGINT starts a graceful shutdown of the service group;
/// a second one ends the process at once. Leases held then expire and another process (or the next
/// start) reclaims the work.
///
/// One watcher handles both, trapping the signals before the service starts: with the group trapping
/// the first and a watcher the second, a signal arriving between the two traps would be seen by one only.
final class ShutdownSignals: Sendable {
    private let received = Atomic(0)
    private let signals: UnixSignalsSequence

    private init(signals: UnixSignalsSequence) {
        self.signals = signals
    }

    /// Traps SIGTERM and SIGINT from now on.
    static func trap() async -> ShutdownSignals {
        ShutdownSignals(signals: await UnixSignalsSequence(trapping: .sigterm, .sigint))
    }

    /// Whether a shutdown was asked for (`/readyz` answers 503 while the service drains).
    var isShuttingDown: Bool { received.load(ordering: .relaxed) > 0 }

    /// Shuts `group` down gracefully on the first signal and exits with status 1 on the second; runs
    /// until cancelled.
    func watch(_ group: ServiceGroup, logger: Logger) async {
        for await signal in signals {
            let count = received.add(1, ordering: .relaxed).newValue
            if count == 1 {
                logger.notice("shutting down: requests in flight may finish", metadata: ["signal": "\(signal)"])
                await group.triggerGracefulShutdown()
                continue
            }
            logger.warning(
                "second signal: exiting now; leases expire and are reclaimed",
                metadata: ["signal": "\(signal)"]
            )
            FileHandle.standardError.write(Data("harvest: second \(signal): exiting at once\n".utf8))
            // No atexit handlers: other threads may be inside SQLite or the event loops.
            _exit(1)
        }
    }
}
