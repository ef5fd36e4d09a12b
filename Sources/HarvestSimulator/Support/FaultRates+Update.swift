import Foundation
import HarvestCore
import Hummingbird

/// The body of `POST /__sim/faults`, shared by both fakes: rates by name, each optional.
struct FaultUpdate {
    /// The JSON object's numeric members.
    let rates: [String: Double]

    /// Reads the request body; nil when it is not a JSON object.
    static func read(_ request: Request) async throws -> FaultUpdate? {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 16)
        guard case .object(let fields)? = try? JSONParser.parse(Data(buffer: body)) else { return nil }
        return FaultUpdate(
            rates: fields.compactMapValues { value in
                switch value {
                case .double(let number): number
                case .integer(let number): Double(number)
                default: nil
                }
            }
        )
    }

    /// `rates` with the members this update names replaced.
    func applied(to rates: FaultRates) -> FaultRates {
        var rates = rates
        rates.serverError = self.rates["server_error"] ?? rates.serverError
        rates.connectionReset = self.rates["connection_reset"] ?? rates.connectionReset
        rates.slowResponse = self.rates["slow_response"] ?? rates.slowResponse
        rates.malformedBody = self.rates["malformed_body"] ?? rates.malformedBody
        return rates
    }

    static let refusal = JSONResponse.message(.badRequest, "expected a JSON object of rates")
}
