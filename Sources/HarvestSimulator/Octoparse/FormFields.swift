/// The name-value pairs of a query string or an `application/x-www-form-urlencoded` body.
///
/// Names match case-insensitively, as on the real (ASP.NET) server: `taskId` and `taskid` are the same
/// parameter. Values are decoded the form way (`+` is a space, `%XX` a byte), so a value a client did not
/// URL-encode comes out mangled, as it does upstream.
struct FormFields: Sendable {
    private let pairs: [(name: String, value: String)]

    init(_ text: String) {
        pairs = text.utf8.split(separator: UInt8(ascii: "&")).map { pair in
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else {
                return (Self.decode(pair).lowercased(), "")
            }
            return (Self.decode(pair[..<equals]).lowercased(), Self.decode(pair[pair.index(after: equals)...]))
        }
    }

    /// The first value of `name` (any case), or nil when absent.
    subscript(_ name: String) -> String? {
        let name = name.lowercased()
        return pairs.first { $0.name == name }?.value
    }

    /// Form decoding: `+` is a space, `%XX` a byte; a `%` not followed by two hex digits stays as it is.
    private static func decode(_ encoded: Substring.UTF8View) -> String {
        let bytes = Array(encoded)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
