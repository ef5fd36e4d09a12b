import Foundation
import HarvestCore
import Testing

/// What `make fuzz` found (see RELIABILITY.md), each with the input that showed it, so that `make test`
/// keeps it fixed. The fuzz targets are in `Fuzz/`; a test here names the target and the property.
@Suite struct FuzzRegressionTests {
    /// No message may carry a control character (a terminal acts on it) or run long.
    private func expectPrintable(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let control = message.unicodeScalars.filter { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        #expect(
            control.isEmpty,
            "control characters \(control) in \(message.debugDescription)",
            sourceLocation: sourceLocation
        )
        #expect(message.utf8.count <= 1024, sourceLocation: sourceLocation)
    }

    // FuzzOctoparse: an error envelope's code and description are the upstream's text, and went into
    // messages as they were (DEL here; any escape sequence would do), or as nothing at all.
    @Test func octoparseErrorTextIsEscapedAndNeverEmpty() {
        let body =
            Array(#"{"error":"unauthoriZed","error_Description":"accses_token in"#.utf8) + [0x7F]
            + Array(#"alid"}"#.utf8)
        #expect(throws: OctoparseAnswerError.api(code: "unauthoriZed", description: "accses_token in\u{7F}alid")) {
            try OctoparseDecoding.page(body)
        }
        let error = OctoparseAnswerError.api(code: "unauthoriZed", description: "accses_token in\u{7F}alid")
        #expect(error.description == #"unauthoriZed: accses_token in\u{7f}alid"#)
        #expect(OctoparseAnswerError.api(code: "", description: "").description == "error without a code")
        let long = OctoparseAnswerError.api(code: "x", description: String(repeating: "é", count: 5000))
        expectPrintable(long.description)
    }

    // FuzzValidators: C1 control characters (U+0080–U+009F; U+009B starts an escape sequence like ESC [)
    // were quoted back as they were.
    @Test func quotedValuesEscapeC1Controls() {
        #expect(throws: InputError(#"bad --param "conte\u{88}{\"key\":\"filter\",\"value\":1}]": expected key=value"#))
        {
            try JobParameter(parsing: "conte\u{88}{\"key\":\"filter\",\"value\":1}]")
        }
    }

    // The same property: a quoted value was cut to 80 characters, but one character can hold any number
    // of combining marks, so a message could still run to megabytes.
    @Test func quotedValuesAreCutInScalars() {
        let text = "a" + String(repeating: "\u{301}", count: 100_000)
        do {
            _ = try TaskID(parsing: text)
            Issue.record("accepted")
        } catch {
            expectPrintable(error.message)
        }
    }

    // FuzzConfigFile: a key that is not one was quoted back whole; a line missing its `=` is a key
    // followed by its value (the fuzzer cut `submit_concurrency = 4` into another line of the example).
    @Test(arguments: [
        "submit_concurrencoparse tasks (OCTOrency = 4",
        "admin_token dGhpc2lzYXNlY3JldA==",
    ])
    func configErrorsDoNotRepeatWhatFollowsAKey(line: String) {
        do {
            _ = try ConfigFile(parsing: Array(line.utf8))
            Issue.record("accepted \(line)")
        } catch {
            #expect(
                error.message
                    == "line 1: bad key before =: use letters, digits, _ and - only (no spaces, dots or quotes)"
            )
        }
    }

    // FuzzConfigFile: an unknown escape was quoted back as it was, a carriage return here.
    @Test func configUnknownEscapesAreShownEscaped() {
        #expect(throws: InputError(#"line 1: unknown escape \\r in a string"#)) {
            try ConfigFile(parsing: Array("x = \"\\\r\"".utf8))
        }
    }

    // FuzzValidators: a secret setting of the duration kind had its value quoted by the duration parser.
    @Test func secretDurationsAreNotQuoted() {
        let text = String(decoding: [UInt8](repeating: 0xA6, count: 10) + [0x81], as: UTF8.self)
        for value in [text, "hunter2hunter2"] {
            #expect(throws: InputError("bad oxylabs.password: expected a duration such as 250ms, 1.5s, 2m or 48h")) {
                try SettingValue(
                    text: value,
                    kind: .duration(minimum: .seconds(1)),
                    label: "oxylabs.password",
                    secret: true
                )
            }
        }
    }

    // FuzzColumnNames: a name cut at its length limit right after a separator ended in `_`, and was not
    // its own snake case or slug (idempotence).
    @Test func namesCutAtTheLimitDoNotEndInAnUnderscore() {
        let column = ColumnNames.snakeCase(String(repeating: "a", count: 59) + " b")
        #expect(column == String(repeating: "a", count: 59))
        #expect(ColumnNames.snakeCase(column) == column)
        let slug = TableName.slug(String(repeating: "n", count: 47) + "-b")
        #expect(slug == String(repeating: "n", count: 47))
        #expect(TableName.slug(slug) == slug)
        let assigned = ColumnNames.assign(
            [String(repeating: "a", count: 57) + " b c", String(repeating: "a", count: 57) + " b d"],
            existing: [:]
        )
        #expect(assigned.values.allSatisfy { !$0.contains("__") })
    }

    // FuzzColumnNames: a quote followed by a combining mark is one character, which `replacingOccurrences`
    // did not double; SQLite reads scalars, so the identifier ended at that quote.
    @Test(arguments: ["\u{1}\0\0\"\u{07F3}Image", "x\"\u{301}); DROP TABLE t;--"])
    func sqlIdentifiersDoubleEveryQuoteScalar(name: String) {
        let quoted = Array(SQLIdentifier.quoted(name).unicodeScalars)
        var expected: [Unicode.Scalar] = ["\""]
        for scalar in name.unicodeScalars { expected += scalar == "\"" ? ["\"", "\""] : [scalar] }
        expected.append("\"")
        #expect(quoted == expected)
    }
}
