/// How `harvest serve` and `harvest tasks sync` write their log events: one line per event on standard
/// error, as logfmt (`key=value` pairs, for people and grep) or as one JSON object (for log shippers).
public enum LogFormat: String, CaseIterable, Sendable {
    case logfmt
    case json
}
