import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Why no connection to an upstream host (Octoparse's, Oxylabs', or the service's public URL) could be made,
/// with the fix in the same line. `harvest doctor` uses it for every host it checks.
///
/// The seed shows `http://` hosts while Harvest defaults to `https://`: a server that speaks only http
/// fails the TLS handshake, and that message must say which setting to change, not quote NIO's error.
public enum ConnectionFailure: Equatable, Sendable {
    case refused
    case tlsHandshake
    case hostNotFound
    case timedOut
    /// Any other failure to connect, in NIO's words (short, without values).
    case other(String)

    /// The failure `error` says, when it is a failure to connect; nil for errors on an open connection.
    public init?(_ error: any Error) {
        // AsyncHTTPClient hands back the last connection error as NIO made it. TLS errors are matched by
        // their module (NIOSSLError, BoringSSLError, …), which this target does not import.
        if String(reflecting: type(of: error)).hasPrefix("NIOSSL.") {
            self = .tlsHandshake
        } else if let error = error as? NIOConnectionError {
            let causes = error.connectionErrors.map(\.error)
            if causes.contains(where: { ($0 as? IOError)?.errnoCode == ECONNREFUSED }) {
                self = .refused
            } else if causes.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                self = .hostNotFound
            } else {
                self = .other(String("\(error)".prefix(120)))
            }
        } else if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            self = .refused
        } else if let error = error as? HTTPClientError, error == .connectTimeout {
            self = .timedOut
        } else {
            return nil
        }
    }

    /// `cannot reach <base>: <what>; <the fix>`, naming `setting` (the environment variable of the base
    /// URL the request went to).
    public func message(base: String, setting: String) -> String {
        let fix: String
        switch self {
        case .tlsHandshake:
            let plain = base.hasPrefix("https://") ? "http://" + base.dropFirst("https://".count) : "http://…"
            fix = "TLS handshake failed; if the account's server speaks http, set \(setting)=\(plain)"
        case .refused: fix = "connection refused; check \(setting) (scheme, host and port) and that the server is up"
        case .hostNotFound: fix = "host not found; check the host in \(setting)"
        case .timedOut: fix = "connection timed out; check \(setting) and the network"
        case .other(let reason): fix = "\(reason); check \(setting)"
        }
        return "cannot reach \(base): \(fix)"
    }
}
