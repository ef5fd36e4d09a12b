/// One page of an Octoparse data call, decoded: the rows as values in field order, the counts the API
/// reports, and (for the offset call) the offset to send next.
///
/// Rows are flat: `rows[i][j]` is the value of `fields[j]` in row `i`, `nil` when the row lacks that field
/// (a row may be shorter than `fields` when a later row brought a new field).
public struct OctoparsePage: Sendable, Equatable {
    /// The rows the query matches in all (`total`): for a storage-time window, its size.
    public var total: Int
    /// Rows in this page, as the API counts them (`currentTotal`), when it says.
    public var currentTotal: Int?
    /// `GetDataOfTaskByOffset`: the opaque offset to send next, as text.
    public var offset: String?
    /// `GetDataOfTaskByOffset`: rows left after this page.
    public var restTotal: Int?
    /// Field names in the order they first appear in the page.
    public var fields: [String] { didSet { encodedRows = nil } }
    public var rows: [[String?]] { didSet { encodedRows = nil } }
    /// The rows encoded and hashed ahead of the commit (``encodeRows()``); nil until then.
    public private(set) var encodedRows: EncodedRows?

    public init(
        total: Int,
        currentTotal: Int? = nil,
        offset: String? = nil,
        restTotal: Int? = nil,
        fields: [String],
        rows: [[String?]]
    ) {
        self.total = total
        self.currentTotal = currentTotal
        self.offset = offset
        self.restTotal = restTotal
        self.fields = fields
        self.rows = rows
    }

    /// Encodes and hashes the rows now, off the thread that will commit them.
    public mutating func encodeRows() {
        encodedRows = EncodedRows(self)
    }

    /// Pages are equal when the API said the same; whether the rows were encoded yet does not matter.
    public static func == (left: OctoparsePage, right: OctoparsePage) -> Bool {
        left.total == right.total && left.currentTotal == right.currentTotal && left.offset == right.offset
            && left.restTotal == right.restTotal && left.fields == right.fields && left.rows == right.rows
    }

    /// The value of `field` in row `row`.
    public func value(_ field: String, row: Int) -> String? {
        guard let column = fields.firstIndex(of: field), column < rows[row].count else { return nil }
        return rows[row][column]
    }
}

extension OctoparsePage {
    /// The rows as field name to value, absent fields left out: how two pages that list their fields in
    /// different orders are compared.
    public var rowObjects: [[String: String]] {
        rows.map { values in
            var object: [String: String] = [:]
            for (field, value) in zip(fields, values) {
                if let value { object[field] = value }
            }
            return object
        }
    }

    /// Whether `other` holds the same rows in the same order, whatever else the two answers said.
    public func sameRows(as other: OctoparsePage) -> Bool {
        rows.count == other.rows.count
            && ((fields == other.fields && rows == other.rows) || rowObjects == other.rowObjects)
    }
}
