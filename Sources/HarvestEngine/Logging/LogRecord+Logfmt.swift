import HarvestCore
import Logging

extension LogRecord {
    /// `ts=… level=info msg="task synced" task=… rows=12 source=HarvestEngine`: values are bare unless they
    /// are empty or hold a space, `=`, `"`, `\` or a control character; then they are quoted, with `"` and
    /// `\` escaped and control characters written as `\n`, `\t`, `\u001b`. Nested metadata is flattened
    /// to `key.sub=…`; lists are written as `[a,b]`.
    var logfmtLine: String {
        var line = "ts=\(UTCTime.format(time)) level=\(level.rawValue) msg="
        Self.appendLogfmtValue(LogRedaction.redact(message), to: &line)
        for (key, value) in fields { Self.appendLogfmtField(key, value, to: &line) }
        if !source.isEmpty {
            line += " source="
            Self.appendLogfmtValue(source, to: &line)
        }
        return line
    }

    private static func appendLogfmtField(_ key: String, _ value: Logger.MetadataValue, to line: inout String) {
        if case .dictionary(let nested) = value {
            for (subkey, subvalue) in nested.sorted(by: { $0.key < $1.key }) {
                appendLogfmtField(key + "." + subkey, subvalue, to: &line)
            }
            return
        }
        line += " "
        line += logfmtKey(key)
        line += "="
        appendLogfmtValue(flattened(value), to: &line)
    }

    /// A list or nested value as one text.
    private static func flattened(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(flattened).joined(separator: ",") + "]"
        case .dictionary(let nested):
            "{" + nested.sorted { $0.key < $1.key }.map { "\($0.key)=\(flattened($0.value))" }.joined(separator: ",")
                + "}"
        }
    }

    /// Keys are bare words: anything that would end the key or the pair becomes `_`.
    private static func logfmtKey(_ key: String) -> String {
        guard !key.isEmpty else { return "_" }
        guard key.unicodeScalars.contains(where: needsQuoting) else { return key }
        return String(String.UnicodeScalarView(key.unicodeScalars.map { needsQuoting($0) ? "_" : $0 }))
    }

    private static func needsQuoting(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x20 || scalar == "=" || scalar == "\"" || scalar == "\\" || isControl(scalar)
    }

    static func appendLogfmtValue(_ text: String, to line: inout String) {
        guard text.isEmpty || text.unicodeScalars.contains(where: needsQuoting) else {
            line += text
            return
        }
        // A quoted logfmt value escapes as a JSON string does.
        appendJSONString(text, to: &line)
    }

    /// Control characters, and the separators some readers take for line breaks (NEL, U+2028, U+2029).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// `\u001b`, as JSON writes it.
    static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
