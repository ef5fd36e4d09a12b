import Foundation
import Synchronization

/// Writes whole lines to a file descriptor (standard error), one at a time, so that events logged from
/// many threads never interleave within a line.
public final class LogLineWriter: Sendable {
    /// Standard error, shared by every logger of the process.
    public static let standardError = LogLineWriter(descriptor: STDERR_FILENO)

    private let descriptor: Mutex<Int32>

    public init(descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    /// Writes `line` and a newline; a write that fails (a closed descriptor) drops the line.
    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        descriptor.withLock { descriptor in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0, errno == EINTR { continue }
                    if written <= 0 { return }
                    offset += written
                }
            }
        }
    }
}
