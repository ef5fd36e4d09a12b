/// Why `harvest query` did not run a statement.
public enum QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The statement would write, change the schema, attach a file, or read a secret (exit 2).
    case refused(String)
    /// The SQL is not valid, or asks for something that does not exist (exit 2).
    case invalid(String)
    /// SQLite failed while running a valid statement (exit 1).
    case failed(String)

    public var isInputError: Bool {
        switch self {
        case .refused, .invalid: true
        case .failed: false
        }
    }

    public var description: String {
        switch self {
        case .refused(let reason): "query refused: \(reason); harvest query only reads"
        case .invalid(let message): "bad SQL: \(message)"
        case .failed(let message): "query failed: \(message)"
        }
    }
}
