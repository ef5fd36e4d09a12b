/// What an Octoparse account's server does where the documents leave it open, as learned from its
/// answers; nil where not yet known. Correctness never depends on these: a wrong or missing one costs
/// requests, not rows.
public struct OctoparseReadings: Sendable, Equatable {
    /// Whether a by-time window includes the rows stored exactly at `to`.
    public var toInclusive: Bool?
    /// What `total` of a by-time answer counts.
    public var total: TotalReading?
    /// How `pageindex` is read.
    public var pageIndex: PageIndexReading?

    public init(toInclusive: Bool? = nil, total: TotalReading? = nil, pageIndex: PageIndexReading? = nil) {
        self.toInclusive = toInclusive
        self.total = total
        self.pageIndex = pageIndex
    }

    /// One phrase per reading, for logs, events and `harvest status`: "`to` is inclusive", "`total`
    /// counts the window", "`pageindex` is not known yet".
    public var descriptions: [String] {
        [
            "`to` " + (toInclusive.map { $0 ? "is inclusive" : "is exclusive" } ?? "is not known yet"),
            "`total` "
                + (total.map { $0 == .window ? "counts the window" : "counts the whole task" } ?? "is not known yet"),
            "`pageindex` "
                + (pageIndex.map { $0 == .page ? "is a page number" : "is a row offset" } ?? "is not known yet"),
        ]
    }

    /// `{"to_inclusive": true, "total": "window", "page_index": null}`, for `--json` output.
    public var json: JSONValue {
        .object([
            "to_inclusive": toInclusive.map(JSONValue.bool) ?? .null,
            "total": total.map { .string($0.rawValue) } ?? .null,
            "page_index": pageIndex.map { .string($0.rawValue) } ?? .null,
        ])
    }
}
