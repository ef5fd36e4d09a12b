/// One line of `harvest doctor`: what was checked, how it went, and what was seen (never a secret).
/// Encoded as `{"check": …, "status": …, "detail": …}` for `--json`.
public struct DoctorCheck: Sendable, Equatable, Codable {
    /// How a check went. Only ``fail`` makes `harvest doctor` exit 1.
    public enum Status: String, Sendable, Equatable, CaseIterable, Codable {
        /// As it should be.
        case ok
        /// Works, but something deserves attention (a clock skew, a probable zone error).
        case warn
        /// Does not work: the line names the fix.
        case fail
        /// A fact about the account's server (a reading of an open point), neither good nor bad.
        case info
    }

    /// A short dotted name, stable for scripts: `octoparse.credentials`, `oxylabs.clock`.
    public var check: String
    public var status: Status
    public var detail: String

    public init(_ check: String, _ status: Status, _ detail: String) {
        self.check = check
        self.status = status
        self.detail = detail
    }

    /// `ok    octoparse.credentials      password grant accepted (the token is not stored)`.
    public var line: String {
        let status = self.status.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
        let check = self.check.padding(toLength: max(28, self.check.count + 1), withPad: " ", startingAt: 0)
        return status + check + detail
    }

    /// 1 when any check failed, else 0.
    public static func exitStatus(_ checks: [DoctorCheck]) -> Int32 {
        checks.contains { $0.status == .fail } ? 1 : 0
    }
}
