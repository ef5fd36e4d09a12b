/// Where and as whom Harvest talks to Oxylabs. The password never appears in descriptions or logs.
public struct OxylabsAccount: Sendable, Equatable, CustomStringConvertible {
    /// Oxylabs' documented host.
    public static let defaultBaseURL = "https://data.oxylabs.io"

    /// Scheme and host (and port) only, without a trailing slash; every URL is built from it and the job
    /// id, never from the `http://` links in Oxylabs' answers.
    public var baseURL: String
    public var username: String
    public var password: String

    public init(baseURL: String = OxylabsAccount.defaultBaseURL, username: String, password: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.username = username
        self.password = password
    }

    public var description: String { "\(username) at \(baseURL)" }
}

extension OxylabsAccount: CustomReflectable {
    /// Without the password, for `dump` and for the description of anything holding the account.
    public var customMirror: Mirror {
        Mirror(self, children: ["username": username, "baseURL": baseURL], displayStyle: .struct)
    }
}
