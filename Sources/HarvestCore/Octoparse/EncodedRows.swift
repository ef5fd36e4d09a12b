/// A page's rows encoded as row identity hashes them (``EncodedRow``, in the page's field order), with
/// their content hashes. Built where the page is decoded, so that the thread that commits it only binds
/// values: the store uses it when the page's fields are the table's first columns in the same order (the
/// usual case), where the two orders give the same encoding.
public struct EncodedRows: Sendable {
    /// Every row's encoding, one after the other.
    public private(set) var bytes: [UInt8] = []
    /// Per row and field (`row * fieldCount + field`): where the value lies in ``bytes``; nil when missing.
    public private(set) var values: [Range<Int>?] = []
    public private(set) var hashes: [ContentHash] = []
    public let fieldCount: Int

    public init(_ page: OctoparsePage) {
        fieldCount = page.fields.count
        values.reserveCapacity(page.rows.count * fieldCount)
        hashes.reserveCapacity(page.rows.count)
        var row = EncodedRow()
        for values in page.rows {
            row.encode(values)
            let start = bytes.count
            bytes.append(contentsOf: row.bytes)
            for field in 0..<fieldCount {
                let range = field < row.ranges.count ? row.ranges[field] : nil
                self.values.append(range.map { ($0.lowerBound + start)..<($0.upperBound + start) })
            }
            hashes.append(row.bytes.withUnsafeBytes { ContentHash(of: $0) })
        }
    }

    public var rowCount: Int { hashes.count }
}
