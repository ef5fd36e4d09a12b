import Foundation

extension JobRequest {
    /// Checks an Oxylabs job payload and builds the request to enqueue.
    ///
    /// - Parameters:
    ///   - payload: the job parameters, a JSON object.
    ///   - payloadText: the payload as the user wrote it, stored and forwarded verbatim; `nil` stores the
    ///     canonical text of `payload`.
    ///   - resultTypes: the types to download, or `nil` for the default (`parsed` when `parse` is true,
    ///     `png` when `render` is `png`, otherwise `raw`).
    public static func validate(
        _ payload: JSONValue,
        payloadText: String? = nil,
        resultTypes: [ResultType]? = nil
    ) throws(InputError) -> JobRequest {
        guard case .object(let members) = payload else {
            throw InputError("a job must be a JSON object, not \(payload.typeName)")
        }
        for (key, value) in members {
            try checkParameter(key, value)
        }
        guard let sourceValue = members["source"] else {
            throw InputError("missing \"source\" (the Oxylabs source, e.g. universal or google_search)")
        }
        let source = try string(sourceValue, "source")
        try checkSource(source)

        let url = try members["url"].map { value throws(InputError) in try string(value, "url") }
        let query = try members["query"].map { value throws(InputError) in try string(value, "query") }
        switch (url, query) {
        case (nil, nil): throw InputError("give either \"url\" or \"query\"")
        case (.some, .some): throw InputError("give either \"url\" or \"query\", not both")
        case (.some(let url), nil): try checkURL(url)
        case (nil, .some(let query)): try checkQuery(query)
        }

        let parse = members["parse"] == .bool(true)
        let render = members["render"].flatMap { value -> String? in
            if case .string(let text) = value { return text } else { return nil }
        }
        let types: [ResultType]
        if let resultTypes {
            guard !resultTypes.isEmpty else { throw InputError("--results needs at least one type") }
            if resultTypes.contains(.parsed), !parse {
                throw InputError(
                    "result type parsed needs \"parse\": true in the job (Oxylabs returns it empty otherwise)"
                )
            }
            if resultTypes.contains(.png), render != "png" {
                throw InputError(
                    "result type png needs \"render\": \"png\" in the job (Oxylabs returns it empty otherwise)"
                )
            }
            types = resultTypes.sorted()
        } else {
            types = parse ? [.parsed] : render == "png" ? [.png] : [.raw]
        }

        var shared = members
        shared["url"] = nil
        shared["query"] = nil
        let batchKey = Digest.sha256Hex(JSONValue.object(shared).canonicalText, bytes: 12)

        return JobRequest(
            source: source,
            url: url,
            query: query,
            payloadText: payloadText ?? payload.canonicalText,
            resultTypes: types,
            batchKey: batchKey
        )
    }

    /// The parameters whose `--param` value is read as a number or a boolean (`pages=3`, `parse=true`):
    /// the ones checked below as such. Any other value from a flag is a string unless written as JSON.
    public static let typedParameters: Set<String> = ["parse", "start_page", "pages", "limit"]

    /// Parameters Harvest sets itself, or does not support, and so refuses from the user.
    static let refusedParameters: [String: String] = [
        "callback_url": "harvest sets callback_url itself (see --public-url)",
        "client_notes": "harvest uses client_notes to carry the local job id",
        "storage_type": "uploading results to cloud storage is not supported: harvest stores results itself",
        "storage_url": "uploading results to cloud storage is not supported: harvest stores results itself",
    ]

    private static func checkParameter(_ key: String, _ value: JSONValue) throws(InputError) {
        guard !key.isEmpty else { throw InputError("a parameter name is empty") }
        if let reason = refusedParameters[key] {
            throw InputError("parameter \(key) is not accepted: \(reason)")
        }
        switch key {
        case "render":
            guard value == .string("html") || value == .string("png") else {
                throw InputError("\"render\" must be \"html\" or \"png\", not \(describe(value))")
            }
        case "parse":
            guard case .bool = value else {
                throw InputError("\"parse\" must be true or false, not \(describe(value))")
            }
        case "geo_location", "user_agent_type", "domain", "locale":
            _ = try string(value, key)
        case "start_page", "pages", "limit":
            guard case .integer(let number) = value, number >= 1 else {
                throw InputError("\"\(key)\" must be a whole number of at least 1, not \(describe(value))")
            }
        case "parsing_instructions":
            guard case .object = value else { throw InputError("\"parsing_instructions\" must be an object") }
        case "browser_instructions":
            guard case .array = value else { throw InputError("\"browser_instructions\" must be an array") }
        case "context":
            guard case .array(let entries) = value,
                entries.allSatisfy({ entry in
                    if case .object(let pair) = entry, case .string = pair["key"] { return pair["value"] != nil }
                    return false
                })
            else { throw InputError("\"context\" must be an array of {\"key\": …, \"value\": …} objects") }
        default:
            break
        }
    }

    private static func checkSource(_ source: String) throws(InputError) {
        let bytes = Array(source.utf8)
        let valid =
            (1...64).contains(bytes.count) && (97...122).contains(bytes[0])
            && bytes.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") }
        guard valid else {
            throw InputError(
                "bad source \(source.quotedForMessage): expected a lower-case identifier such as universal or google_search"
            )
        }
    }

    private static func checkURL(_ text: String) throws(InputError) {
        // Spaces and control characters are never valid in a URL; checked on bytes, before URL parsing.
        let plain = text.utf8.count <= 8192 && !text.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F })
        guard plain, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { throw InputError("bad url \(text.quotedForMessage): expected an absolute http or https URL") }
    }

    private static func checkQuery(_ text: String) throws(InputError) {
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw InputError("\"query\" is empty")
        }
        guard text.utf8.count <= 8192 else { throw InputError("\"query\" is longer than 8192 bytes") }
    }

    private static func string(_ value: JSONValue, _ key: String) throws(InputError) -> String {
        guard case .string(let text) = value else {
            throw InputError("\"\(key)\" must be a string, not \(describe(value))")
        }
        return text
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text.quotedForMessage
        case .bool, .integer, .double, .null: value.canonicalText
        case .array, .object: value.typeName
        }
    }
}
