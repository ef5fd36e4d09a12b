import NIOCore

/// Writes JSON straight into bytes: no value tree per row and no encoder, so a 1,000-row page costs
/// little more than copying its bytes. Bytes go to a plain array, handed over as one `ByteBuffer` at the
/// end: appending to an array is several times cheaper than writing a `ByteBuffer` piece by piece, which
/// matters because the simulator shares the benchmark machine with the Harvest it serves.
struct JSONBufferWriter {
    private var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// The JSON written so far.
    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    /// Appends JSON text as it is (punctuation and keys known to need no escaping).
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func integer(_ value: some BinaryInteger) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Appends `text` as a JSON string literal, escaping what RFC 8259 requires (quote, backslash,
    /// control characters); everything else, non-ASCII included, is copied as UTF-8.
    mutating func string(_ text: String) {
        var text = text
        bytes.append(UInt8(ascii: "\""))
        text.withUTF8 { utf8 in
            var clean = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<index]))
                writeEscape(byte)
                clean = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a row as a JSON object, fields in their order.
    mutating func row(_ fields: [SimulatedRow.Field]) {
        bytes.append(UInt8(ascii: "{"))
        for (position, field) in fields.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            string(field.name)
            bytes.append(UInt8(ascii: ":"))
            string(field.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func writeEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw(#"\""#)
        case UInt8(ascii: "\\"): raw(#"\\"#)
        case 0x0A: raw(#"\n"#)
        case 0x0D: raw(#"\r"#)
        case 0x09: raw(#"\t"#)
        default:
            let hex = Array("0123456789abcdef".utf8)
            raw(#"\u00"#)
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0x0F)])
        }
    }
}
