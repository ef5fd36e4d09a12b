import HarvestCore
import Testing

@Suite struct ConfigFileTests {
    private func parse(_ text: String) throws(InputError) -> [String: ConfigFile.Value] {
        try ConfigFile(parsing: Array(text.utf8)).entries.mapValues(\.value)
    }

    private func error(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func readsSectionsTypesAndComments() throws {
        let entries = try parse(
            """
            # Harvest
            database = "/var/lib/harvest/harvest.sqlite"   # the file

            [oxylabs]
            username = 'alice'
            password = "p\\"w\\u00e9\\\\#x"
            poll_concurrency = 1_024
            initial_rate = 2.5
            [http]\r
            check_callback_sender = true
            """
        )
        #expect(
            entries == [
                "database": .string("/var/lib/harvest/harvest.sqlite"),
                "oxylabs.username": .string("alice"),
                "oxylabs.password": .string("p\"wé\\#x"),
                "oxylabs.poll_concurrency": .integer(1024),
                "oxylabs.initial_rate": .float(2.5),
                "http.check_callback_sender": .boolean(true),
            ]
        )
    }

    @Test func remembersLines() throws {
        let file = try ConfigFile(parsing: Array("\n[log]\n\nlevel = \"debug\"\n".utf8))
        #expect(file.entries["log.level"]?.line == 4)
    }

    @Test(arguments: [
        ("key", "line 1: expected KEY = VALUE"),
        ("a.b = 1", "line 1: bad key before =: use letters, digits, _ and - only (no spaces, dots or quotes)"),
        ("[a]\nx = 1\n[a]", "line 3: section [a] appears twice"),
        ("x = 1\nx = 2", "line 2: x is set twice"),
        ("x = \"open", "line 1: a string is not closed"),
        ("x = 'open", "line 1: a string is not closed"),
        ("x = \"\\q\"", "line 1: unknown escape \\q in a string"),
        ("x = [1, 2]", "line 1: arrays and inline tables are not supported: no Harvest key takes one"),
        ("x = \"\"\"long\"\"\"", "line 1: multi-line strings are not supported"),
        ("x = 1 2", "line 1: unexpected text after the value"),
        ("x =", "line 1: a value is missing after ="),
        ("[x", "line 1: expected [SECTION]"),
        ("[x] y", "line 1: unexpected text after [x]"),
        ("x = \"a\u{1}b\"", "line 1: a control character in a string"),
    ])
    func refusesWhatItDoesNotRead(text: String, message: String) {
        #expect(error(text) == message)
    }

    @Test func neverQuotesAnUnquotedValueBack() {
        let message = error("[oxylabs]\npassword = hunter2")
        #expect(message == "line 2: bad value: expected a quoted string, a number, true or false")
        #expect(message?.contains("hunter2") == false)
    }

    @Test func skipsAByteOrderMark() throws {
        let file = try ConfigFile(parsing: [0xEF, 0xBB, 0xBF] + Array("database = \"a.sqlite\"\n".utf8))
        #expect(file.entries["database"]?.value == .string("a.sqlite"))
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(throws: InputError("the file is not UTF-8 text")) {
            try ConfigFile(parsing: [0x78, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22])
        }
    }
}
