import Foundation

/// How an Oxylabs results answer is shaped where the documents leave it open (docs/ARCHITECTURE.md, "Every
/// plausible reading"): whether its entries carry `type`, and whether it carries the `job` object.
/// Harvest is correct under each; `harvest doctor` reports which one the account's server follows.
public struct ResultsShape: Sendable, Equatable {
    /// Whether every entry carries a `type`; nil when the answer has no entry.
    public var entriesCarryType: Bool?
    /// Whether the answer carries a `job` object.
    public var carriesJob: Bool

    public init(entriesCarryType: Bool?, carriesJob: Bool) {
        self.entriesCarryType = entriesCarryType
        self.carriesJob = carriesJob
    }

    /// The shape of a results answer's body.
    public init(_ body: Data) throws(OxylabsDecoding.Malformed) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw OxylabsDecoding.Malformed(reason: "results answer is not JSON")
        }
        guard case .array(let entries)? = document["results"] else {
            throw OxylabsDecoding.Malformed(reason: "results answer without a \"results\" list")
        }
        entriesCarryType =
            entries.isEmpty
            ? nil
            : entries.allSatisfy { entry in
                if case .string? = entry["type"] { return true }
                return false
            }
        if case .object? = document["job"] { carriesJob = true } else { carriesJob = false }
    }
}

extension RateLimitStatus {
    /// The headers of an answer that look like a rate limit under any naming, known to Harvest or not
    /// (`x-ratelimit-…`, `x-rate-limit-…`, `RateLimit-…`, `x-quota-…`, `Retry-After`): what `harvest
    /// doctor` shows, so that a naming Harvest does not read is seen. Rate headers carry no secret.
    public static func lookalikes(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        headers.filter { header in
            let name = header.name.lowercased()
            return ["ratelimit", "rate-limit", "quota", "retry-after", "throttle"].contains { name.contains($0) }
        }
    }
}
