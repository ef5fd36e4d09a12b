import Foundation
import Logging
import Synchronization
import UnixSignals

/// The operator's way out of a slow shutdown: the first SIGTERM or SIGINT starts a graceful shutdown
/// (the service group handles it); a second one ends the process at once. Leases held then expire and
/// another process (or the next start) reclaims the work.
final class SecondSignal: Sendable {
    private let received = Atomic(0)

    /// Whether a shutdown signal arrived.
    var wasSignalled: Bool { received.load(ordering: .relaxed) > 0 }

    /// Traps the signals now, before the service starts, so that none arrives unseen; `watch` reads them.
    static func trap() async -> UnixSignalsSequence {
        await UnixSignalsSequence(trapping: .sigterm, .sigint)
    }

    /// Watches until cancelled; exits the process with status 1 on the second signal.
    func watch(_ signals: UnixSignalsSequence, logger: Logger) async {
        for await signal in signals {
            let count = received.add(1, ordering: .relaxed).newValue
            guard count >= 2 else { continue }
            logger.warning(
                "second signal: exiting now; leases expire and are reclaimed",
                metadata: ["signal": "\(signal)"]
            )
            FileHandle.standardError.write(Data("harvest: second \(signal): exiting at once\n".utf8))
            exit(1)
        }
    }
}
