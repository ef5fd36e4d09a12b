/// Reads durations with sub-second precision, for latencies and delays: `250ms`, `1.5s`, `3s`, `2m`, `48h`.
public enum DurationInput {
    /// The duration; zero is allowed, negative values are not.
    public static func parse(_ text: String, flag: String) throws(InputError) -> Duration {
        let bad = InputError("bad \(flag) \(text.quotedForMessage): expected a duration such as 250ms, 1.5s, 2m or 48h")
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        guard let (suffix, scale) = units.first(where: { text.hasSuffix($0.0) }) else { throw bad }
        let number = text.dropLast(suffix.count)
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(number), value.isFinite, value * scale <= 366 * 86_400
        else { throw bad }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }
}

/// Reads shares and probabilities: a number from 0 to 1.
public enum ShareInput {
    public static func parse(_ text: String, flag: String) throws(InputError) -> Double {
        guard let value = Double(text), value.isFinite, (0...1).contains(value) else {
            throw InputError("bad \(flag) \(text.quotedForMessage): expected a number from 0 to 1")
        }
        return value
    }
}
