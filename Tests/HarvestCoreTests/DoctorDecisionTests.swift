import Foundation
import HarvestCore
import Testing

/// The doctor's reading of a server's `Date` header.
struct ClockSkewTests {
    @Test func aDateHeaderIsComparedWithTheMiddleOfTheExchange() throws {
        let sent = try #require(ClockSkew.parseHTTPDate("Tue, 08 Dec 2026 01:55:59 GMT"))
        let agreeing = try #require(
            ClockSkew.measure(
                dateHeader: "Tue, 08 Dec 2026 01:56:00 GMT",
                sentAt: sent.addingTimeInterval(0.9),
                answeredAt: sent.addingTimeInterval(1.3)
            )
        )
        #expect(agreeing.isTolerable)
        let ahead = try #require(
            ClockSkew.measure(dateHeader: "Tue, 08 Dec 2026 01:57:00 GMT", sentAt: sent, answeredAt: sent)
        )
        #expect(!ahead.isTolerable)
        #expect(ahead.description == "the server's clock is 1m 2s ahead of this machine's")
        #expect(ClockSkew.measure(dateHeader: "yesterday", sentAt: sent, answeredAt: sent) == nil)
    }
}

/// The readings of an Oxylabs results answer that `harvest doctor` reports.
struct ResultsShapeTests {
    @Test func tellsWhetherEntriesCarryATypeAndTheAnswerAJob() throws {
        let typed = try ResultsShape(Data(#"{"results":[{"content":"x","type":"raw"}],"job":{"id":"1"}}"#.utf8))
        #expect(typed == ResultsShape(entriesCarryType: true, carriesJob: true))
        let old = try ResultsShape(Data(#"{"results":[{"content":"x"},{"content":"y","type":"raw"}]}"#.utf8))
        #expect(old == ResultsShape(entriesCarryType: false, carriesJob: false))
        #expect(try ResultsShape(Data(#"{"results":[]}"#.utf8)).entriesCarryType == nil)
        #expect(throws: OxylabsDecoding.Malformed.self) { try ResultsShape(Data("[]".utf8)) }
    }

    @Test func rateHeadersAreShownUnderAnyName() {
        let headers = [
            (name: "Content-Type", value: "application/json"), (name: "x-quota-jobs-per-second", value: "100"),
            (name: "X-RateLimit-Jobs-Limit", value: "50"), (name: "Authorization", value: "Basic c2VjcmV0"),
        ]
        #expect(
            RateLimitStatus.lookalikes(headers).map(\.name) == ["x-quota-jobs-per-second", "X-RateLimit-Jobs-Limit"]
        )
    }
}
