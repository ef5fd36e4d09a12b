import NIOCore

/// Writes JSON straight into a `ByteBuffer`: no value tree per row and no encoder, so a 1,000-row page
/// costs little more than copying its bytes.
struct JSONBufferWriter {
    private(set) var buffer: ByteBuffer

    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Appends JSON text as it is (punctuation and keys known to need no escaping).
    mutating func raw(_ text: StaticString) {
        buffer.writeStaticString(text)
    }

    mutating func integer(_ value: some BinaryInteger) {
        buffer.writeString(String(value))
    }

    /// Appends `text` as a JSON string literal, escaping what RFC 8259 requires (quote, backslash,
    /// control characters); everything else, non-ASCII included, is copied as UTF-8.
    mutating func string(_ text: String) {
        var text = text
        buffer.writeInteger(UInt8(ascii: "\""))
        text.withUTF8 { bytes in
            var clean = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[clean..<index])))
                writeEscape(byte)
                clean = index + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[clean...])))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Appends a row as a JSON object, fields in their order.
    mutating func row(_ fields: [SimulatedRow.Field]) {
        buffer.writeInteger(UInt8(ascii: "{"))
        for (position, field) in fields.enumerated() {
            if position > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            string(field.name)
            buffer.writeInteger(UInt8(ascii: ":"))
            string(field.value)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    private mutating func writeEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString(#"\""#)
        case UInt8(ascii: "\\"): buffer.writeStaticString(#"\\"#)
        case 0x0A: buffer.writeStaticString(#"\n"#)
        case 0x0D: buffer.writeStaticString(#"\r"#)
        case 0x09: buffer.writeStaticString(#"\t"#)
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            buffer.writeStaticString(#"\u00"#)
            buffer.writeInteger(hex[Int(byte >> 4)])
            buffer.writeInteger(hex[Int(byte & 0x0F)])
        }
    }
}
