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

    /// The key stored as `bytes` (20 bytes: hash, then ordinal, big-endian).
    public init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 20, "a row key is 20 bytes")
        hash = (
            UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        )
        ordinal = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }

    init(hash: (UInt64, UInt64), ordinal: UInt32) {
        self.hash = hash
        self.ordinal = ordinal
    }

    /// Calls `body` with ``bytes`` without allocating them.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var packed = (hash.0.bigEndian, hash.1.bigEndian, ordinal.bigEndian)
        return try withUnsafeBytes(of: &packed) { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(20))) }
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

/// A row's values written into one buffer, as row identity hashes them: each present value as a presence
/// byte, its length and its bytes; a missing value as one 0 byte (trailing missing values are left out,
/// so a row keeps its encoding when later rows add columns). No two different rows (`["ab", "c"]` and
/// `["a", "bc"]`, `""` and missing) encode alike.
///
/// The store binds the values straight from this buffer, so each value is copied once per row.
public struct EncodedRow {
    public private(set) var bytes: [UInt8] = []
    /// Where each column's value lies in ``bytes``; nil for a missing value.
    public private(set) var ranges: [Range<Int>?] = []

    public init() {}

    /// Encodes `values` (in the order of the task's columns), replacing the previous row.
    public mutating func encode(_ values: [String?]) {
        bytes.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        var pendingMissing = 0
        for value in values {
            guard let value else {
                pendingMissing += 1
                ranges.append(nil)
                continue
            }
            for _ in 0..<pendingMissing { bytes.append(0) }
            pendingMissing = 0
            let utf8 = value.utf8
            let count = UInt32(truncatingIfNeeded: utf8.count)
            bytes.append(1)
            bytes.append(UInt8(truncatingIfNeeded: count))
            bytes.append(UInt8(truncatingIfNeeded: count >> 8))
            bytes.append(UInt8(truncatingIfNeeded: count >> 16))
            bytes.append(UInt8(truncatingIfNeeded: count >> 24))
            let start = bytes.count
            if utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
                bytes.append(contentsOf: utf8)
            }
            ranges.append(start..<bytes.count)
        }
    }
}

/// The first 16 bytes of the SHA-256 of an encoded row: the content part of its ``RowKey``.
public struct ContentHash: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64

    public init(of encoded: UnsafeRawBufferPointer) {
        let digest = SHA256.hash(data: encoded)
        (high, low) = digest.withUnsafeBytes { raw in
            (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }
}

/// Gives the rows of one pass over a window their keys, counting identical rows as it goes, and knows
/// which keys the window already holds, so a pass stores only new rows.
public struct WindowRowKeys {
    private var seen: [ContentHash: UInt32] = [:]
    private var scratch = EncodedRow()
    /// Keys already stored in the window, as loaded from the store and added to by this pass.
    private var stored: Set<RowKey> = []
    /// How many of the store's key batches for the window ``stored`` reflects: when the store holds a
    /// different number, someone else wrote to the window and the keys are loaded again.
    public private(set) var storedBatches = 0

    public init() {}

    /// Replaces what is known to be stored with `keys`, read from `batches` batches.
    public mutating func adoptStored(_ keys: Set<RowKey>, batches: Int) {
        stored = keys
        storedBatches = batches
    }

    /// Whether the row with `key` is new to the window; it is known as stored from now on.
    public mutating func claim(_ key: RowKey) -> Bool {
        stored.insert(key).inserted
    }

    /// Counts one more batch of keys written to the store.
    public mutating func addedBatch() {
        storedBatches += 1
    }

    /// The key of the next row, given its values in the order of the task's columns. Trailing missing
    /// values are ignored, so a row keeps its key when later rows add columns.
    public mutating func key(for values: [String?]) -> RowKey {
        scratch.encode(values)
        return key(for: scratch)
    }

    /// The key of the next row, already encoded.
    public mutating func key(for row: EncodedRow) -> RowKey {
        key(for: row.bytes.withUnsafeBytes { ContentHash(of: $0) })
    }

    /// The key of the next row, already hashed.
    public mutating func key(for hash: ContentHash) -> RowKey {
        let ordinal = seen[hash, default: 0]
        seen[hash] = ordinal + 1
        return RowKey(hash: (hash.high, hash.low), ordinal: ordinal)
    }
}
