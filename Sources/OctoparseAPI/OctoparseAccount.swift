/// Where and as whom Harvest talks to Octoparse's Data Export API. The password never appears in
/// descriptions or logs.
public struct OctoparseAccount: Sendable, Equatable, CustomStringConvertible {
    /// Octoparse's documented host (`https://dataapi.bazhuayu.com` serves China accounts, same API).
    public static let defaultBaseURL = "https://dataapi.octoparse.com"

    /// Scheme and host (and port) only, without a trailing slash; tokens are stored under it.
    public var baseURL: String
    /// Where `GetDataOfTaskByTimeAndPaging` goes: the seed shows that call alone on
    /// `http://dataapi.bazhuayu.com`. The same as ``baseURL`` unless set; the token is ``baseURL``'s.
    public var byTimeBaseURL: String
    public var username: String
    public var password: String

    public init(
        baseURL: String = OctoparseAccount.defaultBaseURL,
        byTimeBaseURL: String? = nil,
        username: String,
        password: String
    ) {
        self.baseURL = Self.trimmed(baseURL)
        self.byTimeBaseURL = Self.trimmed(byTimeBaseURL ?? baseURL)
        self.username = username
        self.password = password
    }

    private static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    public var description: String { "\(username) at \(baseURL)" }
}

extension OctoparseAccount: CustomReflectable {
    /// Without the password, for `dump` and for the description of anything holding the account.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["username": username, "baseURL": baseURL, "byTimeBaseURL": byTimeBaseURL],
            displayStyle: .struct
        )
    }
}
