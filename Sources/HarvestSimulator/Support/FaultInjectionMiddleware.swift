import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

/// Injects the configured faults into every API request (never into `/__sim/` ground-truth routes).
struct FaultInjectionMiddleware: RouterMiddleware {
    typealias Context = SimulatorContext

    let rates: @Sendable () -> FaultRates
    let random: SharedGenerator
    let stats: RequestStats
    /// The 5xx answers this API gives.
    let serverErrors: [(HTTPResponse.Status, String, String)]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard !request.uri.path.hasPrefix("/__sim/") else { return try await next(request, context) }
        let rates = rates()
        if random.chance(rates.connectionReset) {
            stats.record("fault.reset")
            // SO_LINGER 0 turns the close into a TCP reset, as a dropped connection looks to a client.
            if let socket = context.channel as? any SocketOptionProvider {
                try? await socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            }
            try? await context.channel.close().get()
            return Response(status: .internalServerError)
        }
        if random.chance(rates.slowResponse) {
            stats.record("fault.slow")
            try await Task.sleep(for: rates.slowDelay)
        }
        if random.chance(rates.serverError), !serverErrors.isEmpty {
            stats.record("fault.5xx")
            let (status, contentType, body) = serverErrors[Int(random.unit() * Double(serverErrors.count))]
            var headers = HTTPFields()
            headers[.contentType] = contentType
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let response = try await next(request, context)
        if random.chance(rates.malformedBody), response.status == .ok {
            stats.record("fault.malformed")
            var truncated = response
            // Handlers answer with one in-memory buffer: keep its first half, as a dropped stream would.
            truncated.body = response.body.map { buffer in
                buffer.getSlice(at: buffer.readerIndex, length: max(1, buffer.readableBytes / 2)) ?? buffer
            }
            return truncated
        }
        return response
    }
}
