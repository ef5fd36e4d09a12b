import Foundation
import Logging
import OxylabsAPI
import ServiceLifecycle
import Synchronization

/// The addresses Oxylabs sends callbacks from (`GET /v1/info/callbacker_ips`), cached and refreshed
/// hourly, for `serve --check-callback-sender`.
///
/// Only useful when Oxylabs connects to Harvest directly: behind a reverse proxy every peer is the proxy.
public final class CallbackSenders: Service {
    private let addresses = Mutex<Set<String>?>(nil)
    let client: OxylabsClient
    let logger: Logger
    let refreshInterval: Duration

    public init(client: OxylabsClient, logger: Logger, refreshInterval: Duration = .seconds(3600)) {
        self.client = client
        self.logger = logger
        self.refreshInterval = refreshInterval
    }

    /// Whether `ip` may send callbacks. Until the list is known, nobody may (polling covers the gap).
    public func allows(_ ip: String?) -> Bool {
        guard let ip else { return false }
        return addresses.withLock { $0?.contains(ip) ?? false }
    }

    /// Loads the list now (start-up), then refreshes it until shutdown.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.refresh()
                try await Task.sleep(for: self.refreshInterval)
            }
        }
    }

    func refresh() async {
        do {
            let list = try await client.callbackerIPs()
            addresses.withLock { $0 = Set(list) }
        } catch {
            logger.warning("could not load Oxylabs callbacker IPs", metadata: ["error": "\(error)"])
        }
    }
}
