import Foundation
import Synchronization

/// SplitMix64: a small, fast, seedable generator, so that the same seed gives the same data and the same
/// job latencies on every run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value mixed from `seed` and `parts`, for data that must be a pure function of its coordinates
    /// (row `i` of task `t` is the same however it is reached).
    public static func mix(_ seed: UInt64, _ parts: UInt64...) -> UInt64 {
        var generator = SeededGenerator(seed: seed)
        var value = generator.next()
        for part in parts {
            generator = SeededGenerator(seed: value ^ part)
            value = generator.next()
        }
        return value
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), .leastNonzeroMagnitude)
        let u2 = unit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * .pi * u2)
    }
}

/// A generator shared by concurrent request handlers.
final class SharedGenerator: Sendable {
    private let generator: Mutex<SeededGenerator>

    init(seed: UInt64) {
        generator = Mutex(SeededGenerator(seed: seed))
    }

    /// True with probability `rate`.
    func chance(_ rate: Double) -> Bool {
        guard rate > 0 else { return false }
        return generator.withLock { $0.unit() } < rate
    }

    func unit() -> Double {
        generator.withLock { $0.unit() }
    }

    func normal() -> Double {
        generator.withLock { $0.normal() }
    }
}

@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
