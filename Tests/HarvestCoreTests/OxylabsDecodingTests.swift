import Foundation
import HarvestCore
import Testing

@Suite struct OxylabsDecodingTests {
    @Test func readsTheJobObjectIgnoringUnknownFields() throws {
        let body = #"""
            {"id": "7123456789012345678", "status": "pending", "created_at": "2026-01-31 12:00:05",
             "updated_at": "2026-01-31 12:00:05", "client_notes": "harvest job 4", "url": null, "query": "shoes",
             "_links": [{"rel": "self", "href_list": ["http://x"]}], "brand_new_field": {"a": [1]}}
            """#
        let job = try OxylabsDecoding.job(Data(body.utf8))
        #expect(job.id == "7123456789012345678")
        #expect(job.status == .pending)
        #expect(job.createdAt.map(UTCTime.format) == "2026-01-31T12:00:05.000Z")
        #expect(job.clientNotes == "harvest job 4")
        #expect(job.url == nil)
        #expect(job.query == "shoes")
    }

    @Test(arguments: [
        #"{"id": 7123456789012345678, "status": "done"}"#,
        #"{"id": "abc", "status": "done"}"#,
        #"{"id": "1"}"#,
        #"[]"#,
        #"{"id": "1", "status": "#,
    ])
    func refusesJobsItCannotTrust(body: String) {
        #expect(throws: OxylabsDecoding.Malformed.self) { try OxylabsDecoding.job(Data(body.utf8)) }
    }

    @Test func readsResultsOfEveryType() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47]).base64EncodedString()
        let body = #"""
            {"results": [
              {"content": "<html>a</html>", "page": 1, "status_code": 200, "type": "raw", "url": "https://a.com"},
              {"content": {"parse_status_code": 12000, "b": [1, 2]}, "page": 1, "status_code": 404, "type": "parsed"},
              {"content": "\#(png)", "page": 2, "type": "png"}
            ], "job": {"id": "1", "status": "done", "updated_at": "2026-01-31 12:00:09"}}
            """#
        let results = try OxylabsDecoding.results(Data(body.utf8), requested: [.raw, .parsed, .png])
        guard case .pages(let pages, let job) = results else {
            Issue.record("read as \(results)")
            return
        }
        #expect(pages.count == 3)
        #expect(pages[0].content == .text("<html>a</html>"))
        #expect(pages[1].content == .json(#"{"b":[1,2],"parse_status_code":12000}"#))
        #expect(pages[1].statusCode == 404)
        #expect(pages[2].content == .bytes([0x89, 0x50, 0x4E, 0x47]))
        #expect(pages[2].page == 2)
        #expect(job?.status == .done)
    }

    @Test func anEntryWithoutATypeTakesTheOneTypeAskedFor() throws {
        // Older published samples have no per-entry "type" and no "job".
        let png = Data([0x89, 0x50, 0x4E, 0x47]).base64EncodedString()
        let body = #"{"results": [{"content": "\#(png)", "page": 1}, {"content": "\#(png)", "page": 2, "type": null}]}"#
        let results = try OxylabsDecoding.results(Data(body.utf8), requested: [.png])
        guard case .pages(let pages, let job) = results else {
            Issue.record("read as \(results)")
            return
        }
        #expect(pages.map(\.type) == [.png, .png])
        #expect(pages.map(\.content) == [.bytes([0x89, 0x50, 0x4E, 0x47]), .bytes([0x89, 0x50, 0x4E, 0x47])])
        #expect(job == nil)
        let parsed = try OxylabsDecoding.results(
            Data(#"{"results": [{"content": {"parse_status_code": 12000}}]}"#.utf8),
            requested: [.parsed]
        )
        #expect(
            parsed
                == .pages(
                    [
                        ResultPage(
                            type: .parsed,
                            page: 1,
                            statusCode: nil,
                            url: nil,
                            content: .json(#"{"parse_status_code":12000}"#)
                        )
                    ],
                    job: nil
                )
        )
    }

    @Test func entriesWithoutATypeForSeveralTypesAskedForAreUntyped() throws {
        let body = #"""
            {"results": [{"content": "<html></html>", "page": 1, "type": "raw"}, {"content": {"a": 1}, "page": 1}],
             "job": {"id": "1", "status": "done"}}
            """#
        let results = try OxylabsDecoding.results(Data(body.utf8), requested: [.raw, .parsed])
        #expect(results == .untyped(job: RemoteJob(id: "1", status: .done)))
    }

    @Test(arguments: [
        (#"{"results": [{"content": "x", "type": "html"}]}"#, #"unknown "type" "html""#),
        (#"{"results": [{"content": "x", "type": 3}]}"#, #""type" is not a string"#),
    ])
    func refusesATypeItDoesNotKnow(body: String, reason: String) {
        #expect {
            try OxylabsDecoding.results(Data(body.utf8), requested: [.raw])
        } throws: { error in
            (error as? OxylabsDecoding.Malformed)?.reason.contains(reason) == true
        }
    }

    @Test func readsBothErrorEnvelopes() {
        #expect(OxylabsDecoding.errorMessage(Data(#"{"message": "Invalid URL"}"#.utf8)) == "Invalid URL")
        #expect(
            OxylabsDecoding.errorMessage(Data(#"{"errors": {"message": "Unsupported source"}}"#.utf8))
                == "Unsupported source"
        )
        #expect(OxylabsDecoding.errorMessage(Data("<html>524</html>".utf8)) == nil)
    }
}
