import Foundation

/// When the live task's rows were appended: a cloud run that adds rows at a steady rate from the fake's
/// start, and can be paused (the run ends) and resumed (a new run begins).
struct LiveTimeline: Sendable {
    /// One cloud run: rows from `firstIndex`, the first appended at `start`, until `endIndex` once paused.
    struct Run: Sendable {
        var firstIndex: Int
        var start: Double
        var endIndex: Int?
    }

    let rowsPerSecond: Double
    private(set) var runs: [Run]

    init(start: Date, rowsPerSecond: Double) {
        self.rowsPerSecond = max(rowsPerSecond, 0.001)
        runs = [Run(firstIndex: 0, start: start.timeIntervalSince1970)]
    }

    var isPaused: Bool { runs[runs.count - 1].endIndex != nil }

    /// Rows appended by `now` (seconds since 1970).
    func appended(by now: Double) -> Int {
        let run = runs[runs.count - 1]
        guard now >= run.start else { return run.firstIndex }
        let appended = run.firstIndex + Int(((now - run.start) * rowsPerSecond).rounded(.down)) + 1
        return min(appended, run.endIndex ?? .max)
    }

    /// When row `index` was appended, in seconds since 1970.
    func appendInstant(_ index: Int) -> Double {
        let run = run(of: index)
        return run.start + Double(index - run.firstIndex) / rowsPerSecond
    }

    /// The run that appended row `index`.
    func run(of index: Int) -> Run {
        runs.last { $0.firstIndex <= index } ?? runs[0]
    }

    /// Stops appending: the current run ends with the rows appended by `now`.
    mutating func pause(at now: Date) {
        guard !isPaused else { return }
        runs[runs.count - 1].endIndex = appended(by: now.timeIntervalSince1970)
    }

    /// Starts a new run at `now`, continuing the row indices.
    mutating func resume(at now: Date) {
        guard let end = runs[runs.count - 1].endIndex else { return }
        runs.append(Run(firstIndex: end, start: max(now.timeIntervalSince1970, runs[runs.count - 1].start)))
    }
}

/// The live task at one instant: rows appended so far, some of them committed late.
struct LiveDataset: TaskDataset {
    let seed: UInt64
    let task: UInt64
    let timeline: LiveTimeline
    let lateShare: Double
    let commitDelay: Double

    /// Appended rows are readable at once, except the late ones: those wait until `storage time + delay`.
    func visibility(at now: Date) -> Visibility {
        let now = now.timeIntervalSince1970
        let stored = timeline.appended(by: now)
        // Only rows appended within the last `commitDelay` can still be waiting; all earlier ones are readable.
        var prefix = stored
        while prefix > 0, timeline.appendInstant(prefix - 1) + commitDelay > now {
            prefix -= 1
        }
        let tail = (prefix..<stored).filter { commitInstant($0) <= now }
        // Rows readable right after the prefix extend it, so the tail holds only what follows a hole.
        var visibility = Visibility(stored: stored, prefix: prefix)
        var holes = tail[...]
        while let first = holes.first, first == visibility.prefix {
            visibility.prefix += 1
            holes = holes.dropFirst()
        }
        visibility.tail = Array(holes)
        return visibility
    }

    func lastRun(stored: Int) -> Range<Int> {
        guard stored > 0 else { return 0..<0 }
        return timeline.run(of: stored - 1).firstIndex..<stored
    }

    func storageSecond(_ index: Int) -> Int64 {
        Int64(timeline.appendInstant(index).rounded(.down))
    }

    func fields(_ index: Int) -> [SimulatedRow.Field] {
        RowSchema.products.fields(index: index, hash: SeededGenerator.mix(seed, task, UInt64(index)))
    }

    /// When row `index` becomes readable: at once, or for a late row `commitDelay` after its storage second.
    private func commitInstant(_ index: Int) -> Double {
        let appended = timeline.appendInstant(index)
        guard isLate(index) else { return appended }
        return max(appended, Double(storageSecond(index)) + commitDelay)
    }

    private func isLate(_ index: Int) -> Bool {
        Double(SeededGenerator.mix(seed, task, UInt64(index), 0x1A7E) >> 11) * 0x1.0p-53 < lateShare
    }
}
