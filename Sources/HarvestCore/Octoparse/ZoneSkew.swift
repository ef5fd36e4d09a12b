/// How far an account's storage times seem to run from the configured zone (`OCTOPARSE_TIMEZONE`), as its
/// answers show it. Storage times carry no zone, so this is evidence, never proof: rows stored "in the
/// future" of the configured clock, or rows that appear long after their storage time. A zone set too far
/// east is the dangerous one (windows are read before the server has reached them); Harvest re-checks
/// enough of the past to find those rows anyway (``guardPeriod``), and reports the skew so that the zone
/// gets fixed.
public struct ZoneSkew: Sendable, Equatable {
    /// Seconds the server's storage times run ahead of the configured zone (negative: behind), rounded to
    /// a quarter hour, as zones are.
    public var seconds: Int
    /// What showed it, in words.
    public var evidence: String

    public init(seconds: Int, evidence: String) {
        self.seconds = seconds
        self.evidence = evidence
    }

    /// The smallest skew taken as a sign of a wrong zone: zones differ by whole quarter hours, and ordinary
    /// late commits take seconds to minutes.
    public static let threshold: Int64 = 30 * 60
    /// How far back complete windows are re-checked whatever the look-back: the zones of the world span
    /// UTC-12 to UTC+14, so a wrong zone hides rows at most this long.
    public static let guardPeriod: Int64 = 26 * 3600

    /// From rows stored `ahead` seconds past now on the configured clock; nil below ``threshold``.
    public static func fromFutureRows(ahead: Int64) -> ZoneSkew? {
        guard ahead >= threshold else { return nil }
        let skew = rounded(ahead)
        return ZoneSkew(seconds: skew, evidence: "rows are stored up to \(DurationText.short(ahead)) ahead of now")
    }

    /// From rows found `delay` seconds after their storage time by a re-check; nil below ``threshold``.
    public static func fromLateRows(delay: Int64) -> ZoneSkew? {
        guard delay >= threshold else { return nil }
        let skew = -rounded(delay)
        return ZoneSkew(
            seconds: skew,
            evidence: "rows appeared \(DurationText.short(delay)) after their storage time"
        )
    }

    /// The zone the server probably keeps storage times in.
    public func probableZone(configured: UTCOffset) -> UTCOffset {
        UTCOffset(seconds: configured.seconds + seconds)
    }

    /// One line for logs and `harvest status`: what was seen and the fix.
    public func message(configured: UTCOffset) -> String {
        let zone = probableZone(configured: configured)
        let direction = seconds > 0 ? "ahead of" : "behind"
        return "storage times run about \(DurationText.short(Int64(abs(seconds)))) \(direction) \(configured) "
            + "(\(evidence)): the server's zone is probably \(zone); set OCTOPARSE_TIMEZONE=\(zone)"
    }

    private static func rounded(_ seconds: Int64) -> Int {
        Int((Double(seconds) / 900).rounded()) * 900
    }
}
