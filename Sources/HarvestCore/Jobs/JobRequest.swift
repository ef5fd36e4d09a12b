/// A validated request to run one Oxylabs job, ready to be enqueued.
///
/// Built only through ``JobRequest/validate(_:resultTypes:)``, so holding one means the payload passed
/// every check Harvest makes before anything is written.
public struct JobRequest: Sendable, Equatable {
    /// The Oxylabs source, e.g. `universal` or `google_search`.
    public var source: String
    /// The target URL, for URL sources.
    public var url: String?
    /// The search query, for query sources.
    public var query: String?
    /// The job parameters as the user gave them: forwarded to Oxylabs untouched.
    public var payloadText: String
    /// The result types to download once the job is done.
    public var resultTypes: [ResultType]
    /// Identifies the parameters other than `url`/`query`: jobs with the same key can share one batch request.
    public var batchKey: String

    package init(
        source: String,
        url: String?,
        query: String?,
        payloadText: String,
        resultTypes: [ResultType],
        batchKey: String
    ) {
        self.source = source
        self.url = url
        self.query = query
        self.payloadText = payloadText
        self.resultTypes = resultTypes
        self.batchKey = batchKey
    }
}
