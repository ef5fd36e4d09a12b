import AsyncHTTPClient
import Foundation
import HarvestCore
import Logging
import NIOCore
import ServiceLifecycle

/// POSTs the job object to each finished job's `callback_url`, as Oxylabs does: once per job (sometimes
/// twice, sometimes never, when configured), retried a few times when the receiver fails, unsigned.
struct CallbackDispatcher: Service {
    let simulator: OxylabsSimulator
    let client: HTTPClient
    let logger: Logger
    /// How often the queue is checked; bounds the delay between a job finishing and its callback.
    var tick: Duration = .milliseconds(10)

    func run() async throws {
        // On graceful shutdown the loop stops; callbacks not yet sent are simply not sent.
        try? await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    for (job, copies) in simulator.takeDueCallbacks() {
                        for _ in 0..<copies {
                            group.addTask { await deliver(job) }
                        }
                    }
                    try await Task.sleep(for: tick)
                }
            }
        }
    }

    private func deliver(_ job: SimulatedJob) async {
        guard let url = job.callbackURL else { return }
        let body = job.object(at: simulator.now()).canonicalText
        for attempt in 1...max(1, simulator.configuration.callbackAttempts) {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
            do {
                let response = try await client.execute(request, timeout: .seconds(10))
                _ = try? await response.body.collect(upTo: 1 << 20)
                if (200..<300).contains(response.status.code) {
                    simulator.recordCallback(job.id, delivered: true)
                    return
                }
            } catch {
                logger.debug("callback failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
            simulator.recordCallback(job.id, delivered: false)
            if attempt < simulator.configuration.callbackAttempts {
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }
}
