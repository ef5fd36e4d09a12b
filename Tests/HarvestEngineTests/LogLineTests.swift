import Foundation
import HarvestEngine
import Logging
import Testing

private let instant = Date(timeIntervalSince1970: 1_795_752_900.123)  // 2026-11-27T04:15:00.123Z

private func record(
    _ metadata: Logger.Metadata = [:],
    message: String = "task synced",
    level: Logger.Level = .info
) -> LogRecord {
    LogRecord(time: instant, level: level, message: message, source: "HarvestEngine", metadata: metadata)
}

private func object(_ line: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

/// The log line formats: what an operator greps and what a log shipper parses.
@Suite struct LogLineTests {
    @Test func logfmtStartsWithTimeLevelAndMessageThenTheIdentifyingFields() {
        let line = record([
            "rows": "1500", "task": "6a1b2c3d-4e5f-6789-abcd-ef0123456789", "remote": "7", "job": "42",
        ]).line(in: .logfmt)
        #expect(
            line == "ts=2026-11-27T04:15:00.123Z level=info msg=\"task synced\" job=42 remote=7 "
                + "task=6a1b2c3d-4e5f-6789-abcd-ef0123456789 rows=1500 source=HarvestEngine"
        )
    }

    @Test func logfmtQuotesAndEscapesWhatWouldBreakAPairOrALine() {
        let line = record(
            [
                "a": "two words", "b": "say \"hi\"", "c": "k=v", "d": "back\\slash", "e": "line\nbreak\r\tend",
                "f": "", "g": "esc\u{1B}ape", "h": "sep\u{2028}arated", "i": "naïve-ütf8",
            ],
            message: "ok"
        ).line(in: .logfmt)
        #expect(line.contains(#" a="two words""#))
        #expect(line.contains(#" b="say \"hi\"""#))
        #expect(line.contains(#" c="k=v""#))
        #expect(line.contains(#" d="back\\slash""#))
        #expect(line.contains(#" e="line\nbreak\r\tend""#))
        #expect(line.contains(#" f="""#))
        #expect(line.contains(#" g="esc\u001bape""#))
        #expect(line.contains(#" h="sep\u2028arated""#))
        #expect(line.contains(" i=naïve-ütf8 "))
        #expect(line.contains("msg=ok "))
        let breaks = line.filter(\.isNewline)
        #expect(breaks.isEmpty)
    }

    @Test func logfmtKeysStayWordsAndReservedNamesAreNotOverwritten() {
        let line = record(["msg": "sneaky", "bad key=x": "1", "": "2"]).line(in: .logfmt)
        #expect(line.hasPrefix(#"ts=2026-11-27T04:15:00.123Z level=info msg="task synced" "#))
        #expect(line.contains(" _msg=sneaky"))
        #expect(line.contains(" bad_key_x=1"))
        #expect(line.contains(" _=2"))
    }

    @Test func logfmtFlattensNestedMetadata() {
        let line = record(["window": ["from": "1", "to": "2"], "ids": ["3", "4"]]).line(in: .logfmt)
        #expect(line.contains(" window.from=1 window.to=2"))
        #expect(line.contains(" ids=[3,4]"))
    }

    @Test func jsonIsOneParsableObjectWithTheMetadataAsFields() throws {
        let line = record(
            [
                "job": "42", "error": "line one\nline \"two\"\u{0}", "msg": "sneaky",
                "window": ["from": "1"], "ids": ["3", "4"],
            ],
            message: "job final",
            level: .notice
        ).line(in: .json)
        let breaks = line.filter(\.isNewline)
        #expect(breaks.isEmpty)
        let fields = try object(line)
        #expect(fields["ts"] as? String == "2026-11-27T04:15:00.123Z")
        #expect(fields["level"] as? String == "notice")
        #expect(fields["msg"] as? String == "job final")
        #expect(fields["label"] as? String == "harvest")
        #expect(fields["source"] as? String == "HarvestEngine")
        #expect(fields["job"] as? String == "42")
        #expect(fields["error"] as? String == "line one\nline \"two\"\u{0}")
        #expect(fields["_msg"] as? String == "sneaky")
        #expect((fields["window"] as? [String: Any])?["from"] as? String == "1")
        #expect(fields["ids"] as? [String] == ["3", "4"])
        #expect(line.hasPrefix(#"{"ts":"2026-11-27T04:15:00.123Z","level":"notice","msg":"job final","#))
    }

    @Test func everyLevelIsNamedAsTheFlagNamesIt() throws {
        for level in Logger.Level.allCases {
            #expect(record(level: level).line(in: .logfmt).contains(" level=\(level.rawValue) "))
            #expect(try object(record(level: level).line(in: .json))["level"] as? String == level.rawValue)
        }
    }
}

