/// Durations for people: `45s`, `12m 5s`, `3h 20m`, `2d 4h` (the two largest units).
public enum DurationText {
    public static func short(_ seconds: Int64) -> String {
        let total = max(0, seconds)
        let (days, hours, minutes, rest) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(rest)s" }
        return "\(rest)s"
    }
}
