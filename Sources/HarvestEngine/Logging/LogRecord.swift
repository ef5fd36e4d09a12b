import Foundation
import Logging

/// One log event as it is written: what ``StructuredLogHandler`` hands to the formatter, so that the
/// format is a pure function of the event (record in, line out) and tested without any I/O.
///
/// ```swift
/// let record = LogRecord(time: now, level: .info, message: "task synced", metadata: ["task": "6a1b…"])
/// record.line(in: .logfmt)  // ts=2026-11-27T04:15:00.123Z level=info msg="task synced" task=6a1b…
/// ```
public struct LogRecord: Sendable {
    public var time: Date
    public var level: Logger.Level
    public var message: String
    /// The logger's label (`harvest`).
    public var label: String
    /// The module that logged (`HarvestEngine`, `Hummingbird`, …).
    public var source: String
    public var metadata: Logger.Metadata

    public init(
        time: Date,
        level: Logger.Level,
        message: String,
        label: String = "harvest",
        source: String = "",
        metadata: Logger.Metadata = [:]
    ) {
        self.time = time
        self.level = level
        self.message = message
        self.label = label
        self.source = source
        self.metadata = metadata
    }

    /// The event as one line in `format`, without the trailing newline. The line never contains a line
    /// break, and known secret shapes are redacted (``LogRedaction``).
    public func line(in format: LogFormat) -> String {
        switch format {
        case .logfmt: logfmtLine
        case .json: jsonLine
        }
    }

    /// The fields every line starts with; a metadata key that would collide with one is written with a
    /// leading underscore (`_msg`).
    static let reservedKeys: Set<String> = ["ts", "level", "msg", "label", "source"]

    /// The metadata as written: identifying keys first (`job`, `remote`, `task`), then the others sorted,
    /// values redacted where the key names a secret or the text holds one.
    var fields: [(key: String, value: Logger.MetadataValue)] {
        metadata.map { key, value in
            (key: Self.reservedKeys.contains(key) ? "_" + key : key, value: LogRedaction.redact(value, key: key))
        }.sorted { left, right in
            let leftRank = Self.leadingKeys.firstIndex(of: left.key) ?? Self.leadingKeys.count
            let rightRank = Self.leadingKeys.firstIndex(of: right.key) ?? Self.leadingKeys.count
            return leftRank != rightRank ? leftRank < rightRank : left.key < right.key
        }
    }

    private static let leadingKeys = ["job", "remote", "task"]
}
