/// How a server reads `pageindex`: the seed's page number (1-based), or a row offset, as an older Chinese
/// version of the same document says. Read as an offset, pages requested by number overlap and every row
/// would be stored many times over, so Harvest finds out before it stores a multi-row window and refuses
/// an offset server in one line.
public enum PageIndexReading: String, Sendable, Equatable, CaseIterable, NamedChoice {
    public static let choiceName = "pageindex reading"

    case page
    case offset

    /// What the first page of a window and the answer to `pageindex=2` with the same page size say, or nil
    /// when they cannot tell.
    ///
    /// Read as a page number, page 2 holds the rows after page 1: none when page 1 was short. Read as an
    /// offset, it starts one row after page 1, so it repeats page 1 but for its first row (whether
    /// offsets start at 0 or 1). A full page 1 of identical rows repeats itself under either reading: nil.
    ///
    /// - Parameters:
    ///   - first: the rows of `pageindex=1`, each as field name to value.
    ///   - second: the rows of `pageindex=2` with the same page size.
    ///   - pageSize: the page size both were asked with.
    public static func evidence(
        first: [[String: String]],
        second: [[String: String]],
        pageSize: Int
    ) -> PageIndexReading? {
        guard first.count >= 2 else { return nil }
        // Read as an offset, `pageindex=2` is empty only for a window of fewer rows than page 1 holds.
        guard !second.isEmpty else { return .page }
        // Read as an offset (0- or 1-based alike), `pageindex=2` starts one row after `pageindex=1`.
        let shifted = first.dropFirst()
        let overlap = min(shifted.count, second.count)
        let repeats = second.prefix(overlap).elementsEqual(shifted.prefix(overlap))
        guard repeats else {
            // Disjoint pages: a page number. Page 2 of a short page 1 should have been empty, though: the
            // window changed between the two requests, and nothing can be told.
            return first.count < pageSize ? nil : .page
        }
        // Every row alike: page 2 repeats page 1 under either reading.
        if Set(first).count == 1, first.count == pageSize { return nil }
        return .offset
    }
}
