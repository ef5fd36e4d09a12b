extension JobRequest {
    /// Builds a request from `harvest jobs submit` flags.
    ///
    /// The stored payload is the canonical JSON of the parameters, so submitting the same flags twice
    /// produces the same text (which `--idempotency-key` compares).
    public static func fromFlags(
        source: String,
        url: String?,
        query: String?,
        parameters: [JobParameter],
        resultTypes: [ResultType]?
    ) throws(InputError) -> JobRequest {
        var members: [String: JSONValue] = ["source": .string(source)]
        if let url { members["url"] = .string(url) }
        if let query { members["query"] = .string(query) }
        for parameter in parameters {
            if ["source", "url", "query"].contains(parameter.key) {
                throw InputError("set \(parameter.key) with --\(parameter.key), not --param")
            }
            guard members[parameter.key] == nil else {
                throw InputError("--param \(parameter.key) is given twice")
            }
            members[parameter.key] = parameter.value
        }
        return try validate(.object(members), resultTypes: resultTypes)
    }
}
