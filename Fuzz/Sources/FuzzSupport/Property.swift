import Foundation
import HarvestCore

/// Stops the run when a property does not hold: libFuzzer reports the abort as a crash and saves the
/// input that caused it (`crash-<sha1>`).
public func expect(
    _ condition: @autoclosure () -> Bool,
    _ message: @autoclosure () -> String,
    file: StaticString = #fileID,
    line: UInt = #line
) {
    guard !condition() else { return }
    FileHandle.standardError.write(Data("property failed at \(file):\(line): \(message())\n".utf8))
    abort()
}

/// What every message shown to a user must be: short, and free of control characters (a message is
/// printed to a terminal or a log line, and an escape sequence in it would be interpreted there).
public func expectPrintable(_ message: String, limit: Int = 1024, file: StaticString = #fileID, line: UInt = #line) {
    expect(!message.isEmpty, "an empty message", file: file, line: line)
    expect(
        message.utf8.count <= limit,
        "a message of \(message.utf8.count) bytes: \(message.prefix(200).debugDescription)…",
        file: file,
        line: line
    )
    let control = message.unicodeScalars.first { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    expect(
        control == nil,
        "a control character U+\(String(control?.value ?? 0, radix: 16)) in \(message.debugDescription)",
        file: file,
        line: line
    )
}

/// Two JSON values that mean the same: numbers compared by value (the canonical text writes `1.0` as
/// `1`, which reads back as an integer).
public func sameJSON(_ left: JSONValue, _ right: JSONValue) -> Bool {
    switch (left, right) {
    case (.integer(let a), .integer(let b)): return a == b
    case (.double(let a), .double(let b)): return a == b
    case (.integer(let a), .double(let b)), (.double(let b), .integer(let a)): return Double(a) == b
    case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { sameJSON($0, $1) }
    case (.object(let a), .object(let b)):
        return a.count == b.count && a.allSatisfy { key, value in b[key].map { sameJSON(value, $0) } ?? false }
    default: return left == right
    }
}

/// Two texts of a scalar: equal, or JSON numbers of the same value (`1.50` and `1.5`).
public func sameScalarText(_ left: String?, _ right: String?) -> Bool {
    guard let left, let right else { return left == nil && right == nil }
    if left == right { return true }
    guard let a = try? JSONValue.parse(left), let b = try? JSONValue.parse(right) else { return false }
    switch (a, b) {
    case (.integer, _), (.double, _): return sameJSON(a, b)
    default: return false
    }
}

/// Reads a fuzzer's input as a few small choices followed by the rest.
public struct FuzzInput {
    public private(set) var bytes: UnsafeBufferPointer<UInt8>

    public init(_ start: UnsafePointer<UInt8>?, _ count: Int) {
        bytes = UnsafeBufferPointer(start: count == 0 ? nil : start, count: count)
    }

    /// The next byte (0 when none is left).
    public mutating func byte() -> UInt8 {
        guard let first = bytes.first else { return 0 }
        bytes = UnsafeBufferPointer(rebasing: bytes.dropFirst())
        return first
    }

    /// The rest as text, decoded as the command line decodes arguments (invalid UTF-8 repaired).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
