import Crypto
import Foundation

/// Hex digests for checksums and content keys.
public enum Digest {
    /// The SHA-256 of `text`'s UTF-8 bytes, as 64 lower-case hex digits.
    public static func sha256Hex(_ text: String, bytes count: Int = 32) -> String {
        hex(SHA256.hash(data: Data(text.utf8)).prefix(count))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
