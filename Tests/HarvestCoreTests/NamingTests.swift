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

    @Test(arguments: [
        "", "abc", "6a1b2c3d-4e5f-6789-abcd-ef012345678", "6a1b2c3d4e5f6789abcdef0123456789",
        "zz1b2c3d-4e5f-6789-abcd-ef0123456789", "../etc/passwd",
    ])
    func rejectsBadTaskIDs(text: String) {
        #expect(throws: InputError.self) { try TaskID(parsing: text) }
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
