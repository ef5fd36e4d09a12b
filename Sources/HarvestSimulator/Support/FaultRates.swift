/// How often a fake misbehaves, each a probability per request (0 disables it).
///
/// The real APIs fail in these ways; a client that never sees them is not tested.
public struct FaultRates: Sendable, Equatable {
    /// A server error in the API's own style: Oxylabs 500, 502, 503 or 524 (some with HTML bodies);
    /// Octoparse's `server_error` envelope with 500, 503 or, since its status is undocumented, 200.
    public var serverError: Double = 0
    /// The connection is reset before any answer.
    public var connectionReset: Double = 0
    /// The answer is delayed by ``slowDelay``.
    public var slowResponse: Double = 0
    public var slowDelay: Duration = .seconds(2)
    /// The answer's JSON body is cut short.
    public var malformedBody: Double = 0

    public init(
        serverError: Double = 0,
        connectionReset: Double = 0,
        slowResponse: Double = 0,
        slowDelay: Duration = .seconds(2),
        malformedBody: Double = 0
    ) {
        self.serverError = serverError
        self.connectionReset = connectionReset
        self.slowResponse = slowResponse
        self.slowDelay = slowDelay
        self.malformedBody = malformedBody
    }

    /// No fault at all.
    public static let none = FaultRates()
}
