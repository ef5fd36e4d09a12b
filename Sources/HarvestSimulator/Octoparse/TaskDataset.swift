import Foundation

/// The rows of one task, addressed by index in storage order.
///
/// Storage times never decrease with the index, so every time window is a range of indices found by
/// binary search: a window query costs O(log n + page size), even on the large task.
protocol TaskDataset: Sendable {
    /// Which rows a client can read at `now`.
    func visibility(at now: Date) -> Visibility
    /// The indices of the most recent cloud run among the first `stored` rows.
    func lastRun(stored: Int) -> Range<Int>
    /// When row `index` was written to the cloud database, in whole seconds since 1970.
    func storageSecond(_ index: Int) -> Int64
    func fields(_ index: Int) -> [SimulatedRow.Field]
}

extension TaskDataset {
    /// The first index in `0..<stored` whose storage time is at or after `second` (`stored` if none).
    func firstIndex(storedAtOrAfter second: Int64, stored: Int) -> Int {
        var low = 0
        var high = stored
        while low < high {
            let middle = low + (high - low) / 2
            if storageSecond(middle) < second { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// The rows a client can read at one instant: every row below ``prefix``, and the ``tail`` rows above it.
///
/// Rows are readable once committed. Most are committed as they are stored; a late-committed row leaves a
/// hole after ``prefix`` until it turns up, so the readable rows are a prefix plus a short, sparse tail.
struct Visibility: Sendable {
    /// Rows written so far, committed or not: indices `0..<stored`.
    var stored: Int
    /// Every index below this is readable.
    var prefix: Int
    /// The readable indices in `prefix..<stored`, ascending.
    var tail: [Int] = []

    /// All of `count` rows readable.
    static func complete(_ count: Int) -> Visibility {
        Visibility(stored: count, prefix: count)
    }

    /// The number of readable rows.
    var count: Int { prefix + tail.count }

    /// The row index of the readable row at `position` (0-based, in storage order).
    func index(atPosition position: Int) -> Int {
        position < prefix ? position : tail[position - prefix]
    }

    /// How many readable rows have an index below `index`.
    func position(of index: Int) -> Int {
        guard index > prefix else { return max(0, index) }
        var low = 0
        var high = tail.count
        while low < high {
            let middle = (low + high) / 2
            if tail[middle] < index { low = middle + 1 } else { high = middle }
        }
        return prefix + low
    }

    /// The positions of the readable rows among `indices`.
    func positions(of indices: Range<Int>) -> Range<Int> {
        position(of: indices.lowerBound)..<position(of: indices.upperBound)
    }
}
