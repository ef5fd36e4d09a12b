import Foundation
import HarvestCore
import OctoparseAPI
import OxylabsAPI

/// What `harvest doctor` checks: the accounts configured (nil: that provider is not checked), the
/// database if one exists, and the optional checks.
public struct DoctorConfiguration: Sendable {
    public var oxylabs: OxylabsAccount?
    public var octoparse: OctoparseAccount?
    /// `OCTOPARSE_TIMEZONE`: the zone storage times are read in.
    public var zone: UTCOffset = .octoparseDefault
    /// The database file; opened read-only when it exists, never created.
    public var databasePath: String?
    /// `--public-url`: the address Oxylabs' callbacks would use.
    public var publicURL: String?
    /// `--submit-test-job`: submit one paid `universal` job.
    public var submitTestJob = false
    /// `octoparse.rate`: Octoparse requests per second at most (the probes make about 50).
    public var octoparseRequestsPerSecond = 20.0
    /// The deadline of each request.
    public var requestTimeout: Duration = .seconds(20)
    /// How long the test job may stay pending before the doctor gives up on it.
    public var testJobDeadline: Duration = .seconds(120)
    /// The first pause between status requests of the test job (doubling up to 16 s).
    public var testJobFirstPoll: Duration = .seconds(1)

    public init() {}
}
