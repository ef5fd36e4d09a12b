import Foundation
import FuzzSupport
import HarvestCore

/// `OxylabsDecoding`: job objects (submit and status answers, and the body of every callback, which
/// anyone who learns the URL can post), batch answers, results, callbacker IPs and error bodies.
///
/// Properties: decoding never crashes; an answer is only read from valid JSON; a job is accepted exactly
/// when it is an object with a decimal string id and a string status; result pages are numbered 1…100,000
/// and their parsed content is canonical JSON; messages never quote the body (short, printable).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOxylabs(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let body = Data(FuzzInput(start, count).bytes)
    let generic = try? JSONParser.parse(body)

    let job = Result { () throws(OxylabsDecoding.Malformed) in try OxylabsDecoding.job(body) }
    switch job {
    case .success(let job):
        expect(generic != nil, "a job was read from invalid JSON")
        expectJob(job, from: generic)
    case .failure(let error):
        expectPrintable(error.description, limit: 512)
        if let generic { expect(!isJob(generic), "a well-formed job was refused: \(error)") }
    }

    switch Result(catching: { () throws(OxylabsDecoding.Malformed) in try OxylabsDecoding.batch(body) }) {
    case .success(let jobs):
        guard case .array(let values)? = generic?["queries"] else { return abortBecause("batch without queries") }
        expect(jobs.count == values.count, "\(jobs.count) jobs from \(values.count) queries")
        for (job, value) in zip(jobs, values) { expectJob(job, from: value) }
    case .failure(let error): expectPrintable(error.description, limit: 512)
    }

    for requested in [[ResultType.png], [.raw, .parsed]] {
        let results = Result { () throws(OxylabsDecoding.Malformed) in
            try OxylabsDecoding.results(body, requested: requested)
        }
        switch results {
        case .success(.pages(let pages, let job)):
            guard case .array(let entries)? = generic?["results"] else { return abortBecause("results without list") }
            expect(pages.count == entries.count, "\(pages.count) pages from \(entries.count) entries")
            for page in pages {
                expect((1...100_000).contains(page.page), "page number \(page.page)")
                if case .json(let text) = page.content {
                    let value = try? JSONValue.parse(text)
                    expect(value?.canonicalText == text, "parsed content is not canonical JSON")
                }
                if case .bytes = page.content { expect(page.type == .png, "bytes for a \(page.type) result") }
            }
            if let job { expectJob(job, from: generic?["job"]) }
        case .success(.untyped(let job)):
            expect(requested.count > 1, "entries without a type although one type was asked for")
            if let job { expectJob(job, from: generic?["job"]) }
        case .failure(let error): expectPrintable(error.description, limit: 512)
        }
    }

    switch Result(catching: { () throws(OxylabsDecoding.Malformed) in try OxylabsDecoding.callbackerIPs(body) }) {
    case .success(let ips):
        guard case .array(let values)? = generic?["ips"] else { return abortBecause("ips without list") }
        expect(ips.count <= values.count, "more addresses than entries")
    case .failure(let error): expectPrintable(error.description, limit: 512)
    }

    if let message = OxylabsDecoding.errorMessage(body) {
        expect(
            generic?["message"]?.stringValue == message || generic?["errors"]?["message"]?.stringValue == message,
            "an error message that is not in the body"
        )
    }
    return 0
}

private func abortBecause(_ reason: String) -> CInt {
    expect(false, reason)
    return 0
}

/// What `job(from:)` must accept: an object with a non-empty decimal string `id` and a string `status`.
private func isJob(_ value: JSONValue) -> Bool {
    guard case .object(let fields) = value, case .string(let id)? = fields["id"], case .string? = fields["status"]
    else { return false }
    return !id.isEmpty && id.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
}

private func expectJob(_ job: RemoteJob, from value: JSONValue?) {
    guard let value else { return expect(false, "a job from nothing") }
    expect(isJob(value), "a job was read from a value that is not one")
    expect(job.id == value["id"]?.stringValue, "job id \(job.id) differs from the body's")
    expect(!job.id.isEmpty && job.id.utf8.allSatisfy { (48...57).contains($0) }, "job id \(job.id) is not decimal")
    let status = value["status"]?.stringValue ?? ""
    expect(job.status == RemoteJobStatus(status), "status \(job.status) from \(status)")
    if let created = job.createdAt {
        expect(created.timeIntervalSince1970.isFinite, "a created_at that is not a finite time")
    }
}
