/// Why an Octoparse answer body is not the data it should be. Read from the body whatever the HTTP status:
/// the API sends `unauthorized` with 401 or 200.
public enum OctoparseAnswerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An error envelope: `{"error": "<code>", "error_Description": "<text>"}` (or the token endpoint's
    /// lower-case `error_description`, or a bare `{"message"}`).
    case api(code: String, description: String)
    /// Not JSON, or JSON of the wrong shape. Never stored; the request is retried.
    case malformed(String)

    /// The code and description are the upstream's text: shown with control characters escaped and cut
    /// short, as they end up in logs, `last_error` and the terminal.
    public var description: String {
        switch self {
        case .api(let code, let description):
            let shown = code.isEmpty ? "error without a code" : code.escapedForMessage()
            return description.isEmpty ? shown : "\(shown): \(description.escapedForMessage())"
        case .malformed(let reason): return "malformed answer: \(reason)"
        }
    }
}
