import Foundation
import HarvestStore

/// What `GET /readyz` answers: whether the database takes writes and each configured provider accepts
/// this service's credentials.
///
/// One line per check, so that an operator reading the body sees which part is not ready:
/// `database ok`, `oxylabs ok`, `octoparse needs-credentials: …`.
public struct Readiness: Sendable {
    struct Account: Sendable {
        var provider: String
        var baseURL: String
        var username: String
    }

    let database: HarvestDatabase
    private(set) var accounts: [Account] = []

    public init(database: HarvestDatabase) {
        self.database = database
    }

    /// A provider whose account this service uses.
    public mutating func add(provider: String, baseURL: String, username: String) {
        accounts.append(Account(provider: provider, baseURL: baseURL, username: username))
    }

    /// Whether every check passes, and one line per check.
    public func check() -> (ready: Bool, lines: [String]) {
        do {
            try database.checkWritable()
        } catch {
            return (false, ["database unavailable: \(error)"])
        }
        var lines = ["database ok"]
        var ready = true
        let states = (try? database.accounts()) ?? []
        for account in accounts {
            let stored = states.first {
                $0.provider == account.provider && $0.baseURL == account.baseURL && $0.username == account.username
            }
            guard let stored, stored.state != "ok" else {
                lines.append("\(account.provider) ok")
                continue
            }
            ready = false
            lines.append("\(account.provider) \(stored.state)" + (stored.lastError.map { ": \($0)" } ?? ""))
        }
        return (ready, lines)
    }
}
