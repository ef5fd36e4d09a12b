/// Why `harvest serve` could not start or stopped; the description is one line with no secret.
public struct HarvestServiceError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
