/// The key that makes a retried submit return the jobs it already queued (`--idempotency-key`, the
/// admin API's `Idempotency-Key` header).
public enum IdempotencyKey {
    /// Checks a key: 1 to 200 bytes, no control characters. `label` names where it came from.
    public static func check(_ key: String, label: String) throws(InputError) {
        guard !key.isEmpty, key.utf8.count <= 200, !key.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw InputError("bad \(label) \(key.quotedForMessage): 1 to 200 bytes, no control characters")
        }
    }

    /// The key of line `line` of a file of jobs submitted under `key`.
    public static func forLine(_ line: Int, of key: String?) -> String? {
        key.map { "\($0)#\(line)" }
    }
}
