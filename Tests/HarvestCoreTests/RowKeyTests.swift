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
}
