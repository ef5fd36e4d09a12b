/// One `--param key=value` from the command line.
///
/// A value is a string unless it starts with `{`, `[` or `"` (then it must be valid JSON) or its key is one
/// of the few parameters known to be a number or a boolean (``JobRequest/typedParameters``): the seed says
/// some sources take a zip code as `geo_location`, so `geo_location=10001` must stay the string `"10001"`,
/// and guessing a type from the look of the value would send it as a number.
public struct JobParameter: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }

    /// Parses `key=value`.
    public init(parsing text: String) throws(InputError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw InputError("bad --param \(text.quotedForMessage): expected key=value")
        }
        let key = String(text[..<equals])
        let raw = String(text[text.index(after: equals)...])
        let keyBytes = Array(key.utf8)
        guard let first = keyBytes.first, first == UInt8(ascii: "_") || (97...122).contains(first | 0x20),
            keyBytes.allSatisfy({ (97...122).contains($0 | 0x20) || (48...57).contains($0) || $0 == UInt8(ascii: "_") })
        else {
            throw InputError("bad --param key \(key.quotedForMessage): expected letters, digits and _")
        }
        self.key = key
        self.value = try Self.readValue(raw, key: key)
    }

    private static func readValue(_ raw: String, key: String) throws(InputError) -> JSONValue {
        guard let first = raw.utf8.first else { return .string("") }
        let looksLikeJSON = first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"")
        if looksLikeJSON {
            guard let value = try? JSONValue.parse(raw) else {
                throw InputError("bad --param \(key): value \(raw.quotedForMessage) is not valid JSON")
            }
            return value
        }
        // A typed parameter that does not read as JSON stays a string, for validation to name it.
        if JobRequest.typedParameters.contains(key), let value = try? JSONValue.parse(raw) { return value }
        return .string(raw)
    }
}
