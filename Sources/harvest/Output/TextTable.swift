import Foundation

/// A plain-text table for humans: columns padded to their widest cell, long cells cut with `…`.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// Cells longer than this are shortened.
    var maximumCellWidth = 60

    init(_ headers: [String]) {
        self.headers = headers
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The widths the cells of `rows` need (each at least its header's width).
    func widths() -> [Int] {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], min(Self.flatten(cell).count, maximumCellWidth))
            }
        }
        return widths
    }

    /// One line per row, headers first.
    func render(widths: [Int]? = nil) -> String {
        let widths = widths ?? self.widths()
        var lines = [format(headers, widths)]
        lines += rows.map { format($0, widths) }
        return lines.joined(separator: "\n")
    }

    func format(_ cells: [String], _ widths: [Int]) -> String {
        var line = ""
        for (index, width) in widths.enumerated() {
            var cell = index < cells.count ? Self.flatten(cells[index]) : ""
            if cell.count > width { cell = String(cell.prefix(max(width - 1, 0))) + "…" }
            line += index == widths.count - 1 ? cell : cell.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
        }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    /// Newlines and tabs would break the table's lines, and other control characters (an escape
    /// sequence in an upstream task name) would drive the terminal: show them escaped.
    static func flatten(_ cell: String) -> String {
        guard cell.unicodeScalars.contains(where: isControl) else { return cell }
        var flat = String.UnicodeScalarView()
        for scalar in cell.unicodeScalars {
            switch scalar {
            case "\n": flat.append(contentsOf: "\\n".unicodeScalars)
            case "\r": flat.append(contentsOf: "\\r".unicodeScalars)
            case "\t": flat.append(contentsOf: "\\t".unicodeScalars)
            case _ where isControl(scalar):
                flat.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            default: flat.append(scalar)
            }
        }
        return String(flat)
    }

    /// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
