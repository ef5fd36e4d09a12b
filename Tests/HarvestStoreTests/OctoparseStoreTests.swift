import Foundation
import GRDB
import HarvestCore
import HarvestStore
import Testing

/// Storing Octoparse rows: identity, columns, cursor, reset.
@Suite struct OctoparseStoreTests {
    private let id = try! TaskID(parsing: "11111111-4e5f-6789-abcd-ef0123456789")

    private func setUp() throws -> (TemporaryDirectory, HarvestDatabase) {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        try database.addTask(try TaskRegistration(id: id, name: "Prices"), now: referenceNow)
        return (directory, database)
    }

    private func rows(_ database: HarvestDatabase, _ sql: String) throws -> [Row] {
        try database.writer.read { db in try Row.fetchAll(db, sql: sql) }
    }

    private let page = OctoparsePage(
        total: 3,
        fields: ["Title", "x\"); DROP TABLE octoparse_tasks;--"],
        rows: [["a", "1"], ["a", "1"], ["b", nil]]
    )

    @Test func aWindowFetchedTwiceStoresEachRowOnceAndKeepsIdenticalRows() throws {
        let (directory, database) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        let window = try database.recordWindow(
            taskID: id,
            window: StorageWindow(from: 1_000, to: 2_000),
            now: referenceNow
        )
        var keys = WindowRowKeys()
        let first = try store(database, page, window: window.id, keys: &keys, completes: true)
        var again = WindowRowKeys()
        let second = try store(database, page, window: window.id, keys: &again, completes: true)
        #expect(first == 3)
        #expect(second == 0)
        let stored = try rows(
            database,
            #"SELECT title, "x_drop_table_octoparse_tasks" AS odd FROM data_prices ORDER BY _id"#
        )
        #expect(stored.map { $0["title"] as String? } == ["a", "a", "b"])
        #expect(stored.map { $0["odd"] as String? } == ["1", "1", nil])
        let task = try database.task(id: id)
        #expect(task.rowsHarvested == 3)
        #expect(task.cursor == UTCTime.format(Date(timeIntervalSince1970: 2_000)))
        let columns = try rows(database, "SELECT field_name, column_name FROM octoparse_columns ORDER BY position")
        #expect(columns.map { $0["field_name"] as String } == page.fields)
        #expect(columns.map { $0["column_name"] as String } == ["title", "x_drop_table_octoparse_tasks"])
    }

    /// Stores `page` in window `windowID` with `keys`; returns the rows inserted.
    private func store(
        _ database: HarvestDatabase,
        _ page: OctoparsePage,
        window windowID: Int64,
        keys: inout WindowRowKeys,
        completes: Bool = false,
        caughtUp: Bool = false
    ) throws -> Int {
        try database.storeWindowPage(
            taskID: id,
            windowID: windowID,
            page: page,
            keys: &keys,
            completes: completes,
            caughtUp: caughtUp,
            now: referenceNow
        )
    }

    @Test func aPageEncodedAheadAndTheSamePageReadAgainPlainStoreItsRowsOnce() throws {
        let (directory, database) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        let window = try database.recordWindow(taskID: id, window: StorageWindow(from: 1, to: 2), now: referenceNow)
        var encoded = page
        encoded.encodeRows()
        var first = WindowRowKeys()
        var second = WindowRowKeys()
        #expect(try store(database, encoded, window: window.id, keys: &first) == 3)
        #expect(try store(database, page, window: window.id, keys: &second) == 0)
        #expect(try rows(database, "SELECT count(*) FROM data_prices")[0][0] as Int == 3)
    }

    @Test func twoPassesOverOneWindowInterleavedStoreEachRowOnce() throws {
        // Two processes reading the same window at once (a lease taken over): each sees what the other
        // stored before its own page commits.
        let (directory, database) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        let window = try database.recordWindow(taskID: id, window: StorageWindow(from: 1, to: 2), now: referenceNow)
        let firstPage = OctoparsePage(total: 4, fields: ["Title"], rows: [["a"], ["a"]])
        let secondPage = OctoparsePage(total: 4, fields: ["Title"], rows: [["a"], ["b"]])
        var one = WindowRowKeys()
        var other = WindowRowKeys()
        #expect(try store(database, firstPage, window: window.id, keys: &one) == 2)
        #expect(try store(database, firstPage, window: window.id, keys: &other) == 0)
        #expect(try store(database, secondPage, window: window.id, keys: &other) == 2)
        #expect(try store(database, secondPage, window: window.id, keys: &one) == 0)
        let titles = try rows(database, "SELECT title FROM data_prices ORDER BY title").map { $0["title"] as String }
        #expect(titles == ["a", "a", "a", "b"])
    }

    @Test func aTableWithAUniqueKeyIndexStillSkipsRowsItHolds() throws {
        // Tables created before migration 0004 dedup through a unique index rather than stored key batches.
        let (directory, database) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        let window = try database.recordWindow(taskID: id, window: StorageWindow(from: 1, to: 2), now: referenceNow)
        var keys = WindowRowKeys()
        #expect(try store(database, page, window: window.id, keys: &keys) == 3)
        try database.writer.write { db in
            try db.execute(sql: "CREATE UNIQUE INDEX data_prices_row_key ON data_prices (_storage_window, _row_key)")
            try db.execute(sql: "DELETE FROM octoparse_window_keys")
        }
        var again = WindowRowKeys()
        #expect(try store(database, page, window: window.id, keys: &again) == 0)
        #expect(try rows(database, "SELECT count(*) FROM data_prices")[0][0] as Int == 3)
    }

