import Foundation
import HarvestStore
import Testing

/// The binary carries `migrations/` as generated Swift; this proves the two are identical.
@Suite struct EmbeddedMigrationsTests {
    @Test func embeddedMigrationsMatchTheSQLFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = root.appendingPathComponent("migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(!files.isEmpty)
        #expect(
            Migration.all.map(\.fileName) == files,
            "migrations/ and the embedded list differ: run `make migrations`"
        )
        for migration in Migration.all where files.contains(migration.fileName) {
            let text = try String(contentsOf: directory.appendingPathComponent(migration.fileName), encoding: .utf8)
            #expect(
                text == migration.sql,
                "\(migration.fileName) differs from its embedded copy: run `make migrations`"
            )
        }
    }
}
