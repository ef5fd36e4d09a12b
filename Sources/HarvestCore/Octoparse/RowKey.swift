import Crypto

/// The identity of an Octoparse row, which has none upstream: the hash of its content and how many
/// identical rows came before it in the same storage-time window.
///
/// Fetching a window again (after a crash, or to catch late commits) yields the same keys for the rows
/// already stored, so only new rows are inserted, while two genuinely identical rows keep two keys.
public struct RowKey: Hashable, Sendable {
    /// The first 16 bytes of the SHA-256 of the row's values in column order.
    public var hash: (UInt64, UInt64)
    /// Identical rows before this one in the window.
    public var ordinal: UInt32

    /// The key as the 20 bytes stored in `_row_key` (hash, then ordinal, big-endian).
    public var bytes: [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(20)
        for word in [hash.0, hash.1] { withUnsafeBytes(of: word.bigEndian) { output.append(contentsOf: $0) } }
        withUnsafeBytes(of: ordinal.bigEndian) { output.append(contentsOf: $0) }
        return output
    }

    public static func == (left: RowKey, right: RowKey) -> Bool {
        left.hash == right.hash && left.ordinal == right.ordinal
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hash.0)
        hasher.combine(hash.1)
        hasher.combine(ordinal)
    }
}

/// Gives the rows of one pass over a window their keys, counting identical rows as it goes.
public struct WindowRowKeys {
    private struct ContentHash: Hashable {
        var high: UInt64
        var low: UInt64
    }

    private var seen: [ContentHash: UInt32] = [:]
    private var buffer: [UInt8] = []

    public init() {}

    /// The key of the next row, given its values in the order of the task's columns. Trailing missing
    /// values are ignored, so a row keeps its key when later rows add columns.
    public mutating func key(for values: some Collection<String?>) -> RowKey {
        let hash = Self.contentHash(values, buffer: &buffer)
        let ordinal = seen[hash, default: 0]
        seen[hash] = ordinal + 1
        return RowKey(hash: (hash.high, hash.low), ordinal: ordinal)
    }

    /// Each value is written as a presence byte, then its length and bytes, so that no two different rows
    /// (`["ab", "c"]` and `["a", "bc"]`, `""` and missing) are written alike.
    private static func contentHash(_ values: some Collection<String?>, buffer: inout [UInt8]) -> ContentHash {
        buffer.removeAll(keepingCapacity: true)
        var pendingMissing = 0
        for value in values {
            guard var value else {
                pendingMissing += 1
                continue
            }
            buffer.append(contentsOf: repeatElement(0, count: pendingMissing))
            pendingMissing = 0
            buffer.append(1)
            let count = UInt32(truncatingIfNeeded: value.utf8.count)
            withUnsafeBytes(of: count.littleEndian) { buffer.append(contentsOf: $0) }
            value.withUTF8 { buffer.append(contentsOf: $0) }
        }
        let digest = buffer.withUnsafeBytes { SHA256.hash(data: $0) }
        return digest.withUnsafeBytes { raw in
            ContentHash(
                high: raw.loadUnaligned(as: UInt64.self),
                low: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            )
        }
    }
}
