import Logging

/// The last line of defence against a secret in a log line: whatever a message or a metadata value holds,
/// the shapes secrets travel in are replaced by `REDACTED` before a line is written.
///
/// - the callback secret in a callback URL: `/callbacks/oxylabs/REDACTED`;
/// - `password=…`, `access_token=…`, `refresh_token=…`, and the same as JSON (`"access_token": "…"`);
/// - `Bearer …` and `Basic …` credentials (16 characters or more, so that "basic auth" stays);
/// - any metadata value whose key names a secret (`password`, `token`, `secret`, `authorization`, `*_token`).
///
/// Harvest does not log secrets in the first place; this keeps a future mistake, or a library's error
/// text, from writing one.
public enum LogRedaction {
    public static let marker = "REDACTED"

    /// `value` with secrets redacted; all of it when `key` names a secret.
    static func redact(_ value: Logger.MetadataValue, key: String) -> Logger.MetadataValue {
        if isSecretKey(key) { return .string(marker) }
        switch value {
        case .string(let text): return .string(redact(text))
        case .stringConvertible(let convertible): return .string(redact(convertible.description))
        case .array(let values): return .array(values.map { redact($0, key: "") })
        case .dictionary(let nested):
            return .dictionary(Dictionary(uniqueKeysWithValues: nested.map { ($0.key, redact($0.value, key: $0.key)) }))
        }
    }

    /// Whether a metadata key names a secret.
    static func isSecretKey(_ key: String) -> Bool {
        let key = key.lowercased()
        return ["password", "token", "secret", "authorization", "access_token", "refresh_token"].contains(key)
            || key.hasSuffix("_password") || key.hasSuffix("_token") || key.hasSuffix("_secret")
    }

    /// `text` with every secret shape redacted; the text itself when it holds none.
    public static func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 6 else { return text }
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        while index < bytes.count {
            guard let secret = secretRange(in: bytes, at: index) else {
                index += 1
                continue
            }
            if output.isEmpty { output.reserveCapacity(bytes.count) }
            output += bytes[copied..<secret.lowerBound]
            output += marker.utf8
            copied = secret.upperBound
            index = secret.upperBound
        }
        guard copied > 0 else { return text }
        output += bytes[copied...]
        // Secrets end at ASCII bytes or at the end, so the result is valid UTF-8.
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: Shapes

    private static let callbackPath = Array("/callbacks/oxylabs/".utf8)
    private static let namedSecrets = ["access_token", "refresh_token", "password"].map { Array($0.utf8) }
    private static let schemes = ["bearer ", "basic "].map { Array($0.utf8) }
    /// Where a path segment ends.
    private static let valueEnd = Set("\"'&,;(){}[]<>/?#|".utf8)
    /// Where an unquoted `name=value` ends (form encoding escapes these inside values).
    private static let bareValueEnd = Set("\"'&,;".utf8)

    /// The range of a secret whose shape starts at `start`, if one does.
    private static func secretRange(in bytes: [UInt8], at start: Int) -> Range<Int>? {
        if matches(callbackPath, in: bytes, at: start) {
            return run(in: bytes, from: start + callbackPath.count, minimum: 1) { !valueEnd.contains($0) && $0 > 0x20 }
        }
        for name in namedSecrets where matches(name, in: bytes, at: start) {
            // name=value, name: value, "name": "value"
            var index = start + name.count
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") { index += 1 }
            index = skipSpaces(bytes, index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") || bytes[index] == UInt8(ascii: ":")
            else { return nil }
            index = skipSpaces(bytes, index + 1)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                return run(in: bytes, from: index, minimum: 1) { !bareValueEnd.contains($0) && $0 > 0x20 }
            }
            return quoted(in: bytes, from: index + 1)
        }
        // A scheme only at the start of a word.
        if start == 0 || !isTokenByte(bytes[start - 1]) {
            for scheme in schemes where matches(scheme, in: bytes, at: start) {
                return run(in: bytes, from: start + scheme.count, minimum: 16, while: isTokenByte)
            }
        }
        return nil
    }

    /// Case-insensitive ASCII match of `needle` at `start`.
    private static func matches(_ needle: [UInt8], in bytes: [UInt8], at start: Int) -> Bool {
        guard start + needle.count <= bytes.count else { return false }
        for offset in 0..<needle.count {
            var byte = bytes[start + offset]
            if (0x41...0x5A).contains(byte) { byte += 0x20 }
            if byte != needle[offset] { return false }
        }
        return true
    }

    /// The bytes from `start` that satisfy `accepts`, when there are at least `minimum` of them.
    private static func run(
        in bytes: [UInt8],
        from start: Int,
        minimum: Int,
        while accepts: (UInt8) -> Bool
    ) -> Range<Int>? {
        var end = start
        while end < bytes.count, accepts(bytes[end]) { end += 1 }
        return end - start >= minimum ? start..<end : nil
    }

    /// The inside of a JSON string that starts at `start`, up to its closing quote (or the end).
    private static func quoted(in bytes: [UInt8], from start: Int) -> Range<Int>? {
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        end = min(end, bytes.count)
        return end > start ? start..<end : nil
    }

    private static func skipSpaces(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        return index
    }

    /// Characters of Base64 and of OAuth tokens.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "+"),
            UInt8(ascii: "/"), UInt8(ascii: "="):
            true
        default: false
        }
    }
}
