import Foundation
import HarvestCore
import Testing

private func requests(_ text: String) throws -> [(Int, JobRequest)] {
    try requests(Data(text.utf8))
}

private func requests(_ data: Data) throws -> [(Int, JobRequest)] {
    var collected: [(Int, JobRequest)] = []
    try JobLines(data, resultTypes: nil).forEachJob { collected.append(($0, $1)) }
    return collected
}

@Suite struct JobLinesTests {
    @Test func aByteOrderMarkBeforeTheFirstLineIsSkipped() throws {
        let found = try requests(
            Data([0xEF, 0xBB, 0xBF]) + Data(#"{"source":"universal","url":"https://a.com"}"#.utf8)
        )
        #expect(found.map(\.0) == [1])
        #expect(found[0].1.url == "https://a.com")
        // Anywhere else it is what it is: not JSON.
        let later =
            Data("\n".utf8) + Data([0xEF, 0xBB, 0xBF]) + Data(#"{"source":"universal","url":"https://a.com"}"#.utf8)
        #expect(throws: InputError.self) { try requests(later) }
    }

    @Test func skipsBlankLinesAndKeepsLineNumbers() throws {
        let text = """
            {"source":"universal","url":"https://a.com"}

            {"source":"google_search","query":"q"}\r
               \t
            {"source":"universal","url":"https://c.com"}
            """
        let found = try requests(text)
        #expect(found.map(\.0) == [1, 3, 5])
        #expect(found[1].1.query == "q")
        #expect(found[1].1.payloadText == #"{"source":"google_search","query":"q"}"#)
        #expect(try JobLines(Data(text.utf8), resultTypes: nil).validate() == 3)
    }

    @Test(arguments: [
        ("{\"source\":\"universal\",\"url\":\"https://a.com\"}\n{\"source\":\"universal\"", "line 2: not valid JSON"),
        ("{\"source\":\"universal\",\"url\":\"https://a.com\"}\n\n[1,2]\n", "line 3: a job must be a JSON object"),
        ("{\"source\":\"universal\",\"url\":\"https://a.com\",\"render\":\"gif\"}", "line 1: \"render\" must be"),
        (
            "{\"source\":\"universal\",\"url\":\"https://a.com\"}\n{\"source\":\"universal\",\"url\":\"https://a.com\"}\u{0}\n",
            "line 2: contains a NUL byte"
        ),
    ])
    func namesTheLineOfTheFirstError(text: String, expected: String) {
        #expect {
            try JobLines(Data(text.utf8), resultTypes: nil).validate()
        } throws: { error in
            (error as? InputError)?.message.hasPrefix(expected) == true
        }
    }

    @Test func rejectsInvalidUTF8AndHugeLines() {
        var invalid = Data(#"{"source":"universal","url":"https://a.com/"#.utf8)
        invalid.append(contentsOf: [0xFF, 0xFE])
        invalid.append(contentsOf: Array(#""}"#.utf8))
        #expect(throws: InputError("line 1: not valid UTF-8")) { try requests(invalid) }

        let huge =
            #"{"source":"universal","url":"https://a.com","x":""#
            + String(repeating: "a", count: JobLines.maximumLineBytes) + #""}"#
        #expect(throws: InputError("line 1: longer than \(JobLines.maximumLineBytes) bytes")) { try requests(huge) }
    }

    @Test func appliesResultTypesToEveryLine() throws {
        let text = #"{"source":"universal","url":"https://a.com","render":"png"}"#
        var types: [[ResultType]] = []
        try JobLines(Data(text.utf8), resultTypes: [.raw, .png]).forEachJob { _, request in
            types.append(request.resultTypes)
        }
        #expect(types == [[.raw, .png]])
    }
}
