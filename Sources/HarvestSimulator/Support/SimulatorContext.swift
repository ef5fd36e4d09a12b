import Hummingbird
import NIOCore

/// The request context of both fakes: it keeps the connection's channel so that a fault can reset it.
public struct SimulatorContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Upload limit: an Oxylabs batch of 5,000 URLs fits; anything larger is refused with 413.
    public var maxUploadSize: Int { 16 << 20 }
}
