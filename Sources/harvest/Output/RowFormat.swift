import Foundation
import HarvestCore
import HarvestStore

/// Streams the rows of `harvest query` in one output format.
protocol RowFormat {
    mutating func begin(columns: [String], _ out: Output)
    mutating func row(_ values: [QueryValue], _ out: Output)
    mutating func end(_ out: Output)
}

/// RFC 4180: CRLF line ends; fields holding a comma, quote, CR or LF are quoted, quotes doubled;
/// NULL is an empty field; BLOBs are Base64.
struct CSVRows: RowFormat {
    mutating func begin(columns: [String], _ out: Output) {
        out.write(columns.map(Self.field).joined(separator: ",") + "\r\n")
    }

    mutating func row(_ values: [QueryValue], _ out: Output) {
        out.write(values.map { Self.field($0.plainText ?? "") }.joined(separator: ",") + "\r\n")
    }

    mutating func end(_ out: Output) {}

    /// Looks at scalars, not characters: a combining mark after a comma or a quote joins it into another
    /// character (`,\u{301}`), which a character comparison would not see, and a CSV reader reads bytes.
    static func field(_ text: String) -> String {
        let special: Set<Unicode.Scalar> = [",", "\"", "\r", "\n"]
        guard text.unicodeScalars.contains(where: special.contains) else { return text }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.append(scalar) }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }
}

/// One JSON array of objects keyed by column name, written row by row.
struct JSONRows: RowFormat {
    private var keys: [String] = []
    private var count = 0

    mutating func begin(columns: [String], _ out: Output) {
        keys = columns.map(JSONText.quoted)
        out.write("[")
    }

    mutating func row(_ values: [QueryValue], _ out: Output) {
        var text = count == 0 ? "\n  {" : ",\n  {"
        for (index, value) in values.enumerated() {
            if index > 0 { text += ", " }
            text += keys[index] + ": " + value.jsonText
        }
        out.write(text + "}")
        count += 1
    }

    mutating func end(_ out: Output) {
        out.write(count == 0 ? "]\n" : "\n]\n")
    }
}

/// Aligned columns for a terminal; widths come from the first rows, so output starts at once.
struct TableRows: RowFormat {
    private static let sampleSize = 500
    private var table = TextTable([])
    private var widths: [Int]?
    private var count = 0

    mutating func begin(columns: [String], _ out: Output) {
        table = TextTable(columns)
    }

    mutating func row(_ values: [QueryValue], _ out: Output) {
        count += 1
        let cells = values.map { $0.plainText ?? "NULL" }
        if let widths {
            out.line(table.format(cells, widths))
        } else {
            table.append(cells)
            if table.rows.count == Self.sampleSize { flushSample(out) }
        }
    }

    mutating func end(_ out: Output) {
        if widths == nil { flushSample(out) }
        out.line("(\(count) row\(count == 1 ? "" : "s"))")
    }

    private mutating func flushSample(_ out: Output) {
        let widths = table.widths()
        out.line(table.render(widths: widths))
        self.widths = widths
        table.rows.removeAll()
    }
}

extension QueryValue {
    /// The value as text for CSV and tables; `nil` for NULL.
    var plainText: String? {
        switch self {
        case .null: nil
        case .integer(let value): String(value)
        case .real(let value): "\(value)"
        case .text(let value): value
        case .blob(let bytes): Data(bytes).base64EncodedString()
        }
    }

    /// The value as a JSON literal; BLOBs become Base64 strings.
    var jsonText: String {
        switch self {
        case .null: "null"
        case .integer(let value): String(value)
        case .real(let value): value.isFinite ? "\(value)" : "null"
        case .text(let value): JSONText.quoted(value)
        case .blob(let bytes): JSONText.quoted(Data(bytes).base64EncodedString())
        }
    }
}
