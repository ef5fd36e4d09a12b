import HarvestCore
import Testing

@Suite struct RowKeyTests {
    @Test func identicalRowsInAWindowGetSuccessiveOrdinals() {
        var keys = WindowRowKeys()
        let first = keys.key(for: ["a", "b"])
        let other = keys.key(for: ["a", "c"])
        let second = keys.key(for: ["a", "b"])
        #expect(first.hash == second.hash)
        #expect([first.ordinal, second.ordinal] == [0, 1])
        #expect(other.hash != first.hash)
        #expect(first != second)
    }

    @Test func aNewPassGivesTheSameKeys() {
        let rows: [[String?]] = [["x", nil, "1"], ["x", nil, "1"], ["y", "z", nil]]
        var firstPass = WindowRowKeys()
        var secondPass = WindowRowKeys()
        let first = rows.map { firstPass.key(for: $0) }
        let second = rows.map { secondPass.key(for: $0) }
        #expect(first == second)
        #expect(Set(first).count == 3)
    }

    @Test func valuesAreNotConfusedAcrossBoundaries() {
        var keys = WindowRowKeys()
        let pairs: [([String?], [String?])] = [
            (["ab", "c"], ["a", "bc"]),
            ([""], [nil]),
            (["", "x"], [nil, "x"]),
            (["a"], ["a", ""]),
        ]
        for (left, right) in pairs {
            #expect(keys.key(for: left).hash != keys.key(for: right).hash, "\(left) vs \(right)")
        }
    }

    @Test func trailingMissingValuesDoNotChangeTheKey() {
        var keys = WindowRowKeys()
        var later = WindowRowKeys()
        // A row read before a later row added a column keeps its key when read after.
        #expect(keys.key(for: ["a", "b"]) == later.key(for: ["a", "b", nil, nil]))
    }

    @Test func storedBytesHoldHashThenOrdinal() {
        var keys = WindowRowKeys()
        _ = keys.key(for: ["q"])
        let key = keys.key(for: ["q"])
        #expect(key.bytes.count == 20)
        #expect(Array(key.bytes.suffix(4)) == [0, 0, 0, 1])
    }

    @Test func rowsEncodedWithTheirPageGetTheKeysOfRowsEncodedOneByOne() {
        var page = OctoparsePage(
            total: 4,
            fields: ["a", "b", "c"],
            rows: [["x", nil, "1"], ["x", nil, "1"], ["é", "z"], []]
        )
        page.encodeRows()
        guard let encoded = page.encodedRows else {
            Issue.record("rows not encoded")
            return
        }
        var byPage = WindowRowKeys()
        var byRow = WindowRowKeys()
        #expect(encoded.hashes.map { byPage.key(for: $0) } == page.rows.map { byRow.key(for: $0) })
        let values = encoded.bytes.withUnsafeBytes { bytes in
            encoded.values.map { range in range.map { String(decoding: bytes[$0], as: UTF8.self) } }
        }
        #expect(values == ["x", nil, "1", "x", nil, "1", "é", "z", nil, nil, nil, nil])
        page.rows[0][0] = "changed"
        #expect(page.encodedRows == nil)
    }

    @Test func keysReadBackFromTheirBytesAreEqual() {
        var keys = WindowRowKeys()
        _ = keys.key(for: ["a"])
        let key = keys.key(for: ["a"])
        let read = key.bytes.withUnsafeBytes { RowKey(bytes: $0) }
        #expect(read == key)
        #expect(key.withBytes { Array($0) } == key.bytes)
    }
}
