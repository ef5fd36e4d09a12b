import Foundation
import HarvestCore
import HarvestStore
import Testing

/// A fresh directory per test, removed afterwards; databases are real files in it.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("harvest-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// A migrated database in this directory.
    func database(_ name: String = "harvest.sqlite") throws -> HarvestDatabase {
        try HarvestDatabase(path: path(name))
    }
}

let referenceNow = Date(timeIntervalSince1970: 1_790_000_000)

extension HarvestDatabase {
    /// Queues one job for `https://a.com` (raw results), at `referenceNow`.
    func enqueueOneJob() throws {
        try enqueueJobs(now: referenceNow) { enqueue in
            _ = try enqueue(
                try JobRequest.fromFlags(
                    source: "universal",
                    url: "https://a.com",
                    query: nil,
                    parameters: [],
                    resultTypes: nil
                ),
                nil
            )
        }
    }

    /// Queues one job and claims it for submission by `owner`: it is `submitting`, leased for a minute.
    func claimedOneJob(owner: String) throws -> PipelineJob {
        try enqueueOneJob()
        return try #require(
            try claimJobsForSubmission(limit: 1, now: referenceNow, owner: owner, lease: .seconds(60)).first
        )
    }
}
