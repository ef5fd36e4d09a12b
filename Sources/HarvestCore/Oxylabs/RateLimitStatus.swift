import Foundation

/// The submission allowance an Oxylabs answer announces in its rate headers, read under every naming
/// a server plausibly uses.
///
/// PROTOCOL.md documents `x-ratelimit-<name>-limit` / `-remaining` pairs; a server may also send them
/// without a name (`x-ratelimit-limit`), spelled `x-rate-limit-…`, or as the IETF draft's `RateLimit-Limit`
/// / `RateLimit-Remaining` (whose values may carry a window, `100;w=1`). With none of these the limit is
/// unknown and ``SubmissionRate`` probes for it.
public struct RateLimitStatus: Sendable, Equatable {
    /// Submissions allowed per second.
    public var limit: Int
    /// Submissions left in the current second, when announced.
    public var remaining: Int?

    public init(limit: Int, remaining: Int?) {
        self.limit = limit
        self.remaining = remaining
    }

    /// The tightest allowance among the headers (name, value), or nil when none announces a limit.
    public static func read(_ headers: [(name: String, value: String)]) -> RateLimitStatus? {
        var limits: [String: Int] = [:]
        var remaining: [String: Int] = [:]
        for (name, value) in headers {
            let name = name.lowercased()
            guard let stem = stem(of: name) else { continue }
            if name.hasSuffix("-limit"), let perSecond = perSecond(value) {
                limits[String(stem.dropLast("-limit".count))] = perSecond
            } else if name.hasSuffix("-remaining"), let count = leadingInteger(value) {
                remaining[String(stem.dropLast("-remaining".count))] = count
            }
        }
        return limits.map { name, limit in RateLimitStatus(limit: limit, remaining: remaining[name]) }
            .min { ($0.remaining ?? $0.limit, $0.limit) < ($1.remaining ?? $1.limit, $1.limit) }
    }

    /// The name without its rate-limit prefix (`jobs-limit`, `limit`), or nil for another header.
    private static func stem(of name: String) -> Substring? {
        for prefix in ["x-ratelimit-", "x-rate-limit-", "ratelimit-"] where name.hasPrefix(prefix) {
            return name.dropFirst(prefix.count)
        }
        return nil
    }

    /// A limit per second from `100`, `100;w=1` or `6000;w=60` (the IETF draft's window, in seconds).
    private static func perSecond(_ value: String) -> Int? {
        guard let limit = leadingInteger(value), limit > 0 else { return nil }
        let window = value.split(separator: ";").dropFirst().lazy.compactMap { parameter -> Int? in
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "w" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first
        guard let window, window > 1 else { return limit }
        return max(1, limit / window)
    }

    /// The integer a value starts with (`100`, `100, 100;w=1`), if any.
    private static func leadingInteger(_ value: String) -> Int? {
        let digits = value.trimmingCharacters(in: .whitespaces).prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        return Int(digits)
    }
}
