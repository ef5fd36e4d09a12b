import Foundation

/// A task whose rows are a pure function of (seed, task, index): any size, nothing held in memory.
struct GeneratedDataset: TaskDataset {
    let seed: UInt64
    let task: UInt64
    let schema: RowSchema
    let schedule: StorageSchedule

    init(seed: UInt64, task: UInt64, schema: RowSchema, count: Int, runs: Int, start: Date, span: Duration) {
        self.seed = seed
        self.task = task
        self.schema = schema
        schedule = StorageSchedule(
            seed: seed,
            task: task,
            count: count,
            runs: runs,
            start: Int64(start.timeIntervalSince1970),
            span: Int64(OctoparseTime.seconds(span))
        )
    }

    /// All rows are stored and committed: the task's cloud runs are over.
    func visibility(at now: Date) -> Visibility {
        .complete(schedule.count)
    }

    func lastRun(stored: Int) -> Range<Int> {
        guard stored > 0 else { return 0..<0 }
        return schedule.runStart(schedule.run(of: stored - 1))..<stored
    }

    func storageSecond(_ index: Int) -> Int64 {
        schedule.storageSecond(index)
    }

    func fields(_ index: Int) -> [SimulatedRow.Field] {
        schema.fields(index: index, hash: SeededGenerator.mix(seed, task, UInt64(index)))
    }
}
