import HarvestCore
import Testing

@Suite struct OctoparseDecodingTests {
    private func page(_ text: String) throws(OctoparseAnswerError) -> OctoparsePage {
        try OctoparseDecoding.page(Array(text.utf8))
    }

    @Test func readsRowsInFieldOrderWhateverTheKeyOrder() throws {
        let decoded = try page(
            #"""
            {"data": {"total": 3, "currentTotal": 3, "dataList": [
                {"Title": "a\"b", "Price ($)": "1.5"},
                {"Price ($)": "2", "Title": "caf\u00e9 \ud83d\ude00"},
                {"Title": "x", "Extra": "", "Price ($)": null}
            ]}, "error": "success"}
            """#
        )
        #expect(decoded.total == 3)
        #expect(decoded.currentTotal == 3)
        #expect(decoded.fields == ["Title", "Price ($)", "Extra"])
        #expect(decoded.rows[0] == ["a\"b", "1.5"])
        #expect(decoded.rows[1] == ["café 😀", "2"])
        #expect(decoded.rows[2] == ["x", nil, ""])
        #expect(decoded.value("Extra", row: 0) == nil)
    }

    @Test func keepsNumbersAndBooleansAsTheirText() throws {
        let decoded = try page(#"{"error":"success","data":{"total":1,"dataList":[{"n":-1.50e3,"b":true}]}}"#)
        #expect(decoded.rows == [["-1.50e3", "true"]])
    }

    @Test func readsTheOffsetCallsExtraCounts() throws {
        let numeric = try page(#"{"data":{"offset":1234,"total":9,"restTotal":4,"dataList":[]},"error":"success"}"#)
        #expect(numeric.offset == "1234")
        #expect(numeric.restTotal == 4)
        let text = try page(
            #"{"data":{"offset":"opaque-7","total":9,"restTotal":0,"dataList":null},"error":"success"}"#
        )
        #expect(text.offset == "opaque-7")
        #expect(text.rows.isEmpty)
    }

    /// Whether an answer without rows carries `"data": null` or `{"total": 0, …}` is undocumented: both
    /// are an empty page, on every data call, whatever the member order.
    @Test(arguments: [
        #"{"data":null,"error":"success"}"#,
        #"{"error":"success","data":null}"#,
        #"{ "data" : null }"#,
        #"{"data":{"total":0,"currentTotal":0,"dataList":[]},"error":"success"}"#,
        #"{"data":{"total":3,"dataList":[{"a":"b"}]},"data":null,"error":"success"}"#,
    ])
    func anAnswerWithoutRowsIsAnEmptyPage(body: String) throws {
        let decoded = try page(body)
        #expect(decoded.total == 0 && decoded.fields.isEmpty && decoded.rows.isEmpty && decoded.offset == nil)
        // Only an answer that wrote its total says what the API counts.
        #expect(decoded.totalIsReported == body.contains("\"total\":0"))
    }

    @Test func aDataMemberThatIsNeitherAPageNorNullIsMalformedEvenAfterAPage() {
        let body = #"{"data":{"total":0,"dataList":[]},"data":5,"error":"success"}"#
        #expect(throws: OctoparseAnswerError.malformed("no \"data\" object")) { try page(body) }
        #expect(throws: OctoparseAnswerError.api(code: "taskid_error", description: "x")) {
            try page(#"{"data":null,"error":"taskid_error","error_Description":"x"}"#)
        }
    }

    @Test(arguments: [
        (
            #"{"error":"unauthorized","error_Description":"access_token invalid"}"#, "unauthorized",
            "access_token invalid"
        ),
        (#"{"data":null,"error":"taskid_error","error_Description":"no such task"}"#, "taskid_error", "no such task"),
        (#"{"error":"invalid_grant","error_description":"bad password"}"#, "invalid_grant", "bad password"),
        (
            #"{"message":"The requested resource does not support http method 'POST'."}"#, "error",
            "The requested resource does not support http method 'POST'."
        ),
    ])
    func errorEnvelopesBecomeAPIErrors(body: String, code: String, description: String) {
        #expect(throws: OctoparseAnswerError.api(code: code, description: description)) { try page(body) }
        #expect(throws: OctoparseAnswerError.api(code: code, description: description)) {
            try OctoparseDecoding.envelopeData(Array(body.utf8))
        }
    }

    @Test(arguments: [
        "",
        "<html>502 Bad Gateway</html>",
        #"{"data":{"total":1,"dataList":[{"a":"b"}"#,
        #"{"data":{"total":1,"dataList":[{"a":{"nested":"x"}}]},"error":"success"}"#,
        #"{"data":{"total":"1","dataList":[]},"error":"success"}"#,
        #"{"data":{"total":-1,"dataList":[]},"error":"success"}"#,
        #"{"data":{"dataList":[]},"error":"success"}"#,
        #"{"data":{"total":0},"error":"success"}"#,
        #"{"data":{"total":1,"dataList":[["a"]]},"error":"success"}"#,
        #"{"data":{"total":1,"dataList":[{"a":"b",}]},"error":"success"}"#,
        #"{"error":"success"}"#,
        #"{"data":{"total":0,"dataList":[]},"error":7}"#,
        "{\"data\":{\"total\":1,\"dataList\":[{\"a\":\"\u{01}\"}]},\"error\":\"success\"}",
    ])
    func malformedBodiesAreRefused(body: String) {
        #expect {
            try page(body)
        } throws: { error in
            guard case .malformed = error as? OctoparseAnswerError else { return false }
            return true
        }
    }

    @Test func refusesInvalidUTF8() {
        var bytes = Array(#"{"data":{"total":1,"dataList":[{"a":"x"#.utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(#""}]},"error":"success"}"#.utf8)
        #expect(throws: OctoparseAnswerError.self) { try OctoparseDecoding.page(bytes) }
    }
}
