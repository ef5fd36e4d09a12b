import Foundation
import HarvestCore

/// The knobs of the Octoparse fake. Defaults follow the real service where it is documented; where it is
/// not (see PROTOCOL.md, "Undocumented"), a knob picks one plausible behaviour so that tests can try each.
public struct OctoparseConfiguration: Sendable, Equatable {
    /// The account. The password holds `&`, `+`, `%` and a space, so a client that forgets to URL-encode
    /// the token request (as the official samples do) is refused.
    public var username = "harvest-demo"
    public var password = "p&ss+w%rd 1"

    /// `expires_in` of a new access token, in seconds; the token stops working after that.
    public var expiresIn = 86_399
    /// When set, every access token older than this is refused, whatever `expires_in` promised: the
    /// server revoking tokens early, which a client must survive by fetching a new one.
    public var forcedTokenExpiry: Duration?
    /// How long an unused refresh token can be redeemed.
    public var refreshTokenLifetime: Duration = .seconds(14 * 86_400)

    /// HTTP status of an `unauthorized` answer: 401, or 200 as some captured responses show.
    public var unauthorizedStatus = 401
    /// HTTP status of `taskid_error` and `export_pagesize_error` (undocumented).
    public var taskErrorStatus = 200

    /// The zone of storage times and of the `from`/`to` parameters (undocumented; probably China time).
    public var serverTimeZone = UTCOffset.octoparseDefault
    /// Whether a time window includes the rows stored exactly at `to` (undocumented). `from` always does.
    public var toIsInclusive = true
    /// What `total` of a by-time answer counts (undocumented): the window's rows, or the task's as in
    /// `/api/alldata`.
    public var totalReading = TotalReading.window
    /// How `pageindex` is read (undocumented): a 1-based page number (the seed), or a 0-based row offset
    /// (an older Chinese version of the document).
    public var pageIndexReading = PageIndexReading.page

    /// Rows of each ordinary task.
    public var rowsPerTask = 2_500
    /// Rows of the one large task (seven weather fields), generated on demand, never held in memory.
    public var largeTaskRows = 1_000_000
    /// Storage times of the generated tasks lie in `dataStart ..< dataStart + dataSpan`, split into runs.
    /// By default the data starts at the UTC midnight 45 days before the fake is configured and ends 15
    /// days before it: what a client sees (window sizes, late rows, the distance from the data to now)
    /// does not depend on the calendar date a test runs on.
    public var dataStart = Self.dataStart(before: Date())
    public var dataSpan: Duration = .seconds(30 * 86_400)

    /// Adds a task that gains rows while the fake runs, starting empty at the fake's start.
    public var live = false
    public var liveRowsPerSecond = 20.0
    /// Share of live rows committed late: readable only once `now >= storage time + liveCommitDelay`.
    public var liveLateCommitShare = 0.2
    public var liveCommitDelay: Duration = .seconds(5)

    /// Faults injected into API requests (`/token` included).
    public var faults = FaultRates.none

    public init() {}

    /// The UTC midnight 45 days before `now`: the default ``dataStart``.
    public static func dataStart(before now: Date) -> Date {
        let day: Int64 = 86_400
        let today = Int64(now.timeIntervalSince1970.rounded(.down)) / day * day
        return Date(timeIntervalSince1970: TimeInterval(today - 45 * day))
    }
}
