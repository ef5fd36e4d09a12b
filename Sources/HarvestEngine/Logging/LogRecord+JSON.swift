import HarvestCore
import Logging

extension LogRecord {
    /// `{"ts":"…","level":"info","msg":"task synced","label":"harvest","source":"HarvestEngine","task":"…"}`:
    /// one object per line; metadata values are strings, nested metadata objects and lists stay nested.
    var jsonLine: String {
        var line = "{\"ts\":\"\(UTCTime.format(time))\",\"level\":\"\(level.rawValue)\",\"msg\":"
        Self.appendJSONString(LogRedaction.redact(message), to: &line)
        line += ",\"label\":"
        Self.appendJSONString(label, to: &line)
        line += ",\"source\":"
        Self.appendJSONString(source, to: &line)
        for (key, value) in fields {
            line += ","
            Self.appendJSONString(key, to: &line)
            line += ":"
            Self.appendJSONValue(value, to: &line)
        }
        line += "}"
        return line
    }

    private static func appendJSONValue(_ value: Logger.MetadataValue, to line: inout String) {
        switch value {
        case .string(let text):
            appendJSONString(text, to: &line)
        case .stringConvertible(let convertible):
            appendJSONString(convertible.description, to: &line)
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                appendJSONValue(element, to: &line)
            }
            line += "]"
        case .dictionary(let nested):
            line += "{"
            for (index, (key, element)) in nested.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line += "," }
                appendJSONString(key, to: &line)
                line += ":"
                appendJSONValue(element, to: &line)
            }
            line += "}"
        }
    }

    /// A JSON string literal; control characters and U+2028/U+2029 are escaped, so the line never breaks.
    static func appendJSONString(_ text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            default:
                if isControl(scalar) {
                    line += unicodeEscape(scalar)
                } else {
                    line.unicodeScalars.append(scalar)
                }
            }
        }
        line += "\""
    }
}
