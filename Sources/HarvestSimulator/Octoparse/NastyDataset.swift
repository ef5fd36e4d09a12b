import Foundation

/// A task built to break careless clients, held in memory (a few hundred rows):
///
/// - non-ASCII, emoji, combining marks, right-to-left text, a BOM, zero-width spaces, and empty values;
/// - values of 100 KB, values with quotes, backslashes, newlines and control characters;
/// - values that look like other types (`null`, `true`, `007`, `1e5`) but are strings;
/// - field names that collide once snake-cased (`High Temp`, `high_temp`), a field named after SQL
///   (`x"); DROP TABLE t;--`), a non-ASCII field name, and a field `ID` that is just data;
/// - a field (`Added Later`) present only in later rows;
/// - identical rows stored in the same second: genuine duplicates, two (once three) rows, not one;
/// - some rows with their fields in another order.
struct NastyDataset: TaskDataset {
    private struct StoredRow: Sendable {
        var second: Int64
        var fields: [SimulatedRow.Field]
    }

    static let rowCount = 300
    /// The second cloud run starts here, a day after the first ends.
    static let secondRunStart = 150
    /// `Added Later` appears from this row on.
    static let addedLaterFrom = 200
    static let sqlFieldName = #"x"); DROP TABLE t;--"#
    static let unicodeFieldName = "Ünïcödé 名前 🎉"

    private let rows: [StoredRow]

    init(seed: UInt64, start: Date) {
        var random = SeededGenerator(seed: SeededGenerator.mix(seed, 0xBAD_DA7A))
        var second = Int64(start.timeIntervalSince1970) + 86_400
        var rows: [StoredRow] = []
        rows.reserveCapacity(Self.rowCount)
        for index in 0..<Self.rowCount {
            if index % 25 == 24 || index == 100, let previous = rows.last {
                rows.append(previous)
                continue
            }
            if index == Self.secondRunStart {
                second += 2 * 86_400
            } else if index > 0 {
                // Mostly the same second as the row before, sometimes a few seconds later, rarely hours.
                switch random.next() % 10 {
                case 0..<6: break
                case 6..<9: second += 1 + Int64(random.next() % 10)
                default: second += 3_600 + Int64(random.next() % 20_000)
                }
            }
            var fields = Self.fields(index: index, &random)
            if index % 7 == 3 { fields.reverse() }
            rows.append(StoredRow(second: second, fields: fields))
        }
        self.rows = rows
    }

    func visibility(at now: Date) -> Visibility {
        .complete(rows.count)
    }

    func lastRun(stored: Int) -> Range<Int> {
        min(Self.secondRunStart, stored)..<stored
    }

    func storageSecond(_ index: Int) -> Int64 {
        rows[index].second
    }

    func fields(_ index: Int) -> [SimulatedRow.Field] {
        rows[index].fields
    }

    private static func fields(index: Int, _ random: inout SeededGenerator) -> [SimulatedRow.Field] {
        func pick(_ values: [String]) -> String {
            values[Int(random.next() % UInt64(values.count))]
        }
        var fields: [SimulatedRow.Field] = [
            .init("ID", String(index)),
            .init("Name", pick(names)),
            .init("High Temp", random.next() % 5 == 0 ? "" : String(60 + random.next() % 40) + "F"),
            .init("high_temp", String(15 + random.next() % 20) + "C"),
            .init(sqlFieldName, pick(sqlValues)),
            .init(unicodeFieldName, pick(names)),
            .init("Notes", pick(notes)),
            .init("Description", index % 60 == 30 ? hugeValue(index) : "Item \(index): \(pick(names))"),
        ]
        if index >= addedLaterFrom {
            fields.append(.init("Added Later", "v2-\(random.next() % 1000)"))
        }
        return fields
    }

    /// About 100 KB of text with quotes, backslashes, newlines and four-byte characters.
    private static func hugeValue(_ index: Int) -> String {
        let unit = "Ünïcödé \"quoted\" \\back\\slash\\ 𝄞🎉 line\nbreak\ttab "
        let repeats = 100_000 / unit.utf8.count + 1
        return "row \(index): " + String(repeating: unit, count: repeats)
    }

    private static let names = [
        "Zürich", "東京タワー", "Ελληνικά", "🍣🔥", "👩‍👩‍👧‍👦 family", "e\u{301}clair", "مرحبا بالعالم", "", "",
        "  padded  ", "null", "NULL", "true", "007", "1e5", "-0", "[]", "{}", "\u{FEFF}BOM first", "🇨🇳",
        "zero\u{200B}width", "Ωmega", "O'Brien", "\"quoted\"",
    ]
    private static let sqlValues = [
        "'; DROP TABLE rows; --", "Robert'); DROP TABLE Students;--", "1 OR 1=1", "\" OR \"\"=\"", "%_%", "",
    ]
    private static let notes = [
        "line one\nline two", "tab\there", "carriage\r\nreturn", "quote \" and backslash \\", "control \u{01}\u{1F}",
        "del \u{7F}", "</script><script>alert(1)</script>", "a+b&c=d%20e", "C:\\temp\\new", "\\u0041 is not A",
        "", "plain",
    ]
}
