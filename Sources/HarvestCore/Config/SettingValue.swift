/// A checked configuration value.
public enum SettingValue: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case duration(Duration)

    /// Checks `text` against `kind`; `label` names the value's source in the error, which never quotes
    /// a secret.
    public init(text: String, kind: Setting.Kind, label: String, secret: Bool) throws(InputError) {
        let shown = secret ? "" : " \(text.quotedForMessage)"
        switch kind {
        case .text:
            self = .text(text)
        case .integer(let range):
            guard let number = Int(text), range.contains(number) else {
                throw InputError(
                    "bad \(label)\(shown): expected a whole number from \(range.lowerBound) to \(range.upperBound)"
                )
            }
            self = .integer(number)
        case .number(let range):
            guard let number = Double(text), number.isFinite, range.contains(number) else {
                throw InputError(
                    "bad \(label)\(shown): expected a number from \(range.lowerBound) to \(range.upperBound)"
                )
            }
            self = .number(number)
        case .boolean:
            switch text {
            case "true": self = .boolean(true)
            case "false": self = .boolean(false)
            default: throw InputError("bad \(label)\(shown): expected true or false")
            }
        case .duration(let minimum):
            // Not DurationInput's own error: it quotes the value, which may be a secret's.
            guard let duration = try? DurationInput.parse(text, flag: label) else {
                throw InputError("bad \(label)\(shown): expected a duration such as 250ms, 1.5s, 2m or 48h")
            }
            guard duration >= minimum else {
                throw InputError("bad \(label)\(shown): at least \(minimum.components.seconds)s")
            }
            self = .duration(duration)
        case .choice(let choices):
            // `DEBUG` and `debug` alike, from whichever source.
            guard let choice = choices.first(where: { $0 == text.lowercased() }) else {
                throw InputError("bad \(label)\(shown): expected one of \(choices.joined(separator: ", "))")
            }
            self = .text(choice)
        }
    }
}
