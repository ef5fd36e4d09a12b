/// When each row of a generated task was stored: a pure function of (seed, task, index), never decreasing.
///
/// The rows are split into cloud runs, each given an equal slot of the span and active for part of it
/// (the rest is a quiet stretch). A run writes blocks of 64 rows: most blocks spread over their share of
/// the run; its first block and about a quarter of the others crowd into two seconds (dense seconds, and a
/// sparse stretch after them).
struct StorageSchedule: Sendable {
    let seed: UInt64
    let task: UInt64
    let count: Int
    let runCount: Int
    /// Start of the span, seconds since 1970.
    let start: Int64
    /// Length of the span, seconds.
    let span: Int64

    private static let blockSize = 64

    init(seed: UInt64, task: UInt64, count: Int, runs: Int, start: Int64, span: Int64) {
        self.seed = seed
        self.task = task
        self.count = count
        runCount = max(1, min(runs, count))
        self.start = start
        self.span = max(1, span)
    }

    /// The first index of run `run` (`count` for `run == runCount`).
    func runStart(_ run: Int) -> Int {
        run * count / runCount
    }

    /// The run that wrote row `index`.
    func run(of index: Int) -> Int {
        ((index + 1) * runCount - 1) / count
    }

    func storageSecond(_ index: Int) -> Int64 {
        let run = run(of: index)
        let first = runStart(run)
        let runLength = runStart(run + 1) - first
        let slot = Double(span) / Double(runCount)
        let origin = start + Int64(Double(run) * slot)
        // The active part of the slot: 30 % to 90 % of it, so runs never overlap.
        let activeShare = 0.3 + 0.6 * unit(SeededGenerator.mix(seed, task, UInt64(run), 0x5C4E))
        let blocks = (runLength + Self.blockSize - 1) / Self.blockSize
        let blockSeconds = slot * activeShare / Double(blocks)
        let offset = index - first
        let block = offset / Self.blockSize
        let blockStart = origin + Int64(Double(block) * blockSeconds)
        let dense = block == 0 || SeededGenerator.mix(seed, task, UInt64(run), UInt64(block)) % 4 == 0
        // A block's rows stay within its own share, so the next block never starts earlier.
        let width = min(dense ? 2 : Int64(blockSeconds * 0.95), Int64(blockSeconds))
        return blockStart + Int64(offset % Self.blockSize) * width / Int64(Self.blockSize)
    }

    private func unit(_ value: UInt64) -> Double {
        Double(value >> 11) * 0x1.0p-53
    }
}
