import Foundation
import HarvestEngine
import HarvestStore
import Synchronization

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
        var rateLimits: RateLimitWatch?
    }

    let database: HarvestDatabase
    /// How long a provider may answer nothing but 429 before the service counts as stalled.
    let stallAfter: Duration
    let now: @Sendable () -> Date
    /// True once a shutdown began: a draining service takes no new traffic.
    let isShuttingDown: @Sendable () -> Bool
    private(set) var accounts: [Account] = []
    private let writeCheck = WriteCheck()

    public init(
        database: HarvestDatabase,
        stallAfter: Duration,
        isShuttingDown: @escaping @Sendable () -> Bool = { false },
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.stallAfter = stallAfter
        self.isShuttingDown = isShuttingDown
        self.now = now
    }

    /// A provider whose account this service uses, and its rate-limit watch when it has one.
    public mutating func add(provider: String, baseURL: String, username: String, rateLimits: RateLimitWatch? = nil) {
        accounts.append(Account(provider: provider, baseURL: baseURL, username: username, rateLimits: rateLimits))
    }

    /// Whether every check passes, and one line per check.
    public func check() -> (ready: Bool, lines: [String]) {
        if isShuttingDown() { return (false, ["shutting down"]) }
        if let problem = writeCheck.problem(now: now(), check: database.checkWritable) {
            return (false, ["database unavailable: \(problem)"])
        }
        var lines = ["database ok"]
        var ready = true
        let states = (try? database.accounts()) ?? []
        for account in accounts {
            let stored = states.first {
                $0.provider == account.provider && $0.baseURL == account.baseURL && $0.username == account.username
            }
            if let stored, stored.state != "ok" {
                ready = false
                lines.append("\(account.provider) \(stored.state)" + (stored.lastError.map { ": \($0)" } ?? ""))
            } else if let since = account.rateLimits?.limitedSince, now().timeIntervalSince(since) >= stallAfter.seconds
            {
                ready = false
                let seconds = Int(now().timeIntervalSince(since))
                lines.append("\(account.provider) rate-limited: every submission refused with 429 for \(seconds) s")
            } else {
                lines.append("\(account.provider) ok")
            }
        }
        return (ready, lines)
    }
}

/// The database write check of `/readyz`, taken at most every 2 seconds: a probe every second from
/// a load balancer should not queue a write transaction behind the workers' each time.
private final class WriteCheck: Sendable {
    private let last = Mutex<(at: Date, problem: String?)?>(nil)

    /// The problem the latest check found, checking again when the latest is older than 2 s.
    func problem(now: Date, check: () throws -> Void) -> String? {
        if let cached = last.withLock({ $0 }), now.timeIntervalSince(cached.at) < 2 { return cached.problem }
        var problem: String?
        do {
            try check()
        } catch {
            problem = DatabaseFailure.describe(error) ?? "the database cannot be written"
        }
        last.withLock { $0 = (now, problem) }
        return problem
    }
}
