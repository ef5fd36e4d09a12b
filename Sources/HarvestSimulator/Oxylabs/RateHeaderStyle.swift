import HTTPTypes

/// How the Oxylabs fake announces its submissions-per-second limit: PROTOCOL.md documents
/// `x-ratelimit-<name>-limit` / `-remaining`, but a server may name them otherwise or send none at all.
public enum RateHeaderStyle: String, Sendable, Equatable, CaseIterable {
    /// `x-ratelimit-jobs-limit` and `x-ratelimit-jobs-remaining`, as documented.
    case documented
    /// `RateLimit-Limit` and `RateLimit-Remaining`, the IETF draft's names.
    case standard
    /// Names no client can know (`x-quota-jobs-per-second`, `x-quota-jobs-left`).
    case unknown
    /// No rate header at all.
    case none

    /// The headers of an answer, given the limit and what is left of it.
    func fields(limit: Int, remaining: Int) -> HTTPFields {
        let names: (limit: String, remaining: String)
        switch self {
        case .documented: names = ("x-ratelimit-jobs-limit", "x-ratelimit-jobs-remaining")
        case .standard: names = ("RateLimit-Limit", "RateLimit-Remaining")
        case .unknown: names = ("x-quota-jobs-per-second", "x-quota-jobs-left")
        case .none: return [:]
        }
        var headers = HTTPFields()
        headers[HTTPField.Name(names.limit)!] = String(limit)
        headers[HTTPField.Name(names.remaining)!] = String(remaining)
        return headers
    }
}
