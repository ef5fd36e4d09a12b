import Foundation
import HarvestEngine
import HarvestStore
import Hummingbird
import Logging

/// The HTTP face of `harvest serve`: the Oxylabs callback receiver, health checks and `GET /metrics`.
///
/// Only `/callbacks/…` is meant to face the internet (behind a reverse proxy); the rest is for the
/// operator's network.
public enum HarvestHTTPServer {
    /// The application to add to the service group; `metrics` adds `GET /metrics`.
    public static func make(
        host: String,
        port: Int,
        callbacks: CallbackReceiver?,
        readiness: Readiness,
        metrics: MetricsExposition? = nil,
        admin: AdminAPI? = nil,
        logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: ServerContext.self)
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            let (ready, lines) = readiness.check()
            return Response(
                status: ready ? .ok : .serviceUnavailable,
                body: .init(byteBuffer: .init(string: lines.joined(separator: "\n") + "\n"))
            )
        }
        callbacks?.addRoutes(to: router)
        admin?.addRoutes(to: router)
        if let metrics { MetricsEndpoint(database: readiness.database, exposition: metrics).addRoutes(to: router) }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "harvest"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
