import Foundation
import HarvestCore
import HarvestSimulator
import Testing

@Suite struct OctoparseDataTests {
    private func snapshot(seed: UInt64) -> (ids: [String], rows: [[SimulatedRow]]) {
        let simulator = OctoparseSimulator(configuration: octoparseConfiguration().octoparse, seed: seed)
        let tasks = simulator.tasks()
        return (tasks.map(\.id), tasks.map { Array(simulator.rows(taskID: $0.id)!.prefix(300)) })
    }

    @Test func theSameSeedGivesTheSameTasksAndRowsAndAnotherSeedOthers() {
        let one = snapshot(seed: 7)
        let same = snapshot(seed: 7)
        let other = snapshot(seed: 8)
        #expect(one.ids == same.ids)
        #expect(one.rows == same.rows)
        #expect(Set(one.ids).isDisjoint(with: other.ids))
        #expect(one.rows != other.rows)
    }

    @Test func aRowIsTheSameHoweverItIsReached() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .large).id
            let byPage = try await session.data(
                "/api/alldata",
                [("taskid", taskID), ("pageindex", "41"), ("pagesize", "100")]
            )
            let rows = try #require(simulator.octoparse.rows(taskID: taskID))
            #expect(byPage["dataList"] == .array(rows[4_000..<4_100].map(apiObject)))
            let storage = rows.map(\.storageTime)
            #expect(zip(storage, storage.dropFirst()).allSatisfy { $0 <= $1 })
            // Dense seconds and sparse stretches both occur.
            let gaps = zip(storage, storage.dropFirst()).map { $1.timeIntervalSince($0) }
            #expect(gaps.filter { $0 == 0 }.count > 500)
            #expect(gaps.contains { $0 > 3_600 })
        }
    }

    @Test func theNastyTaskHoldsWhatBreaksCarelessClients() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .nasty).id
            let exchange = try await session.get(
                "/api/alldata",
                [("taskid", taskID), ("pageindex", "1"), ("pagesize", "1000")]
            )
            // Control characters arrive escaped, and the page is valid JSON.
            #expect(exchange.text.contains(#"\u0001"#))
            let rows = try #require(try exchange.field("data")?["dataList"]?.array).map { row -> [String: String] in
                guard case .object(let fields) = row else { return [:] }
                return fields.compactMapValues(\.string)
            }
            #expect(rows.count == 300)

            let names = Set(rows.flatMap(\.keys))
            for name in ["High Temp", "high_temp", #"x"); DROP TABLE t;--"#, "Ünïcödé 名前 🎉", "ID", "Added Later"] {
                #expect(names.contains(name), "\(name)")
            }
            let firstWithLateField = try #require(rows.firstIndex { $0["Added Later"] != nil })
            #expect(firstWithLateField == 200)
            #expect(rows[200...].allSatisfy { $0["Added Later"] != nil })

            let values = rows.flatMap(\.values)
            #expect(values.contains(""))
            #expect(values.contains { $0.unicodeScalars.contains { $0.properties.isEmoji && $0.value > 0xFFFF } })
            #expect(values.contains { $0.contains("\n") && $0.contains("\"") })
            #expect(values.contains { $0.utf8.count >= 100_000 })
            #expect(values.contains("null"))

            // Identical rows are separate rows: the duplicates are there, and the truth stores them in one second.
            let counts = multiset(rows.map { .object($0.mapValues(JSONValue.string)) })
            #expect(counts.values.contains(2))
            #expect(counts.values.contains(3))
            let truth = try await truthRows(endpoints, taskID)
            let duplicates = zip(truth, truth.dropFirst()).filter { $0.row == $1.row }
            #expect(!duplicates.isEmpty && duplicates.allSatisfy { $0.storageTime == $1.storageTime })
            #expect(multiset(truth.map(\.row)) == counts)
        }
    }
}
