/// Why an Octoparse answer body is not the data it should be. Read from the body whatever the HTTP status:
/// the API sends `unauthorized` with 401 or 200.
public enum OctoparseAnswerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An error envelope: `{"error": "<code>", "error_Description": "<text>"}` (or the token endpoint's
    /// lower-case `error_description`, or a bare `{"message"}`).
    case api(code: String, description: String)
    /// Not JSON, or JSON of the wrong shape. Never stored; the request is retried.
    case malformed(String)

    public var description: String {
        switch self {
        case .api(let code, let description): description.isEmpty ? code : "\(code): \(description)"
        case .malformed(let reason): "malformed answer: \(reason)"
        }
    }
}