/// Secrets never reach a log line, whatever a message or an error description holds.
@Suite struct LogRedactionTests {
    @Test(arguments: [
        (
            "POST http://h:8080/callbacks/oxylabs/0123456789abcdef failed",
            "POST http://h:8080/callbacks/oxylabs/REDACTED failed"
        ),
        (
            #"{"callback_url":"https://x/callbacks/oxylabs/f00d"}"#,
            #"{"callback_url":"https://x/callbacks/oxylabs/REDACTED"}"#
        ),
        (
            "grant_type=password&username=u&password=p%26ss+1&x=y",
            "grant_type=password&username=u&password=REDACTED&x=y"
        ),
        (
            #"{"access_token": "abc.def", "refresh_token":"r\"1"}"#,
            #"{"access_token": "REDACTED", "refresh_token":"REDACTED"}"#
        ),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9abcdef", "Authorization: Bearer REDACTED"),
        (
            "HTTPClientError.invalidHeaderFieldValues([\"Basic dXNlcjpwYXNzd29yZDEyMw==\"])",
            "HTTPClientError.invalidHeaderFieldValues([\"Basic REDACTED\"])"
        ),
        ("basic auth refused", "basic auth refused"),
        ("the password was refused", "the password was refused"),
        ("naïve /callbacks/oxylabs/ü secret", "naïve /callbacks/oxylabs/REDACTED secret"),
    ])
    func shapesOfSecretsAreRedacted(text: String, expected: String) {
        #expect(LogRedaction.redact(text) == expected)
    }

    @Test func metadataNamedForASecretIsRedactedWhole() throws {
        let line = record(
            [
                "password": "hunter2", "access_token": "tok-123", "refresh_token": "ref-456",
                "authorization": "auth-789", "callback_secret": "sec-000", "account": "user at http://h",
            ]
        ).line(in: .json)
        for secret in ["hunter2", "tok-123", "ref-456", "auth-789", "sec-000"] { #expect(!line.contains(secret)) }
        #expect(try object(line)["account"] as? String == "user at http://h")
    }

    @Test func theMessageIsRedactedToo() {
        let line = record(message: "calling /callbacks/oxylabs/deadbeef").line(in: .logfmt)
        #expect(line.contains(#"msg="calling /callbacks/oxylabs/REDACTED""#))
    }
}

/// The handler: levels, metadata from the logger and the call, one whole line per event.
@Suite struct StructuredLogHandlerTests {
    @Test func eventsAtOrAboveTheLevelAreWrittenAsLinesWithTheLoggersMetadata() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        let writer = LogLineWriter(descriptor: descriptors[1])
        var logger = Logger(label: "harvest") { label in
            StructuredLogHandler(label: label, format: .json, level: .info, writer: writer, now: { instant })
        }
        logger[metadataKey: "owner"] = "host:1"
        logger.debug("not written")
        logger.info("job submitted", metadata: ["job": "1", "remote": "77"])
        logger.warning("two\nlines", metadata: ["owner": "call wins"])
        close(descriptors[1])
        let output = String(
            decoding: FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true).readDataToEndOfFile(),
            as: UTF8.self
        )
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let first = try object(lines[0])
        #expect(first["msg"] as? String == "job submitted")
        #expect(first["job"] as? String == "1")
        #expect(first["remote"] as? String == "77")
        #expect(first["owner"] as? String == "host:1")
        #expect(first["source"] as? String == "HarvestEngineTests")
        let second = try object(lines[1])
        #expect(second["msg"] as? String == "two\nlines")
        #expect(second["owner"] as? String == "call wins")
    }
}
