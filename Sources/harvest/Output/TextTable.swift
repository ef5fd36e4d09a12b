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

    /// Newlines and tabs would break the table's lines: show them escaped.
    static func flatten(_ cell: String) -> String {
        guard cell.contains(where: { $0.isNewline || $0 == "\t" }) else { return cell }
        return cell.replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\t", with: "\\t")
    }
}
