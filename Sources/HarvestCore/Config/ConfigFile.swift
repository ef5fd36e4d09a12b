/// Harvest's configuration file: the subset of TOML its keys need.
///
/// `[section]` headers, `key = value` lines with basic (`"…"`) or literal (`'…'`) strings, integers,
/// floats and booleans, and `#` comments. Arrays, inline tables, dotted keys and multi-line strings are
/// refused with an error naming the line, since no Harvest key takes one. Written here rather than taken
/// from a TOML library: the one in reach (TOMLKit) cannot be resolved on the build machines, and a
/// hundred lines of pure code are easier to fuzz than a C++ parser.
public struct ConfigFile: Sendable, Equatable {
    /// A value as written in the file.
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)

        /// The value as a flag or an environment variable would spell it.
        public var text: String {
            switch self {
            case .string(let text): return text
            case .integer(let number): return String(number)
            case .float(let number): return String(number)
            case .boolean(let flag): return flag ? "true" : "false"
            }
        }
    }

    /// A value and the line it was read from.
    public struct Entry: Sendable, Equatable {
        public var value: Value
        public var line: Int
    }

    /// Entries by dotted key: `oxylabs.username` for `username` under `[oxylabs]`.
    public var entries: [String: Entry]

    public init(entries: [String: Entry] = [:]) {
        self.entries = entries
    }

    /// Reads a file's bytes; errors say `line N: …` and never quote a whole line (it may hold a secret).
    public init(parsing bytes: [UInt8]) throws(InputError) {
        // A UTF-8 byte order mark, as some Windows editors write, is not part of the first key.
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let text = String(validating: body, as: UTF8.self) else {
            throw InputError("the file is not UTF-8 text")
        }
        entries = [:]
        var section: String?
        var sections: Set<String> = []
        for (index, rawLine) in text.split(
            omittingEmptySubsequences: false,
            whereSeparator: { $0 == "\n" || $0 == "\r\n" }
        ).enumerated() {
            let number = index + 1
            var line = Substring(rawLine)
            if line.last == "\r" { line = line.dropLast() }
            line = line.trimmingBlanks
            if line.isEmpty || line.first == "#" { continue }
            do throws(InputError) {
                if line.first == "[" {
                    let name = try Self.header(line)
                    guard sections.insert(name).inserted else { throw InputError("section [\(name)] appears twice") }
                    section = name
                    continue
                }
                guard let equals = line.firstIndex(of: "=") else { throw InputError("expected KEY = VALUE") }
                let name = line[..<equals].trimmingBlanks
                // Not quoted back: a line missing its `=` (`token dGhpcw==`) would show the value.
                guard Self.isBareKey(name) else {
                    throw InputError("bad key before =: use letters, digits, _ and - only (no spaces, dots or quotes)")
                }
                let key = section.map { "\($0).\(name)" } ?? String(name)
                var reader = ValueReader(text: line[line.index(after: equals)...])
                let value = try reader.value()
                guard entries[key] == nil else { throw InputError("\(key) is set twice") }
                entries[key] = Entry(value: value, line: number)
            } catch {
                throw error.at(line: number)
            }
        }
    }

    private static func header(_ line: Substring) throws(InputError) -> String {
        var rest = line.dropFirst()
        guard let close = rest.firstIndex(of: "]") else { throw InputError("expected [SECTION]") }
        let name = rest[..<close].trimmingBlanks
        rest = rest[rest.index(after: close)...].trimmingBlanks
        guard isBareKey(name) else {
            throw InputError("bad section \(String(name).quotedForMessage): use letters, digits, _ and - only")
        }
        guard rest.isEmpty || rest.first == "#" else { throw InputError("unexpected text after [\(name)]") }
        return String(name)
    }

    private static func isBareKey(_ text: Substring) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
                    || $0 == "-"
            }
    }
}

/// Reads the value after `=`, and checks that only a comment follows it.
private struct ValueReader {
    var text: Substring

    mutating func value() throws(InputError) -> ConfigFile.Value {
        text = text.trimmingBlanks
        guard let first = text.first else { throw InputError("a value is missing after =") }
        let value: ConfigFile.Value
        switch first {
        case "\"":
            guard !text.hasPrefix("\"\"\"") else { throw InputError("multi-line strings are not supported") }
            value = .string(try basicString())
        case "'":
            guard !text.hasPrefix("'''") else { throw InputError("multi-line strings are not supported") }
            value = .string(try literalString())
        case "[", "{":
            throw InputError("arrays and inline tables are not supported: no Harvest key takes one")
        default:
            value = try bareValue()
        }
        text = text.trimmingBlanks
        guard text.isEmpty || text.first == "#" else { throw InputError("unexpected text after the value") }
        return value
    }

    private mutating func basicString() throws(InputError) -> String {
        var scalars = String.UnicodeScalarView()
        var rest = text.unicodeScalars.dropFirst()
        while let scalar = rest.first {
            rest = rest.dropFirst()
            switch scalar {
            case "\"":
                text = Substring(rest)
                return String(scalars)
            case "\\":
                guard let escape = rest.first else { break }
                rest = rest.dropFirst()
                switch escape {
                case "\"", "\\": scalars.append(escape)
                case "n": scalars.append("\n")
                case "t": scalars.append("\t")
                case "r": scalars.append("\r")
                case "b": scalars.append("\u{8}")
                case "f": scalars.append("\u{C}")
                case "u", "U":
                    let width = escape == "u" ? 4 : 8
                    let hex = String(String.UnicodeScalarView(rest.prefix(width)))
                    guard hex.count == width, let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code)
                    else { throw InputError("bad \\\(escape) escape in a string") }
                    scalars.append(decoded)
                    rest = rest.dropFirst(width)
                default:
                    throw InputError("unknown escape \\\(String(escape).escapedForMessage()) in a string")
                }
            default:
                guard scalar.value >= 0x20 || scalar == "\t", scalar.value != 0x7F else {
                    throw InputError("a control character in a string")
                }
                scalars.append(scalar)
            }
        }
        throw InputError("a string is not closed")
    }

    private mutating func literalString() throws(InputError) -> String {
        let body = text.dropFirst()
        guard let close = body.firstIndex(of: "'") else { throw InputError("a string is not closed") }
        let value = body[..<close]
        guard value.unicodeScalars.allSatisfy({ ($0.value >= 0x20 || $0 == "\t") && $0.value != 0x7F }) else {
            throw InputError("a control character in a string")
        }
        text = body[body.index(after: close)...]
        return String(value)
    }

    private mutating func bareValue() throws(InputError) -> ConfigFile.Value {
        let end = text.firstIndex { $0 == " " || $0 == "\t" || $0 == "#" } ?? text.endIndex
        let word = String(text[..<end])
        text = text[end...]
        if word == "true" { return .boolean(true) }
        if word == "false" { return .boolean(false) }
        let digits = word.filter { $0 != "_" }
        // The word is never quoted back: an unquoted password would end up in the message.
        let bad = InputError("bad value: expected a quoted string, a number, true or false")
        guard !word.hasPrefix("_"), !word.hasSuffix("_"), !word.contains("__") else { throw bad }
        if let integer = Int64(digits), digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }) {
            return .integer(integer)
        }
        if digits.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
            let number = Double(digits), number.isFinite
        {
            return .float(number)
        }
        throw bad
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (TOML's whitespace).
    fileprivate var trimmingBlanks: Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else {
            return self[endIndex...]
        }
        return self[start...last]
    }
}
