import HarvestCore
import Testing

/// Whether a 200 results answer is stored never rests on its optional `job` object or on a callback.
@Suite struct ResultsVerdictTests {
    @Test func theAnswersOwnJobDecides() {
        for statusSaidDone in [true, false] {
            #expect(ResultsVerdict.of(answered: .done, statusSaidDone: statusSaidDone) == .store)
            #expect(ResultsVerdict.of(answered: .faulted, statusSaidDone: statusSaidDone) == .faulted)
            #expect(ResultsVerdict.of(answered: .pending, statusSaidDone: statusSaidDone) == .notReady)
            #expect(ResultsVerdict.of(answered: .other("queued"), statusSaidDone: statusSaidDone) == .notReady)
        }
    }

    @Test func withoutAJobOnlyTheStatusEndpointSaysDone() {
        // After a poll that saw the job done, the results are its; after a callback, ask first: a faulted
        // job's results also answer 200, with stub content.
        #expect(ResultsVerdict.of(answered: nil, statusSaidDone: true) == .store)
        #expect(ResultsVerdict.of(answered: nil, statusSaidDone: false) == .askStatus)
        #expect(ResultsVerdict.afterStatus(.done) == .store)
        #expect(ResultsVerdict.afterStatus(.faulted) == .faulted)
        #expect(ResultsVerdict.afterStatus(.pending) == .notReady)
        #expect(ResultsVerdict.afterStatus(.other("stopped")) == .notReady)
    }
}
