import Foundation

/// A task of the simulated account, as the ground truth reports it.
public struct SimulatedTask: Sendable, Equatable {
    /// What the task is for in tests.
    public enum Kind: String, Sendable {
        /// Generated rows, `rowsPerTask` of them.
        case standard
        /// Generated rows, `largeTaskRows` of them (seven weather fields).
        case large
        /// The hand-made rows that break careless clients (see the fake's documentation).
        case nasty
        /// Rows appended while the fake runs, some committed late.
        case live
        /// A task that never ran: no rows.
        case empty
    }

    /// The task's id: a lower-case GUID, or in the seed's style (`taskid1`, `1234ABCD`).
    public var id: String
    /// The task's name; `""` for one task, as the API allows.
    public var name: String
    public var groupID: Int
    public var groupName: String
    public var kind: Kind
    /// Rows a client can read now.
    public var rows: Int
    /// Rows the not-exported queue has handed out or had confirmed.
    public var exportedRows: Int
}

/// The account's task groups and tasks: three groups, six tasks (seven with the live one).
struct TaskCatalog: Sendable {
    struct Group: Sendable {
        var id: Int
        var name: String
    }

    /// One task. `dataset` is nil for the live task, whose rows depend on the fake's running state.
    struct Entry: Sendable {
        var number: UInt64
        var id: String
        var name: String
        var group: Group
        var kind: SimulatedTask.Kind
        var dataset: (any TaskDataset)?
        /// The first row id of the task; see ``rowID(_:)``.
        var rowIDBase: Int64

        /// The row's id in the cloud database, which the offset call pages by: it grows with the index,
        /// with gaps (the database is shared with other tasks), so a client cannot compute it.
        func rowID(_ index: Int) -> Int64 {
            rowIDBase + Int64(index) * rowIDStride
                + Int64(SeededGenerator.mix(rowIDSeed, UInt64(index)) % UInt64(rowIDStride))
        }

        /// The first index whose row id is above `offset` (past every row for an offset beyond any id).
        func firstIndex(afterRowID offset: Int64) -> Int {
            guard offset >= rowIDBase else { return 0 }
            guard offset - rowIDBase < 1 << 56 else { return .max }
            let candidate = Int((offset - rowIDBase) / rowIDStride)
            return rowID(candidate) > offset ? candidate : candidate + 1
        }

        private var rowIDStride: Int64 { 8 }
        private var rowIDSeed: UInt64 { UInt64(bitPattern: rowIDBase) ^ number }
    }

    let groups: [Group]
    let entries: [Entry]
    /// GUIDs are matched in any case and with braces; seed-style ids exactly.
    private let caseInsensitiveIDs: Bool

    init(seed: UInt64, configuration: OctoparseConfiguration) {
        let groupBase = 100 + Int(SeededGenerator.mix(seed, 0x6E0) % 800)
        let groups = ["Weather archive", "Shop monitors", "Edge cases"].enumerated().map { number, name in
            Group(id: groupBase + number * 97 + Int(SeededGenerator.mix(seed, 0x6E1, UInt64(number)) % 90), name: name)
        }
        func generated(_ number: UInt64, _ schema: RowSchema, rows: Int, runs: Int) -> GeneratedDataset {
            GeneratedDataset(
                seed: seed,
                task: number,
                schema: schema,
                count: rows,
                runs: runs,
                start: configuration.dataStart,
                span: configuration.dataSpan
            )
        }
        var layout: [(String, Group, SimulatedTask.Kind, (any TaskDataset)?)] = [
            (
                "Weather — all cities", groups[0], .large,
                generated(0, .weather, rows: configuration.largeTaskRows, runs: 10)
            ),
            ("", groups[0], .standard, generated(1, .weather, rows: configuration.rowsPerTask, runs: 3)),
            ("Product prices", groups[1], .standard, generated(2, .products, rows: configuration.rowsPerTask, runs: 3)),
            (
                "Customer reviews", groups[1], .standard,
                generated(3, .reviews, rows: configuration.rowsPerTask, runs: 4)
            ),
            ("Nasty fields", groups[2], .nasty, NastyDataset(seed: seed, start: configuration.dataStart)),
            ("Never ran", groups[2], .empty, generated(5, .products, rows: 0, runs: 1)),
        ]
        if configuration.live {
            layout.append(("Live prices", groups[1], .live, nil))
        }
        self.groups = groups
        caseInsensitiveIDs = !configuration.seedStyleTaskIDs
        entries = layout.enumerated().map { number, task in
            let number = UInt64(number)
            let high = SeededGenerator.mix(seed, 0x7A5C, number)
            let low = SeededGenerator.mix(seed, 0x7A5D, number)
            return Entry(
                number: number,
                id: configuration.seedStyleTaskIDs ? Self.seedStyleID(number, high) : Self.guid(high, low),
                name: task.0,
                group: task.1,
                kind: task.2,
                dataset: task.3,
                rowIDBase: 1_000_000_000 + Int64(SeededGenerator.mix(seed, 0x1D, number) % 1_000_000_000)
            )
        }
    }

    /// The task with this id (a GUID in any case, braces allowed; a seed-style id exactly), or nil:
    /// `taskid_error`.
    func entry(id: String) -> Entry? {
        guard caseInsensitiveIDs else { return entries.first { $0.id == id } }
        var id = Substring(id.trimmingCharacters(in: .whitespaces).lowercased())
        if id.hasPrefix("{"), id.hasSuffix("}") { id = id.dropFirst().dropLast() }
        return entries.first { $0.id == id }
    }

    /// The seed's examples: `taskid1`, `taskid3`, … for even numbers, 8 upper-case hexadecimal digits
    /// (`1234ABCD`) for odd ones.
    private static func seedStyleID(_ number: UInt64, _ bits: UInt64) -> String {
        guard number % 2 == 1 else { return "taskid\(number + 1)" }
        let hex = String(bits & 0xFFFF_FFFF, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// A version-4 style GUID from 128 bits, as Octoparse's task ids look.
    private static func guid(_ high: UInt64, _ low: UInt64) -> String {
        let high = high & 0xFFFF_FFFF_FFFF_0FFF | 0x4000
        let low = low & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: digits - text.count) + text
        }
        return "\(hex(high >> 32, 8))-\(hex(high >> 16 & 0xFFFF, 4))-\(hex(high & 0xFFFF, 4))-"
            + "\(hex(low >> 48, 4))-\(hex(low & 0xFFFF_FFFF_FFFF, 12))"
    }
}