    @Test func aNewFieldAddsAColumnWithoutTouchingOldRows() throws {
        let (directory, database) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        let window = try database.recordWindow(
            taskID: id,
            window: StorageWindow(from: 1_000, to: 2_000),
            now: referenceNow
        )
        var keys = WindowRowKeys()
        _ = try store(database, page, window: window.id, keys: &keys)
        let later = OctoparsePage(total: 4, fields: ["Title", "title"], rows: [["c", "C"]])
        _ = try store(database, later, window: window.id, keys: &keys, completes: true, caughtUp: true)
        let stored = try rows(database, "SELECT title, title_2 FROM data_prices ORDER BY _id")
        #expect(stored.map { $0["title_2"] as String? } == [nil, nil, nil, "C"])
        #expect(try database.task(id: id).caughtUp)
    }

    @Test func theCursorOnlyMovesOverCompleteWindowsThatStartAtIt() throws {
        let (directory, database) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        let first = try database.recordWindow(
            taskID: id,
            window: StorageWindow(from: 1_000, to: 2_000),
            now: referenceNow
        )
        var keys = WindowRowKeys()
        _ = try store(database, page, window: first.id, keys: &keys)
        #expect(try database.task(id: id).cursor == nil)
        #expect(try database.openWindow(taskID: id)?.id == first.id)
        _ = try store(database, page, window: first.id, keys: &keys, completes: true)
        #expect(try database.openWindow(taskID: id) == nil)
        let later = UTCTime.format(referenceNow.addingTimeInterval(1))
        let due = try database.windowsDueForRecheck(
            taskID: id,
            endingAfter: Date(timeIntervalSince1970: 1_500),
            checkedBefore: later
        )
        #expect(due.map(\.id) == [first.id])
        #expect(due.first?.total == 3)
        // Checked now, it is not due again until a later check.
        try database.markWindowsChecked(ids: [first.id], now: referenceNow.addingTimeInterval(1))
        #expect(
            try database.windowsDueForRecheck(
                taskID: id,
                endingAfter: Date(timeIntervalSince1970: 1_500),
                checkedBefore: later
            ).isEmpty
        )
    }

    @Test func resetDeletesRowsAndWindowsFromTheGivenTimeAndMovesTheCursorBack() throws {
        let (directory, database) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        for (from, to) in [(1_000, 2_000), (2_000, 3_000), (3_000, 4_000)] {
            let window = try database.recordWindow(
                taskID: id,
                window: StorageWindow(from: Int64(from), to: Int64(to)),
                now: referenceNow
            )
            var keys = WindowRowKeys()
            _ = try store(database, page, window: window.id, keys: &keys, completes: true, caughtUp: true)
        }
        let summary = try database.resetTask(
            taskID: id,
            from: Date(timeIntervalSince1970: 2_500),
            owner: "cli",
            now: referenceNow
        )
        #expect(summary.rowsDeleted == 6)
        #expect(summary.windowsDeleted == 2)
        #expect(summary.cursor == Date(timeIntervalSince1970: 2_000))
        let task = try database.task(id: id)
        #expect(task.rowsHarvested == 3)
        #expect(task.cursor == UTCTime.format(Date(timeIntervalSince1970: 2_000)))
        #expect(!task.caughtUp)
        #expect(try rows(database, "SELECT count(*) AS n FROM data_prices").first?["n"] as Int? == 3)
        // The kept window's keys stay; the deleted windows' keys go with them, so re-reading stores again.
        #expect(try rows(database, "SELECT count(*) AS n FROM octoparse_window_keys").first?["n"] as Int? == 1)
    }

    @Test func resetIsRefusedWhileAServiceSyncsTheTask() throws {
        let (directory, database) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        let claimed = try database.claimDueTask(owner: "serve-1", lease: .seconds(60), now: referenceNow)
        #expect(claimed?.taskID == id.rawValue)
        #expect(try database.claimDueTask(owner: "serve-2", lease: .seconds(60), now: referenceNow) == nil)
        #expect(throws: StoreError.self) {
            try database.resetTask(taskID: id, from: referenceNow, owner: "cli", now: referenceNow)
        }
        // An expired lease is taken over.
        let later = referenceNow.addingTimeInterval(61)
        #expect(try database.claimDueTask(owner: "serve-2", lease: .seconds(60), now: later)?.taskID == id.rawValue)
    }

    @Test func discoveryStoresTasksDisabledUntilEnabled() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        let other = try TaskID(parsing: "22222222-4e5f-6789-abcd-ef0123456789")
        let found = [
            DiscoveredTask(id: id, name: "Prices", groupID: 7), DiscoveredTask(id: other, name: "", groupID: 7),
        ]
        let first = try database.storeDiscovery(groups: [(7, "Shop")], tasks: found, enable: false, now: referenceNow)
        #expect(first.new == 2 && first.enabled == 0 && first.tasks == 2)
        #expect(try database.tasks().allSatisfy { !$0.enabled })
        #expect(try database.claimDueTask(owner: "o", lease: .seconds(5), now: referenceNow) == nil)
        let second = try database.storeDiscovery(groups: [(7, "Shop")], tasks: found, enable: true, now: referenceNow)
        #expect(second.new == 0 && second.enabled == 2)
        #expect(try database.task(id: other).tableName == "data_22222222")
        // `tasks add` on a discovered task registers it instead of refusing.
        let third = try TaskID(parsing: "33333333-4e5f-6789-abcd-ef0123456789")
        _ = try database.storeDiscovery(
            groups: [],
            tasks: [DiscoveredTask(id: third, name: "T", groupID: 7)],
            enable: false,
            now: referenceNow
        )
        let added = try database.addTask(try TaskRegistration(id: third, mode: .offset), now: referenceNow)
        #expect(added.enabled)
        #expect(added.mode == .offset)
        #expect(added.name == "T")
    }
}
