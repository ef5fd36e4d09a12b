import Foundation

/// One row of a simulated Octoparse task, as the ground truth reports it.
///
/// The API itself sends only ``fields``: no row id, no timestamp. ``index`` and ``storageTime`` are what
/// the fake knows besides, for tests.
public struct SimulatedRow: Sendable, Hashable {
    /// A field name and its value; both are any text.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The row's place in the task, in storage order (0 first).
    public var index: Int
    /// When the row was written to the cloud database (whole seconds).
    public var storageTime: Date
    /// The fields in the order the API writes them.
    public var fields: [Field]

    /// The fields by name.
    public var values: [String: String] {
        Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }
}

/// The rows of a task a client can read at one instant, generated on demand (the large task is never
/// held in memory).
public struct SimulatedRows: RandomAccessCollection, Sendable {
    let dataset: any TaskDataset
    let visibility: Visibility

    public var startIndex: Int { 0 }
    public var endIndex: Int { visibility.count }

    public subscript(position: Int) -> SimulatedRow {
        let index = visibility.index(atPosition: position)
        return SimulatedRow(
            index: index,
            storageTime: Date(timeIntervalSince1970: TimeInterval(dataset.storageSecond(index))),
            fields: dataset.fields(index)
        )
    }
}
