import Foundation
import HarvestCore
import HarvestSimulator
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// A real HTTP server standing in for Harvest's callback receiver; it hands each body to the test.
private func withReceiver<T: Sendable>(
    status: HTTPResponse.Status = .ok,
    _ body: @Sendable (String, AsyncStream<String>) async throws -> T
) async throws -> T {
    let (bodies, bodiesContinuation) = AsyncStream<String>.makeStream()
    let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
    let router = Router()
    router.post("/callback") { request, context -> Response in
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        bodiesContinuation.yield(String(buffer: buffer))
        return Response(status: status)
    }
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in readyContinuation.yield(channel.localAddress?.port ?? 0) },
        logger: HarvestSimulator.quietLogger
    )
    let group = ServiceGroup(services: [app], logger: HarvestSimulator.quietLogger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let port = await ready.first { _ in true } ?? 0
        defer { bodiesContinuation.finish() }
        let result = try await body("http://127.0.0.1:\(port)/callback", bodies)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

/// Waits, without sleeping blindly, until `condition` holds (checked every few milliseconds, at most 10 s).
private func eventually(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else { return }
        try await Task.sleep(for: .milliseconds(5))
    }
}

private func configuration(_ change: (inout OxylabsConfiguration) -> Void) -> SimulatorConfiguration {
    var configuration = SimulatorConfiguration()
    change(&configuration.oxylabs)
    return configuration
}

@Suite struct OxylabsCallbackTests {
    @Test func aFinishedJobIsPostedToItsCallbackURL() async throws {
        let clock = ManualClock()
        try await withReceiver { callbackURL, bodies in
            try await HarvestSimulator.withRunning(configuration { _ in }, now: clock.source) { simulator, endpoints in
                let submitted = try await HTTP.send(
                    .POST,
                    endpoints.oxylabsBaseURL + "/v1/queries",
                    headers: [HTTP.basic("user", "pass1")],
                    body: #"{"source":"universal","url":"https://a.com","callback_url":"\#(callbackURL)"}"#
                ).json()
                clock.advance(by: 3600)
                var iterator = bodies.makeAsyncIterator()
                let delivered = try JSONParser.parse(Data(try #require(await iterator.next()).utf8))
                #expect(delivered["id"] == submitted["id"])
                #expect(delivered["status"] == .string("done"))
                try await eventually { simulator.oxylabs.truth().first?.callbacksDelivered == 1 }
                #expect(simulator.oxylabs.truth().first?.callbacksDelivered == 1)
            }
        }
    }

    @Test func duplicatesAreSentTwiceAndLostOnesNever() async throws {
        let clock = ManualClock()
        try await withReceiver { callbackURL, bodies in
            let config = configuration { $0.callbackDuplicateShare = 1 }
            try await HarvestSimulator.withRunning(config, now: clock.source) { simulator, endpoints in
                _ = try await HTTP.send(
                    .POST,
                    endpoints.oxylabsBaseURL + "/v1/queries",
                    headers: [HTTP.basic("user", "pass1")],
                    body: #"{"source":"universal","url":"https://a.com","callback_url":"\#(callbackURL)"}"#
                )
                clock.advance(by: 3600)
                var iterator = bodies.makeAsyncIterator()
                let first = await iterator.next()
                let second = await iterator.next()
                #expect(first != nil && first == second)
                simulator.oxylabs.setFaults(.none, callbackLoss: 1, callbackDuplicates: 0)
                _ = try await HTTP.send(
                    .POST,
                    endpoints.oxylabsBaseURL + "/v1/queries",
                    headers: [HTTP.basic("user", "pass1")],
                    body: #"{"source":"universal","url":"https://b.com","callback_url":"\#(callbackURL)"}"#
                )
                clock.advance(by: 3600)
                try await eventually { simulator.oxylabs.stats.count("callback.lost") == 1 }
                #expect(simulator.oxylabs.stats.count("callback.lost") == 1)
                #expect(simulator.oxylabs.truth().last?.callbackAttempts == 0)
            }
        }
    }

    @Test func aFailingReceiverIsRetried() async throws {
        let clock = ManualClock()
        try await withReceiver(status: .internalServerError) { callbackURL, bodies in
            try await HarvestSimulator.withRunning(configuration { $0.callbackAttempts = 3 }, now: clock.source) {
                simulator,
                endpoints in
                _ = try await HTTP.send(
                    .POST,
                    endpoints.oxylabsBaseURL + "/v1/queries",
                    headers: [HTTP.basic("user", "pass1")],
                    body: #"{"source":"universal","url":"https://a.com","callback_url":"\#(callbackURL)"}"#
                )
                clock.advance(by: 3600)
                var received = 0
                for await _ in bodies {
                    received += 1
                    if received == 3 { break }
                }
                try await eventually { simulator.oxylabs.truth().first?.callbackAttempts == 3 }
                #expect(simulator.oxylabs.truth().first?.callbackAttempts == 3)
                #expect(simulator.oxylabs.truth().first?.callbacksDelivered == 0)
            }
        }
    }
}
