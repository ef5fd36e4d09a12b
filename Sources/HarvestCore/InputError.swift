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
        "\"\(escapedForMessage(limit: 80, escapingQuotes: true))\""
    }

    /// The text with every control character escaped (C0, DEL and C1: a terminal acts on them, `U+009B`
    /// starts an escape sequence like `ESC [`) and cut to `limit` Unicode scalars, for a message that
    /// repeats text from outside: a user's value, an upstream's error. Counted in scalars, not characters:
    /// one character can hold any number of combining marks.
    package func escapedForMessage(limit: Int = 200, escapingQuotes: Bool = false) -> String {
        var output = ""
        var count = 0
        for scalar in unicodeScalars {
            if count == limit {
                output += "…"
                break
            }
            count += 1
            switch scalar {
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\"" where escapingQuotes: output += "\\\""
            case "\\" where escapingQuotes: output += "\\\\"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                output += "\\u{\(String(scalar.value, radix: 16))}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
