import Foundation
import HarvestCore
import HarvestMetrics
import HarvestStore
import Logging
import OctoparseAPI

/// Holds the Octoparse access token every worker of the process uses: reuses the token stored in the
/// database, refreshes it before it expires (once, however many callers need it, and once across the
/// processes on the file), renews it when the API refuses it, and pauses the account when its
/// credentials are refused.
///
/// ```swift
/// let keeper = OctoparseTokenKeeper(client: client, database: database, owner: owner, logger: logger)
/// let page = try await keeper.withToken { token throws(OctoparseError) in
///     try await client.allData(taskID: id, pageIndex: 1, pageSize: 1000, token: token)
/// }
/// ```
///
/// Tokens live in `harvest_tokens` under (base URL, username). A grant is stored before it is used, since
/// a refresh rotates the refresh token and the old one stops working. Tokens and the password are never
/// logged.
public actor OctoparseTokenKeeper {
    public nonisolated let client: OctoparseClient
    private let database: HarvestDatabase
    private let owner: String
    private let logger: Logger
    private let credentialsRetry: TimeInterval
    private let now: @Sendable () -> Date

    /// How long this process holds the cross-process refresh lease (longer than a grant normally takes;
    /// a crashed holder's lease expires and is taken over).
    static let leaseDuration: Duration = .seconds(30)
    /// Attempts of one grant while it fails transiently, and the pause between them.
    static let grantAttempts = 3
    static let grantBackoff = Backoff(base: .milliseconds(250), cap: .seconds(2))
    /// How often to look for the token another process is obtaining.
    static let leaseWaitStep: Duration = .milliseconds(50)

    /// The token in use, as stored.
    private var current: OctoparseStoredToken?
    /// Callers waiting for the renewal in flight; nil when none is.
    private var waiters: [CheckedContinuation<Result<String, OctoparseError>, Never>]?
    /// Set while the credentials are refused: calls fail fast until `until`, then one probe is let through.
    private var paused: (until: Date, message: String)?
    /// Whether a grant succeeded in this process (the stored account state may still say otherwise).
    private var credentialsConfirmed = false
    /// Grants this process obtained (password and refresh).
    public private(set) var grantsObtained = 0

    /// - Parameters:
    ///   - owner: this process's name in leases (see `PipelineContext.processOwner()`).
    ///   - credentialsRetry: how long calls fail fast after the password was refused, before one probe.
    ///   - now: the clock of expiry and leases; tests pass the simulator's.
    public init(
        client: OctoparseClient,
        database: HarvestDatabase,
        owner: String,
        logger: Logger,
        credentialsRetry: Duration = .seconds(300),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.client = client
        self.database = database
        self.owner = owner
        self.logger = logger
        self.credentialsRetry = credentialsRetry.seconds
        self.now = now
    }

    private nonisolated var account: OctoparseAccount { client.account }

    /// The lease that makes one process at a time obtain the account's token.
    private nonisolated var leaseResource: String { "token:\(account.baseURL):\(account.username)" }

    // MARK: Callers

    /// Runs `call` with a valid access token; when the API refuses the token, renews it once and runs
    /// `call` again. A second refusal is returned.
    public func withToken<T: Sendable>(
        _ call: @Sendable (String) async throws(OctoparseError) -> T
    ) async throws(OctoparseError) -> T {
        let token = try await currentToken()
        do {
            return try await call(token)
        } catch {
            guard case .unauthorized = error else { throw error }
            logger.notice("Octoparse refused the access token; renewing it", metadata: accountMetadata)
            let renewed = try await renew(replacing: token)
            return try await call(renewed)
        }
    }

    /// A valid access token: the one in use, or a renewed one when it is due for refresh.
    ///
    /// - Throws: ``OctoparseError/needsCredentials(_:)`` while the credentials are refused;
    ///   ``OctoparseError/transient(_:)`` when no grant could be obtained.
    public func currentToken() async throws(OctoparseError) -> String {
        try checkPause()
        if waiters == nil, let current, isFresh(current) { return current.accessToken }
        return try await renew(replacing: nil)
    }

    // MARK: Renewal

    /// A token other than `bad`, from the renewal in flight when there is one, else from a new one.
    private func renew(replacing bad: String?) async throws(OctoparseError) -> String {
        while waiters != nil {
            // Appended in the same step as the check, so the renewal in flight resumes it.
            let shared = await withCheckedContinuation { waiters?.append($0) }
            // A renewal that did not know `bad` was refused may hand it back: look again.
            if case .success(let token) = shared, token == bad { continue }
            return try shared.get()
        }
        try checkPause()
        waiters = []
        let result: Result<String, OctoparseError>
        do {
            result = .success(try await obtain(replacing: bad))
        } catch {
            result = .failure(error)
        }
        let pending = waiters ?? []
        waiters = nil
        for waiter in pending { waiter.resume(returning: result) }
        return try result.get()
    }

    /// A fresh token other than `bad`: the one another caller or process stored meanwhile, or a new grant
    /// made under the cross-process lease.
    private func obtain(replacing bad: String?) async throws(OctoparseError) -> String {
        if let current, isUsable(current, replacing: bad) { return current.accessToken }
        // Real time: the wait is real, whatever clock the leases are measured with.
        let waitDeadline = ContinuousClock.now + Self.leaseDuration * 2
        var waited = false
        while true {
            if let stored = try readStored(), isUsable(stored, replacing: bad) {
                current = stored
                // Another process's grant: the account works again, whatever this process was told.
                paused = nil
                logger.debug("using the stored Octoparse token", metadata: accountMetadata)
                return stored.accessToken
            }
            if try takeLease() {
                defer { releaseLease() }
                // Read again under the lease: the previous holder may have stored a token just before.
                let stored = try readStored()
                if let stored, isUsable(stored, replacing: bad) {
                    current = stored
                    return stored.accessToken
                }
                return try await grant(refreshToken: stored?.refreshToken ?? current?.refreshToken)
            }
            guard ContinuousClock.now < waitDeadline else {
                throw .transient("another process has held the Octoparse token lease for too long")
            }
            if !waited {
                logger.debug(
                    "another process is renewing the Octoparse token; waiting for it",
                    metadata: accountMetadata
                )
                waited = true
            }
            // Polls the database for the token the lease holder is about to store.
            do {
                try await Task.sleep(for: Self.leaseWaitStep)
            } catch {
                throw .transient("cancelled while waiting for the Octoparse token")
            }
        }
    }

    /// A new grant: the refresh grant when there is a refresh token, the password grant when there is
    /// none or it is refused. Stored before it is returned.
    private func grant(refreshToken: String?) async throws(OctoparseError) -> String {
        if let refreshToken {
            do {
                let (token, requestedAt) = try await withRetries { () async throws(OctoparseError) in
                    try await client.refreshGrant(refreshToken)
                }
                return accept(token, requestedAt: requestedAt, previousRefreshToken: refreshToken, grant: "refresh")
            } catch {
                guard case .invalidGrant = error else { throw error }
                logger.notice(
                    "Octoparse refused the refresh token (expired or already used); signing in with the password",
                    metadata: accountMetadata
                )
            }
        }
        do {
            let (token, requestedAt) = try await withRetries { () async throws(OctoparseError) in
                try await client.passwordGrant()
            }
            return accept(token, requestedAt: requestedAt, previousRefreshToken: nil, grant: "password")
        } catch {
            guard case .invalidGrant(let message) = error else { throw error }
            throw credentialsRefused(message)
        }
    }

    /// Runs a grant request again after a short pause while it fails transiently; returns its answer and
    /// when it was requested (the start of the token's lifetime, by this keeper's clock).
    private func withRetries(
        _ request: () async throws(OctoparseError) -> OctoparseToken
    ) async throws(OctoparseError) -> (OctoparseToken, Date) {
        var attempt = 1
        var random = SystemRandomNumberGenerator()
        while true {
            let requestedAt = now()
            do {
                return (try await request(), requestedAt)
            } catch {
                guard case .transient = error, attempt < Self.grantAttempts else { throw error }
                logger.warning(
                    "Octoparse token request failed; retrying",
                    metadata: accountMetadata.merging(["attempt": "\(attempt)", "error": "\(error)"]) { $1 }
                )
                do {
                    try await Task.sleep(for: Self.grantBackoff.delay(attempt: attempt, using: &random))
                } catch {
                    throw .transient("cancelled while retrying the Octoparse token request")
                }
                attempt += 1
            }
        }
    }

    /// Stores a new grant (before anyone uses it) and makes it the one in use.
    private func accept(
        _ token: OctoparseToken,
        requestedAt: Date,
        previousRefreshToken: String?,
        grant: String
    ) -> String {
        let stored = OctoparseStoredToken(
            accessToken: token.accessToken,
            // A refresh answer without a refresh token leaves the old one valid.
            refreshToken: token.refreshToken ?? previousRefreshToken,
            expiresAt: requestedAt.addingTimeInterval(TimeInterval(token.expiresIn)),
            obtainedAt: requestedAt
        )
        Crashpoint.afterGrantBeforeStore.hit()
        do {
            try database.saveToken(
                baseURL: account.baseURL,
                username: account.username,
                accessToken: stored.accessToken,
                refreshToken: stored.refreshToken,
                expiresAt: stored.expiresAt,
                obtainedAt: stored.obtainedAt
            )
        } catch {
            // The grant is valid; other processes will make their own when they cannot read it.
            logger.error(
                "could not store the new Octoparse token; using it from memory",
                metadata: accountMetadata.merging(["error": "\(error)"]) { $1 }
            )
        }
        current = stored
        grantsObtained += 1
        HarvestMetrics.recordTokenRefresh(provider: .octoparse, kind: grant)
        // Never the token itself: when it expires is what an operator needs.
        logger.info(
            grant == "refresh" ? "token refreshed" : "token granted",
            metadata: accountMetadata.merging(
                [
                    "grant": "\(grant)", "expires_in": "\(token.expiresIn)",
                    "expires_at": "\(UTCTime.format(stored.expiresAt))",
                ]
            ) { $1 }
        )
        credentialsAccepted()
        return stored.accessToken
    }

    // MARK: Account state

    /// Throws ``OctoparseError/needsCredentials(_:)`` while the credentials are refused and no probe is due.
    private func checkPause() throws(OctoparseError) {
        guard let paused, now() < paused.until else { return }
        throw .needsCredentials("\(paused.message) (next try at \(UTCTime.format(paused.until)))")
    }

    /// The password was refused: pause calls for `credentialsRetry` and show the account as needing
    /// credentials. Returns the error for the caller that made the grant.
    private func credentialsRefused(_ reason: String) -> OctoparseError {
        let message = "Octoparse refused the credentials of \(account): \(reason)"
        let until = now().addingTimeInterval(credentialsRetry)
        let wasPaused = paused != nil
        paused = (until, message)
        current = nil
        if !wasPaused {
            logger.error(
                "credentials refused; calls pause",
                metadata: accountMetadata.merging(["error": "\(reason)", "retry_at": "\(UTCTime.format(until))"]) {
                    $1
                }
            )
        }
        do {
            try database.setAccountState(
                provider: "octoparse",
                baseURL: account.baseURL,
                username: account.username,
                state: "needs-credentials",
                error: message,
                now: now()
            )
        } catch {
            logger.error(
                "could not record the Octoparse account state",
                metadata: accountMetadata.merging(["error": "\(error)"]) { $1 }
            )
        }
        return .needsCredentials("\(message) (next try at \(UTCTime.format(until)))")
    }

    /// A grant succeeded: the credentials work. Recorded on the first success of the process (a previous
    /// one may have left the account marked as refused) and after a pause.
    private func credentialsAccepted() {
        guard !credentialsConfirmed || paused != nil else { return }
        if paused != nil {
            logger.notice("credentials accepted again", metadata: accountMetadata)
        }
        paused = nil
        credentialsConfirmed = true
        do {
            try database.setAccountState(
                provider: "octoparse",
                baseURL: account.baseURL,
                username: account.username,
                state: "ok",
                error: nil,
                now: now()
            )
        } catch {
            logger.error(
                "could not record the Octoparse account state",
                metadata: accountMetadata.merging(["error": "\(error)"]) { $1 }
            )
        }
    }

    // MARK: Helpers

    /// The fields of every event about the account: the provider and `username at base URL`.
    private nonisolated var accountMetadata: Logger.Metadata {
        ["provider": "octoparse", "account": "\(account)"]
    }

    /// Not yet due for refresh (``TokenRefreshPolicy``).
    private func isFresh(_ token: OctoparseStoredToken) -> Bool {
        !TokenRefreshPolicy.needsRefresh(obtainedAt: token.obtainedAt, expiresAt: token.expiresAt, now: now())
    }

    private func isUsable(_ token: OctoparseStoredToken, replacing bad: String?) -> Bool {
        token.accessToken != bad && isFresh(token)
    }

    private func readStored() throws(OctoparseError) -> OctoparseStoredToken? {
        do {
            return try database.storedToken(baseURL: account.baseURL, username: account.username)
        } catch {
            throw .transient("reading the stored Octoparse token: \(error)")
        }
    }

    private func takeLease() throws(OctoparseError) -> Bool {
        do {
            return try database.acquireLease(
                resource: leaseResource,
                owner: owner,
                for: Self.leaseDuration,
                now: now()
            )
        } catch {
            throw .transient("taking the Octoparse token lease: \(error)")
        }
    }

    private func releaseLease() {
        do {
            try database.releaseLease(resource: leaseResource, owner: owner)
        } catch {
            // It expires on its own.
            logger.warning(
                "could not release the Octoparse token lease",
                metadata: accountMetadata.merging(["error": "\(error)"]) { $1 }
            )
        }
    }
}
