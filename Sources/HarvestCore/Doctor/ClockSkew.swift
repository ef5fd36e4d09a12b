import Foundation

/// How far a server's clock (its `Date` header) runs from this machine's. Harvest plans token expiry,
/// poll schedules and storage-time windows with this machine's clock, so a skew of more than a few
/// seconds is worth fixing (NTP) before it looks like an upstream fault.
public struct ClockSkew: Sendable, Equatable {
    /// Seconds the server's clock runs ahead of this machine's (negative: behind).
    public var seconds: TimeInterval

    public init(seconds: TimeInterval) {
        self.seconds = seconds
    }

    /// Beyond this, the skew is reported as a warning: a `Date` header has whole seconds, and a request
    /// takes a moment.
    public static let tolerance: TimeInterval = 5

    /// The skew a `Date` header shows for a request sent at `sentAt` and answered at `answeredAt` (this
    /// machine's clock): measured from the middle of the exchange, less the second the header truncates.
    /// Nil when the header is not an HTTP date.
    public static func measure(dateHeader: String, sentAt: Date, answeredAt: Date) -> ClockSkew? {
        guard let server = parseHTTPDate(dateHeader) else { return nil }
        let middle = sentAt.addingTimeInterval(answeredAt.timeIntervalSince(sentAt) / 2)
        // The header says the second the answer was made in: its middle is the best guess.
        return ClockSkew(seconds: server.addingTimeInterval(0.5).timeIntervalSince(middle))
    }

    /// Whether the skew is within ``tolerance``.
    public var isTolerable: Bool { abs(seconds) <= Self.tolerance }

    /// `the server's clock is 42s ahead of this machine's`, or `… agrees with this machine's`.
    public var description: String {
        let amount = Int64(abs(seconds).rounded())
        guard amount > 0 else { return "the server's clock agrees with this machine's" }
        let direction = seconds > 0 ? "ahead of" : "behind"
        return "the server's clock is \(DurationText.short(amount)) \(direction) this machine's"
    }

    /// An RFC 9110 HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), the form every server sends.
    public static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}
