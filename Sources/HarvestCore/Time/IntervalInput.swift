/// Reads durations typed by users: `90s`, `5m`, `2h`, `1d`, or a plain number of seconds.
public enum IntervalInput {
    /// The duration in whole seconds; at least 1 and at most 366 days.
    public static func seconds(_ text: String, flag: String) throws(InputError) -> Int {
        let bad = InputError("bad \(flag) \(text.quotedForMessage): expected a duration such as 30s, 5m, 2h or 1d")
        guard let last = text.last else { throw bad }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let multiplier = units[last] ?? 1
        let digits = units[last] == nil ? Substring(text) : text.dropLast()
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(digits)
        else { throw bad }
        let seconds = value * multiplier
        guard (1...366 * 86_400).contains(seconds) else {
            throw InputError("bad \(flag) \(text.quotedForMessage): must be between 1s and 366d")
        }
        return seconds
    }
}
