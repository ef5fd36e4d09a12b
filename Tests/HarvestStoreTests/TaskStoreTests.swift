import Foundation
import HarvestCore
import HarvestStore
import Testing

@Suite struct TaskStoreTests {
    @Test func tasksGetUniqueTableNames() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        let first = try TaskID(parsing: "11111111-4e5f-6789-abcd-ef0123456789")
        let second = try TaskID(parsing: "22222222-4e5f-6789-abcd-ef0123456789")
        let third = try TaskID(parsing: "33333333-4e5f-6789-abcd-ef0123456789")
        let a = try database.addTask(try TaskRegistration(id: first, name: "Prices EU"), now: referenceNow)
        let b = try database.addTask(try TaskRegistration(id: second, name: "prices-eu"), now: referenceNow)
        let c = try database.addTask(try TaskRegistration(id: third), now: referenceNow)
        #expect(a.tableName == "data_prices_eu")
        #expect(b.tableName == "data_prices_eu_22222222")
        #expect(c.tableName == "data_33333333")
        #expect(try database.tasks().count == 3)
        #expect(throws: StoreError.taskExists(first.rawValue)) {
            try database.addTask(try TaskRegistration(id: first), now: referenceNow)
        }
    }

    @Test func registrationIsStoredAsGiven() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        let id = try TaskID(parsing: "11111111-4e5f-6789-abcd-ef0123456789")
        let from = try TimeInput.parse("2026-11-01 00:00:00", defaultZone: .octoparseDefault)
        try database.addTask(
            try TaskRegistration(id: id, name: "n", syncEvery: 600, startFrom: from),
            now: referenceNow
        )
        let task = try database.task(id: id)
        #expect(task.mode == .byTime)
        #expect(task.syncEvery == 600)
        #expect(task.startFrom == "2026-10-31T16:00:00.000Z")
        #expect(task.enabled)
        #expect(throws: StoreError.taskNotFound("22222222-4e5f-6789-abcd-ef0123456789")) {
            try database.task(id: try TaskID(parsing: "22222222-4e5f-6789-abcd-ef0123456789"))
        }
    }
}
