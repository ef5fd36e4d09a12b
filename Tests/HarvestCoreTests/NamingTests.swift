import Foundation
import HarvestCore
import Testing

@Suite struct NamingTests {
    @Test(arguments: [
        ("Prices EU", "prices_eu"),
        ("  My Prices (EU) 2026!! ", "my_prices_eu_2026"),
        ("Café Crème", "cafe_creme"),
        ("价格", ""),
        ("", ""),
        ("x\"); DROP TABLE t;--", "x_drop_table_t"),
    ])
    func slugs(name: String, slug: String) {
        #expect(TableName.slug(name) == slug)
    }

    @Test func slugsAreCut() {
        #expect(TableName.slug(String(repeating: "ab ", count: 100)).count <= TableName.maximumSlugLength)
    }

    @Test func tableNamesFallBackToTheTaskID() throws {
        let id = try TaskID(parsing: "6A1B2C3D-4E5F-6789-ABCD-EF0123456789")
        #expect(id.rawValue == "6a1b2c3d-4e5f-6789-abcd-ef0123456789")
        #expect(TableName.forTask(name: "Prices", id: id) { _ in false } == "data_prices")
        #expect(TableName.forTask(name: "Prices", id: id) { $0 == "data_prices" } == "data_prices_6a1b2c3d")
        #expect(TableName.forTask(name: "价格", id: id) { _ in false } == "data_6a1b2c3d")
    }

    /// GUIDs in any case and with braces, and the seed's `taskid1` and `1234ABCD`: a GUID is lower-cased,
    /// any other id kept as given (whether the API ignores its case is unknown).
    @Test(arguments: [
        ("6A1B2C3D-4E5F-6789-ABCD-EF0123456789", "6a1b2c3d-4e5f-6789-abcd-ef0123456789"),
        ("{6a1b2c3d-4e5f-6789-abcd-ef0123456789}", "6a1b2c3d-4e5f-6789-abcd-ef0123456789"),
        (" taskid1 ", "taskid1"),
        ("1234ABCD", "1234ABCD"),
        ("{1234ABCD}", "1234ABCD"),
        ("Task_2-b", "Task_2-b"),
        ("6A1B2C3D-4E5F-6789-ABCD-EF012345678", "6A1B2C3D-4E5F-6789-ABCD-EF012345678"),
        (String(repeating: "x", count: 64), String(repeating: "x", count: 64)),
    ])
    func acceptsTheSeedsTaskIDsAndGUIDs(text: String, stored: String) throws {
        #expect(try TaskID(parsing: text).rawValue == stored)
    }

    @Test(arguments: [
        "", "{}", "-", "_-_", "../etc/passwd", "task id", "taskid1;DROP TABLE t", "caf\u{e9}", "a\u{0}b", "a.b",
        "{{taskid1}}", "x\u{1B}[2J", String(repeating: "x", count: 65),
    ])
    func rejectsBadTaskIDs(text: String) {
        #expect(throws: InputError.self) { try TaskID(parsing: text) }
    }

    @Test func aBadTaskIDIsNamedEscapedInOneLine() {
        #expect {
            try TaskID(parsing: "x\u{1B}[2J\nnext")
        } throws: { error in
            let message = (error as? InputError)?.message ?? ""
            return message.hasPrefix(#"bad task id "x\u{1b}[2J\nnext": "#) && !message.contains("\n")
        }
    }

    /// Table names from seed-style ids: slugged like names, never taken twice, also when ids share
    /// their first characters or differ only in case (SQLite's names ignore case).
    @Test func tableNamesFromSeedStyleIDsAreSafeAndDistinct() throws {
        var taken: Set<String> = []
        func add(_ text: String, name: String = "") throws -> String {
            let table = TableName.forTask(name: name, id: try TaskID(parsing: text)) { taken.contains($0.lowercased()) }
            #expect(taken.insert(table.lowercased()).inserted, "\(table) given twice")
            #expect(table.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }, "\(table)")
            return table
        }
        #expect(try add("taskid1") == "data_taskid1")
        #expect(try add("1234ABCD") == "data_1234abcd")
        #expect(try add("TASKID1").hasPrefix("data_taskid1_"))
        #expect(try add("taskid12") == "data_taskid12")
        #expect(try add("taskid123").hasPrefix("data_taskid12_"))
        #expect(try add("-_x") == "data_x")
        #expect(try add("Task-ID-9", name: "Prices") == "data_prices")
        #expect(try add("taskid9", name: "Prices") == "data_prices_taskid9")
        // Taken under every candidate name: a number is appended.
        let id = try TaskID(parsing: "taskid1")
        let crowded = TableName.forTask(name: "", id: id) { !$0.hasSuffix("_2") }
        #expect(crowded.hasPrefix("data_taskid1_") && crowded.hasSuffix("_2"))
    }

    @Test func canonicalJSONSortsKeysAndEscapes() throws {
        let value = try JSONValue.parse(#"{"b":1,"a":{"z":[true,null,"x\"\n\u0001"],"y":2.5}}"#)
        #expect(value.canonicalText == #"{"a":{"y":2.5,"z":[true,null,"x\"\n\u0001"]},"b":1}"#)
    }

    @Test func taskRegistrationChecksFlagCombinations() throws {
        let id = try TaskID(parsing: "6a1b2c3d-4e5f-6789-abcd-ef0123456789")
        #expect(throws: InputError("--destructive applies only to --mode not-exported")) {
            try TaskRegistration(id: id, mode: .byTime, destructive: true)
        }
        #expect(throws: InputError("--from applies only to --mode by-time")) {
            try TaskRegistration(id: id, mode: .offset, startFrom: .init(timeIntervalSince1970: 0))
        }
        #expect(try TaskRegistration(id: id, mode: .notExported, destructive: true).destructive)
    }
}
