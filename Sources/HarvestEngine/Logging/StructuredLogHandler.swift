import Foundation
import Logging

/// A swift-log handler that writes each event as one logfmt or JSON line (``LogRecord/line(in:)``) to
/// standard error. The formatting is pure; this type only gathers the event's fields and writes the line.
///
/// ```swift
/// LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, format: .json, level: .info) }
/// ```
public struct StructuredLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: LogFormat
    let writer: LogLineWriter
    let now: @Sendable () -> Date

    public init(
        label: String,
        format: LogFormat,
        level: Logger.Level,
        metadataProvider: Logger.MetadataProvider? = nil,
        writer: LogLineWriter = .standardError,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.writer = writer
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            fields.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            fields.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error, fields["error"] == nil {
            fields["error"] = "\(error)"
        }
        let record = LogRecord(
            time: now(),
            level: event.level,
            message: event.message.description,
            label: label,
            source: event.source,
            metadata: fields
        )
        writer.write(record.line(in: format))
    }
}
