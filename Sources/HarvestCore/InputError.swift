/// A problem with something the user supplied (a flag, a file line, a config value).
///
/// The message names the offending value and is safe to print: it never contains a secret.
/// The CLI turns it into exit status 2.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// The same error, located: `line 3: …`.
    public func at(line: Int) -> InputError {
        InputError("line \(line): \(message)")
    }
}

extension String {
    /// The value quoted for an error message, shortened so that a huge input cannot flood the terminal.
    package var quotedForMessage: String {
        let limit = 80
        let escaped = self.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            case "\"": return "\\\""
            case "\\": return "\\\\"
            default:
                return scalar.value < 0x20 || scalar.value == 0x7F
                    ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }
        }
        let joined = escaped.joined()
        if joined.count > limit {
            return "\"\(joined.prefix(limit))…\""
        }
        return "\"\(joined)\""
    }
}
