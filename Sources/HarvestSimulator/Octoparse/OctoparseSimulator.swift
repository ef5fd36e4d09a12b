import Foundation
import Hummingbird

/// An in-process fake of the Octoparse Data Export API (placeholder: being built).
public final class OctoparseSimulator: Sendable {
    public let configuration: OctoparseConfiguration
    public let stats = RequestStats()

    public init(configuration: OctoparseConfiguration = .init(), seed: UInt64 = 1, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
    }

    public func makeRouter() -> Router<SimulatorContext> {
        Router(context: SimulatorContext.self)
    }
}
