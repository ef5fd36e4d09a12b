import AsyncHTTPClient
import Foundation
import GRDB
import HarvestCore
import HarvestEngine
import HarvestSimulator
import HarvestStore
import Logging
import NIOCore
import OctoparseAPI
import Synchronization
import Testing

// Shared fixtures of the Octoparse client and token keeper tests: a small simulated account started in
// process on loopback, a client of it, a temporary database and a clock the test moves by hand.

/// A small account, so that paging stays quick.
func octoparseConfiguration(_ change: (inout OctoparseConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
    var configuration = SimulatorConfiguration()
    configuration.octoparse.rowsPerTask = 250
    configuration.octoparse.largeTaskRows = 2_000
    change(&configuration.octoparse)
    return configuration
}

/// A client of the running fake, with the fake's password unless told otherwise.
func octoparseClient(_ endpoints: SimulatorEndpoints, password: String? = nil) -> OctoparseClient {
    OctoparseClient(
        account: OctoparseAccount(
            baseURL: endpoints.octoparseBaseURL,
            username: OctoparseConfiguration().username,
            password: password ?? OctoparseConfiguration().password
        ),
        http: .shared,
        timeout: .seconds(30)
    )
}

/// The counts of `/__sim/stats`, read over HTTP as any client of the fake would.
func simulatorStats(_ endpoints: SimulatorEndpoints) async throws -> [String: Int] {
    let response = try await HTTPClient.shared.execute(
        HTTPClientRequest(url: endpoints.octoparseBaseURL + "/__sim/stats"),
        timeout: .seconds(10)
    )
    let body = try await response.body.collect(upTo: 1 << 20)
    let json = try JSONParser.parse(Data(body.readableBytesView))
    guard case .object(let requests) = json["requests"] else { return [:] }
    return requests.compactMapValues { value in
        if case .integer(let count) = value { return Int(count) }
        return nil
    }
}

/// Grants the fake made (password and refresh).
func grantCount(_ simulator: HarvestSimulator) -> Int {
    simulator.octoparse.stats.count("token.password") + simulator.octoparse.stats.count("token.refresh")
}

/// A clock the test moves by hand, shared by the fake and the keeper, so that "the token is due for
/// refresh" needs no sleep.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var source: @Sendable () -> Date { { [self] in now } }
}

/// A fresh directory per test, removed afterwards; databases are real files in it.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("harvest-octoparse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    var databasePath: String { url.appendingPathComponent("harvest.sqlite").path }

    /// A migrated database; every call opens its own connection pool on the same file, as a second
    /// process would.
    func database() throws -> HarvestDatabase {
        try HarvestDatabase(path: databasePath)
    }
}

/// Log lines collected in memory, to check that no secret is ever written.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    var logger: Logger {
        var logger = Logger(label: "harvest.test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append("\(event.level) \(event.message) \(merged)")
        }
    }
}

/// A token keeper of the running fake on the directory's database.
func makeKeeper(
    _ endpoints: SimulatorEndpoints,
    _ directory: TemporaryDirectory,
    owner: String = "process-a",
    password: String? = nil,
    clock: ManualClock? = nil,
    credentialsRetry: Duration = .seconds(300),
    logs: LogCapture? = nil
) throws -> OctoparseTokenKeeper {
    let logger = logs?.logger ?? Logger(label: "harvest.test", factory: { _ in SwiftLogNoOpLogHandler() })
    var now: @Sendable () -> Date = { Date() }
    if let clock { now = clock.source }
    return OctoparseTokenKeeper(
        client: octoparseClient(endpoints, password: password),
        database: try directory.database(),
        owner: owner,
        logger: logger,
        credentialsRetry: credentialsRetry,
        now: now
    )
}

/// The `harvest_tokens` row of the fake's account, read with SQL rather than through the store's API.
func storedTokenRow(_ directory: TemporaryDirectory) throws -> (access: String, refresh: String?)? {
    let row = try directory.database().writer.read { db in
        try Row.fetchOne(db, sql: "SELECT access_token, refresh_token FROM harvest_tokens")
    }
    guard let row else { return nil }
    let access: String = row["access_token"]
    let refresh: String? = row["refresh_token"]
    return (access, refresh)
}
