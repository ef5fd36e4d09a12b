import Foundation

/// An Octoparse task id: a GUID in practice (`6a1b2c3d-4e5f-6789-abcd-ef0123456789`), but the API's own
/// examples are `taskid1` and `1234ABCD`, so any id of 1 to 64 ASCII letters, digits, `-` and `_` with a
/// letter or digit among them is taken, as the API or the user gives it.
///
/// Surrounding braces are dropped (`{…}` is how the seed writes placeholders, and how GUIDs are often
/// copied). A GUID is stored in lower case, since GUIDs ignore case; any other id keeps its case, since
/// whether the API does is unknown, and sending it as given is right either way. Nothing else is allowed:
/// the id goes into URLs, logs and (its first characters, slugged) table names.
public struct TaskID: Hashable, Sendable, CustomStringConvertible {
    /// The id as stored and sent: a GUID in lower case, any other id as given.
    public let rawValue: String

    /// The longest id accepted.
    public static let maximumLength = 64

    /// Checks the characters and length; drops braces and spaces around the id; lower-cases a GUID.
    public init(parsing text: String) throws(InputError) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasPrefix("{"), body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        guard (1...Self.maximumLength).contains(body.utf8.count), body.utf8.allSatisfy(Self.isAllowed),
            body.utf8.contains(where: Self.isLetterOrDigit)
        else {
            throw InputError(
                "bad task id \(text.quotedForMessage): expected an Octoparse task id of at most "
                    + "\(Self.maximumLength) letters, digits, '-' and '_', such as "
                    + "6a1b2c3d-4e5f-6789-abcd-ef0123456789 or taskid1"
            )
        }
        rawValue = Self.isGUID(body) ? body.lowercased() : String(body)
    }

    public var description: String { rawValue }

    /// 8-4-4-4-12 hexadecimal digits (the text is ASCII by then).
    private static func isGUID(_ text: Substring) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: false
        }
    }
}
