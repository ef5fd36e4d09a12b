import Hummingbird
import NIOCore

/// The request context of Harvest's HTTP server: it keeps the peer's address, which the callback
/// receiver can check against Oxylabs' callbacker IPs.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer: Oxylabs itself, or a reverse proxy in front of Harvest.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
