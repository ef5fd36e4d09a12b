/// One `--param key=value` from the command line, with the value read as JSON when it looks like JSON.
///
/// `parse=true` gives a boolean, `pages=3` a number, `context=[…]` an array, `geo_location=United States`
/// a string. A value that starts like JSON (`{`, `[` or `"`) but is not valid JSON is an error rather
/// than silently becoming a string.
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
        switch raw {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        guard let first = raw.utf8.first else { return .string("") }
        let looksLikeJSON = first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"")
        let looksLikeNumber = first == UInt8(ascii: "-") || (48...57).contains(first)
        if looksLikeJSON || looksLikeNumber, let value = try? JSONValue.parse(raw) {
            return value
        }
        if looksLikeJSON {
            throw InputError("bad --param \(key): value \(raw.quotedForMessage) is not valid JSON")
        }
        return .string(raw)
    }
}
