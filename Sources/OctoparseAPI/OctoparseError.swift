/// Why an Octoparse call failed, sorted by what the caller should do about it.
///
/// Read from the answer's body whatever the HTTP status (the API sends `unauthorized` as 401 or 200).
/// Messages never contain a token or a password.
public enum OctoparseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `unauthorized`: the access token is missing, invalid, expired or revoked. A new token fixes it.
    case unauthorized(String)
    /// `invalid_grant`: the refresh token (expired or already used) or the password was refused.
    case invalidGrant(String)
    /// The token keeper stopped calling: the credentials were refused and are probed again later.
    case needsCredentials(String)
    /// `taskid_error`: the task is unknown or not the account's.
    case taskNotFound(String)
    /// Any other refusal that retrying cannot fix: `export_pagesize_error`, `unsupported_grant_type`, a
    /// 405 `message`, a 4xx without an envelope.
    case rejected(code: String, message: String)
    /// `server_error`, 5xx, 429, transport errors, timeouts, malformed answers: worth retrying later.
    case transient(String)

    /// Whether the same call may succeed later without anyone changing anything: transient failures, and
    /// a refused access token (the token keeper gets a new one).
    public var isRetryable: Bool {
        switch self {
        case .transient, .unauthorized: true
        case .invalidGrant, .needsCredentials, .taskNotFound, .rejected: false
        }
    }

    public var description: String {
        switch self {
        case .unauthorized(let message): "Octoparse refused the access token: \(message)"
        case .invalidGrant(let message): "Octoparse refused the grant: \(message)"
        case .needsCredentials(let message): "Octoparse credentials need attention: \(message)"
        case .taskNotFound(let message): "Octoparse does not know the task (taskid_error): \(message)"
        case .rejected(let code, let message): "Octoparse refused the request (\(code)): \(message)"
        case .transient(let reason): "Octoparse call failed: \(reason)"
        }
    }
}
