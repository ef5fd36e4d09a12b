import Foundation

/// Reads a JSON Lines file of Oxylabs job payloads, one job per line (`harvest jobs submit --file`).
///
/// Blank lines are skipped. Every error names its 1-based line number, so a user can fix a
/// 100,000-line file without guessing.
public struct JobLines: Sendable {
    /// The longest line accepted; a larger one is almost certainly not a job payload.
    public static let maximumLineBytes = 1 << 20

    private let data: Data
    private let resultTypes: [ResultType]?

    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - resultTypes: `--results`, applied to every line, or `nil` for each job's default.
    public init(_ data: Data, resultTypes: [ResultType]?) {
        self.data = data
        self.resultTypes = resultTypes
    }

    /// Calls `body` with each line's request, in file order, stopping at the first bad line.
    public func forEachJob(_ body: (_ line: Int, _ request: JobRequest) throws -> Void) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var lineNumber = 0
            // A UTF-8 byte order mark, as some Windows editors write, is not part of the first line.
            var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while start < bytes.count {
                lineNumber += 1
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                let next = end + 1
                // Trim CR (CRLF files) and blanks at the byte level: NSString trimming costs more than parsing.
                var trimmedStart = start
                var trimmedEnd = end
                while trimmedEnd > trimmedStart, Self.isBlank(bytes[trimmedEnd - 1]) { trimmedEnd -= 1 }
                while trimmedStart < trimmedEnd, Self.isBlank(bytes[trimmedStart]) { trimmedStart += 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[trimmedStart..<trimmedEnd])
                start = next
                if line.isEmpty { continue }
                do {
                    try body(lineNumber, try request(line))
                } catch let error as InputError {
                    throw error.at(line: lineNumber)
                }
            }
        }
    }

    /// Counts the jobs, checking every line; throws the first bad line's error.
    public func validate() throws(InputError) -> Int {
        var count = 0
        do {
            try forEachJob { _, _ in count += 1 }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError("\(error)")
        }
        return count
    }

    private func request(_ line: UnsafeBufferPointer<UInt8>) throws(InputError) -> JobRequest {
        guard line.count <= Self.maximumLineBytes else {
            throw InputError("longer than \(Self.maximumLineBytes) bytes")
        }
        if line.contains(0) {
            throw InputError("contains a NUL byte")
        }
        guard let text = String(validating: line, as: UTF8.self) else {
            throw InputError("not valid UTF-8")
        }
        let payload: JSONValue
        do {
            payload = try JSONParser.parse(line)
        } catch {
            throw InputError("not valid JSON (\(error))")
        }
        return try JobRequest.validate(payload, payloadText: text, resultTypes: resultTypes)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }
}
