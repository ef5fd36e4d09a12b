import Foundation
import HarvestStore

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
