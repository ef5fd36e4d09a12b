import Foundation
import FuzzSupport
import HarvestCore

/// `JobLines` and `JobRequest.validate`: `harvest jobs submit --file` and the admin API's body.
///
/// The first byte picks `--results` (none, or a set of types); the rest is the file. Properties: reading
/// never crashes; a file is all accepted or refused at its first bad line, named by a number within the
/// file; an accepted line gives a request with a lower-case source, exactly one of an http(s) url or a
/// non-empty query, result types that are sorted, distinct and consistent with `parse`/`render`, the
/// line's own text as payload and a 24-digit hex batch key, and validating the payload again gives the
/// same request; every error message is printable and short, whatever the line held.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJobLines(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    var input = FuzzInput(start, count)
    let choice = input.byte()
    let resultTypes: [ResultType]? =
        choice & 0x80 == 0
        ? nil : ResultType.allCases.enumerated().filter { choice >> $0.offset & 1 == 1 }.map(\.element)
    let data = Data(input.bytes)
    let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)

    var accepted: [(line: Int, request: JobRequest)] = []
    do {
        try JobLines(data, resultTypes: resultTypes).forEachJob { line, request in accepted.append((line, request)) }
        let nonBlank = lines.filter { line in line.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D } }.count
        expect(accepted.count == nonBlank, "\(accepted.count) jobs from \(nonBlank) non-blank lines")
    } catch let error as InputError {
        expectPrintable(error.message)
        let number = error.message.split(separator: ":").first.flatMap { Int($0.dropFirst("line ".count)) }
        expect(error.message.hasPrefix("line ") && number != nil, "an error without its line: \(error.message)")
        if let number {
            expect((1...lines.count).contains(number), "line \(number) of \(lines.count)")
            expect(accepted.allSatisfy { $0.line < number }, "a job accepted after the bad line")
        }
    } catch {
        expect(false, "an error that is not an InputError: \(error)")
    }
    for (_, request) in accepted { expectRequest(request, resultTypes: resultTypes) }
    return 0
}

private func expectRequest(_ request: JobRequest, resultTypes: [ResultType]?) {
    let source = Array(request.source.utf8)
    expect(
        (1...64).contains(source.count) && (97...122).contains(source[0])
            && source.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 0x5F },
        "source \(request.source.debugDescription)"
    )
    expect((request.url == nil) != (request.query == nil), "not exactly one of url and query")
    if let url = request.url {
        let scheme = URL(string: url)?.scheme?.lowercased()
        expect(scheme == "http" || scheme == "https", "url \(url.debugDescription)")
    }
    if let query = request.query { expect(query.contains { !$0.isWhitespace }, "a blank query") }
    expect(!request.resultTypes.isEmpty, "no result types")
    expect(request.resultTypes == Array(Set(request.resultTypes)).sorted(), "result types \(request.resultTypes)")
    if let resultTypes { expect(request.resultTypes == resultTypes.sorted(), "--results not applied") }
    guard let payload = try? JSONValue.parse(request.payloadText) else {
        return expect(false, "the payload text is not JSON")
    }
    if request.resultTypes.contains(.parsed) { expect(payload["parse"] == .bool(true), "parsed without parse") }
    if request.resultTypes.contains(.png) { expect(payload["render"] == .string("png"), "png without render png") }
    expect(
        request.batchKey.utf8.count == 24
            && request.batchKey.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) },
        "batch key \(request.batchKey)"
    )
    let again = try? JobRequest.validate(payload, payloadText: request.payloadText, resultTypes: resultTypes)
    expect(again == request, "validating the payload again gives \(String(describing: again))")
}
