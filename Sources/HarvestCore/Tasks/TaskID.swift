import Foundation

/// An Octoparse task id: a GUID such as `6a1b2c3d-4e5f-6789-abcd-ef0123456789`.
public struct TaskID: Hashable, Sendable, CustomStringConvertible {
    /// The id in lower case, as stored.
    public let rawValue: String

    /// Checks the GUID shape (8-4-4-4-12 hexadecimal digits, braces allowed) and normalizes case.
    public init(parsing text: String) throws(InputError) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasPrefix("{"), body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        let groups = body.split(separator: "-", omittingEmptySubsequences: false)
        let valid =
            groups.map(\.count) == [8, 4, 4, 4, 12]
            && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) && $0.allSatisfy(\.isASCII) }
        guard valid else {
            throw InputError(
                "bad task id \(text.quotedForMessage): expected an Octoparse task GUID such as "
                    + "6a1b2c3d-4e5f-6789-abcd-ef0123456789"
            )
        }
        rawValue = body.lowercased()
    }

    public var description: String { rawValue }
}
