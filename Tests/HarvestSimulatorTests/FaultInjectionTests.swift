import Foundation
import HarvestCore
import HarvestSimulator
import Testing

@Suite struct FaultInjectionTests {
    private func configuration(_ faults: FaultRates) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.faults = faults
        return configuration
    }

    @Test func serverErrorsAre5xx() async throws {
        try await HarvestSimulator.withRunning(configuration(FaultRates(serverError: 1))) { simulator, endpoints in
            var statuses = Set<Int>()
            for _ in 0..<40 {
                statuses.insert(
                    try await HTTP.send(
                        .GET,
                        endpoints.oxylabsBaseURL + "/v1/info/callbacker_ips",
                        headers: [HTTP.basic("user", "pass1")]
                    ).status
                )
            }
            #expect(statuses.allSatisfy { (500...599).contains($0) })
            #expect(statuses.contains(524))
            #expect(simulator.oxylabs.stats.count("fault.5xx") == 40)
            // The ground truth is never faulted.
            #expect(try await HTTP.send(.GET, endpoints.oxylabsBaseURL + "/__sim/stats").status == 200)
        }
    }

    @Test func resetsCloseTheConnectionWithoutAnAnswer() async throws {
        try await HarvestSimulator.withRunning(configuration(FaultRates(connectionReset: 1))) { simulator, endpoints in
            await #expect(throws: (any Error).self) {
                try await HTTP.send(
                    .GET,
                    endpoints.oxylabsBaseURL + "/v1/info/callbacker_ips",
                    headers: [HTTP.basic("user", "pass1")]
                )
            }
            #expect(simulator.oxylabs.stats.count("fault.reset") >= 1)
        }
    }

    @Test func malformedBodiesAreCutShort() async throws {
        try await HarvestSimulator.withRunning(configuration(FaultRates(malformedBody: 1))) { _, endpoints in
            let exchange = try await HTTP.send(
                .GET,
                endpoints.oxylabsBaseURL + "/v1/info/callbacker_ips",
                headers: [HTTP.basic("user", "pass1")]
            )
            #expect(exchange.status == 200)
            #expect(throws: JSONParser.SyntaxError.self) { try exchange.json() }
        }
    }

    @Test func faultsCanBeTurnedOffWhileRunning() async throws {
        try await HarvestSimulator.withRunning(configuration(FaultRates(serverError: 1))) { _, endpoints in
            let off = try await HTTP.send(
                .POST,
                endpoints.oxylabsBaseURL + "/__sim/faults",
                body: #"{"server_error": 0}"#
            )
            #expect(off.status == 200)
            let exchange = try await HTTP.send(
                .GET,
                endpoints.oxylabsBaseURL + "/v1/info/callbacker_ips",
                headers: [HTTP.basic("user", "pass1")]
            )
            #expect(exchange.status == 200)
        }
    }
}
