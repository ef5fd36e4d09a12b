/// The knobs of the Octoparse fake (placeholder: being built).
public struct OctoparseConfiguration: Sendable, Equatable {
    public init() {}
}
