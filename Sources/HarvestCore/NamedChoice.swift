/// A closed set of words the user picks from (`--status`, `--mode`): parsed case-insensitively, with an
/// error that lists the choices.
public protocol NamedChoice: CaseIterable, RawRepresentable<String> {
    /// What the word names, for error messages: `job status`, `task mode`.
    static var choiceName: String { get }
}

extension NamedChoice {
    /// Parses a choice named by the user.
    public init(parsing text: String) throws(InputError) {
        guard let choice = Self(rawValue: text.lowercased()) else {
            throw InputError(
                "unknown \(Self.choiceName) \(text.quotedForMessage): expected one of "
                    + Self.allCases.map(\.rawValue).joined(separator: ", ")
            )
        }
        self = choice
    }
}
