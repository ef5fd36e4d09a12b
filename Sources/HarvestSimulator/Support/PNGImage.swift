import Foundation

/// Small valid PNG images, as Oxylabs returns for `render=png` (Base64 in the results).
enum PNGImage {
    /// A 1×1 opaque pixel with a `tEXt` chunk naming `label`, so each job's screenshot differs.
    static func make(label: String) -> [UInt8] {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        // IHDR: width 1, height 1, bit depth 8, colour type 2 (RGB), no interlace.
        png += chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
        png += chunk("tEXt", Array("Comment".utf8) + [0] + Array(label.utf8.filter { $0 >= 0x20 && $0 < 0x7F }))
        // IDAT: a zlib stream holding one scanline (filter 0, one RGB pixel), stored uncompressed.
        let scanline: [UInt8] = [0, 0x2E, 0x8B, 0x57]
        var zlib: [UInt8] = [0x78, 0x01, 0x01]
        zlib += [UInt8(scanline.count & 0xFF), UInt8(scanline.count >> 8)]
        zlib += [UInt8(~scanline.count & 0xFF), UInt8((~scanline.count >> 8) & 0xFF)]
        zlib += scanline
        zlib += bigEndian(adler32(scanline))
        png += chunk("IDAT", zlib)
        png += chunk("IEND", [])
        return png
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(crc32(typeBytes + data))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return ~crc
    }

    private static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}
