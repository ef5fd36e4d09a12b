import Foundation
import HarvestCore
import Testing

private func job(_ json: String, resultTypes: [ResultType]? = nil) throws(InputError) -> JobRequest {
    try JobRequest.validate(try! JSONValue.parse(json), payloadText: json, resultTypes: resultTypes)
}

@Suite struct JobRequestValidationTests {
    @Test(arguments: [
        (#"[1]"#, "a job must be a JSON object"),
        (#"{"url": "https://a.com"}"#, "missing \"source\""),
        (#"{"source": "Universal", "url": "https://a.com"}"#, "bad source \"Universal\""),
        (#"{"source": "uni-versal", "url": "https://a.com"}"#, "bad source \"uni-versal\""),
        (#"{"source": 5, "url": "https://a.com"}"#, "\"source\" must be a string"),
        (#"{"source": "universal"}"#, "give either \"url\" or \"query\""),
        (#"{"source": "universal", "url": "https://a.com", "query": "x"}"#, "not both"),
        (#"{"source": "universal", "url": "ftp://a.com/x"}"#, "bad url \"ftp://a.com/x\""),
        (#"{"source": "universal", "url": "example.com"}"#, "bad url \"example.com\""),
        (#"{"source": "universal", "url": "https://a b.com"}"#, "bad url \"https://a b.com\""),
        (#"{"source": "google_search", "query": "   "}"#, "\"query\" is empty"),
        (
            #"{"source": "universal", "url": "https://a.com", "render": "pdf"}"#,
            "\"render\" must be \"html\" or \"png\", not \"pdf\""
        ),
        (#"{"source": "universal", "url": "https://a.com", "parse": "yes"}"#, "\"parse\" must be true or false"),
        (
            #"{"source": "universal", "url": "https://a.com", "pages": 0}"#,
            "\"pages\" must be a whole number of at least 1, not 0"
        ),
        (#"{"source": "universal", "url": "https://a.com", "pages": -3}"#, "not -3"),
        (#"{"source": "universal", "url": "https://a.com", "limit": 2.5}"#, "\"limit\" must be a whole number"),
        (
            #"{"source": "universal", "url": "https://a.com", "context": [{"value": 1}]}"#,
            "\"context\" must be an array"
        ),
        (
            #"{"source": "universal", "url": "https://a.com", "callback_url": "https://x"}"#,
            "parameter callback_url is not accepted"
        ),
        (
            #"{"source": "universal", "url": "https://a.com", "client_notes": "x"}"#,
            "parameter client_notes is not accepted"
        ),
        (
            #"{"source": "universal", "url": "https://a.com", "storage_type": "s3"}"#,
            "parameter storage_type is not accepted"
        ),
        (#"{"source": "universal", "url": "https://a.com", "": 1}"#, "a parameter name is empty"),
    ])
    func rejectsBadPayloads(json: String, expected: String) {
        #expect {
            try job(json)
        } throws: { error in
            (error as? InputError)?.message.contains(expected) == true
        }
    }

    @Test func keepsThePayloadTextAndForwardsUnknownParameters() throws {
        let text =
            #"{"source":"universal","url":"https://example.com/a?b=1","geo_location":"Germany","x_new":{"k":[1,2]}}"#
        let request = try job(text)
        #expect(request.source == "universal")
        #expect(request.url == "https://example.com/a?b=1")
        #expect(request.query == nil)
        #expect(request.payloadText == text)
    }

    @Test func defaultResultTypesFollowParseAndRender() throws {
        #expect(try job(#"{"source":"universal","url":"https://a.com"}"#).resultTypes == [.raw])
        #expect(try job(#"{"source":"universal","url":"https://a.com","render":"html"}"#).resultTypes == [.raw])
        #expect(try job(#"{"source":"universal","url":"https://a.com","render":"png"}"#).resultTypes == [.png])
        #expect(try job(#"{"source":"google_search","query":"q","parse":true}"#).resultTypes == [.parsed])
    }

    @Test func explicitResultTypesMustBeProducedByTheJob() throws {
        let both = try job(
            #"{"source":"google_search","query":"q","parse":true,"render":"png"}"#,
            resultTypes: [.png, .raw, .parsed]
        )
        #expect(both.resultTypes == [.raw, .parsed, .png])
        #expect(throws: InputError.self) {
            try job(#"{"source":"universal","url":"https://a.com"}"#, resultTypes: [.parsed])
        }
        #expect(throws: InputError.self) {
            try job(#"{"source":"universal","url":"https://a.com"}"#, resultTypes: [.png])
        }
    }

    @Test func batchKeyIgnoresOnlyTheTargetAndKeyOrder() throws {
        let first = try job(#"{"source":"universal","url":"https://a.com","geo_location":"Germany","render":"html"}"#)
        let second = try job(#"{"render":"html","geo_location":"Germany","url":"https://b.com","source":"universal"}"#)
        let other = try job(#"{"source":"universal","url":"https://a.com","geo_location":"France","render":"html"}"#)
        #expect(first.batchKey == second.batchKey)
        #expect(first.batchKey != other.batchKey)
        #expect(first.batchKey.count == 24)
    }

    @Test func aZipCodeFromAFlagIsSentAsAString() throws {
        // The seed: "some sources accept zip-code" as geo_location; a number would be a different request.
        let request = try JobRequest.fromFlags(
            source: "universal",
            url: "https://example.com",
            query: nil,
            parameters: [try JobParameter(parsing: "geo_location=10001"), try JobParameter(parsing: "pages=2")],
            resultTypes: nil
        )
        #expect(
            request.payloadText
                == #"{"geo_location":"10001","pages":2,"source":"universal","url":"https://example.com"}"#
        )
    }

    @Test func aTypedFlagThatIsNotANumberIsNamedInTheError() {
        #expect(throws: InputError(#""pages" must be a whole number of at least 1, not "three""#)) {
            try JobRequest.fromFlags(
                source: "universal",
                url: "https://example.com",
                query: nil,
                parameters: [try JobParameter(parsing: "pages=three")],
                resultTypes: nil
            )
        }
    }

    @Test func flagsBuildACanonicalPayload() throws {
        let request = try JobRequest.fromFlags(
            source: "google_search",
            url: nil,
            query: "adidas shoes",
            parameters: [
                try JobParameter(parsing: "parse=true"), try JobParameter(parsing: "geo_location=United States"),
            ],
            resultTypes: nil
        )
        #expect(
            request.payloadText
                == #"{"geo_location":"United States","parse":true,"query":"adidas shoes","source":"google_search"}"#
        )
        #expect(request.resultTypes == [.parsed])
    }

    @Test func flagsRefuseTargetsAsParametersAndRepeats() {
        #expect(throws: InputError("set url with --url, not --param")) {
            try JobRequest.fromFlags(
                source: "universal",
                url: nil,
                query: nil,
                parameters: [try JobParameter(parsing: "url=https://a.com")],
                resultTypes: nil
            )
        }
        #expect(throws: InputError("--param pages is given twice")) {
            try JobRequest.fromFlags(
                source: "universal",
                url: "https://a.com",
                query: nil,
                parameters: [try JobParameter(parsing: "pages=1"), try JobParameter(parsing: "pages=2")],
                resultTypes: nil
            )
        }
    }
}
