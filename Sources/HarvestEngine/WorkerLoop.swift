import Foundation
import HarvestStore
import ServiceLifecycle
import Synchronization

/// The loop every pipeline worker runs: do a step while there is work, otherwise sleep until the next job
/// is due (or a wakeup), and stop claiming new work on graceful shutdown.
enum WorkerLoop {
    /// The loop of a worker that claims up to `concurrency` due jobs at a time and handles them in
    /// parallel (the poller, the fetcher).
    static func runClaiming(
        context: PipelineContext,
        step kind: HarvestDatabase.PipelineStep,
        wakeup: Wakeup,
        concurrency: Int,
        claim:
            @escaping @Sendable (_ limit: Int, _ now: Date, _ owner: String, _ lease: Duration) throws -> [PipelineJob],
        handle: @escaping @Sendable (PipelineJob) async -> Void
    ) async throws {
        try await run(context: context, step: kind, wakeup: wakeup) {
            let jobs = try claim(concurrency, context.now(), context.owner, context.configuration.lease)
            guard !jobs.isEmpty else { return false }
            await withTaskGroup(of: Void.self) { group in
                for job in jobs { group.addTask { await handle(job) } }
            }
            return true
        }
    }

    static func run(
        context: PipelineContext,
        step kind: HarvestDatabase.PipelineStep,
        wakeup: Wakeup,
        _ step: @Sendable () async throws -> Bool
    ) async throws {
        let stopping = Mutex(false)
        try await withGracefulShutdownHandler {
            while !stopping.withLock({ $0 }), !Task.isCancelled {
                if !context.gate.isOpen(at: context.now()) {
                    let reopen = context.gate.reopensAt()?.timeIntervalSince(context.now()) ?? 0
                    await wakeup.wait(upTo: .milliseconds(Int64(min(max(reopen, 0.01), 1) * 1000)))
                    continue
                }
                let worked: Bool
                do {
                    worked = try await step()
                } catch {
                    context.logger.error("pipeline step failed", metadata: ["step": "\(kind)", "error": "\(error)"])
                    worked = false
                }
                if worked { continue }
                let idle = context.configuration.idlePoll.seconds
                let due = (try? context.database.nextActionTime(for: kind))?.timeIntervalSince(context.now()) ?? idle
                let sleep = min(max(due, 0.001), idle)
                await wakeup.wait(upTo: .milliseconds(Int64(sleep * 1000)))
            }
        } onGracefulShutdown: {
            stopping.withLock { $0 = true }
            wakeup.signal()
        }
    }
}
