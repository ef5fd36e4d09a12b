import HarvestCore

/// Why an Oxylabs call failed, sorted by what the caller should do about it.
public enum OxylabsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400 or 422: the request itself is wrong; retrying it cannot help.
    case validation(status: Int, message: String)
    /// 401 or 403: the credentials are refused; stop calling until they change.
    case unauthorized(status: Int, message: String)
    /// 404: the id is unknown or past Oxylabs' retention.
    case notFound
    /// 429: too many submissions; back off (Oxylabs sends no `Retry-After`).
    case rateLimited(RateLimitStatus?)
    /// 5xx, 524, 612/613, timeouts, resets, malformed answers: worth retrying later.
    case transient(String)
    /// A submission was accepted (2xx) but its answer could not be read (cut short or malformed): the jobs
    /// exist at Oxylabs under ids Harvest cannot learn, and sending them again makes second copies.
    case acceptedUnreadable(String)

    public var description: String {
        switch self {
        case .validation(let status, let message): "Oxylabs refused the job (\(status)): \(message)"
        case .unauthorized(let status, let message): "Oxylabs refused the credentials (\(status)): \(message)"
        case .notFound: "Oxylabs does not know the job (404: unknown or expired)"
        case .rateLimited: "Oxylabs rate limit reached (429)"
        case .transient(let reason): "Oxylabs call failed: \(reason)"
        case .acceptedUnreadable(let reason):
            "Oxylabs accepted the submission but its answer could not be read: \(reason)"
        }
    }
}
