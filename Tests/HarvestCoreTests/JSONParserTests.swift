import Foundation
import HarvestCore
import Testing

@Suite struct JSONParserTests {
    @Test(arguments: [
        (
            #"{"a":[1,-2,3.5,1e3,true,false,null,"x"]}"#,
            JSONValue.object([
                "a": .array([
                    .integer(1), .integer(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null,
                    .string("x"),
                ])
            ])
        ),
        (#"  "\u00e9\ud83d\ude00\n\"\\\/"  "#, .string("é😀\n\"\\/")),
        (#"9223372036854775807"#, .integer(.max)),
        (#"9223372036854775808"#, .double(9_223_372_036_854_775_808)),
        (#"{"k":1,"k":2}"#, .object(["k": .integer(2)])),
        (#"[]"#, .array([])),
        (#"{}"#, .object([:])),
        ("\"naïve 日本\"", .string("naïve 日本")),
    ])
    func parsesValidJSON(text: String, value: JSONValue) throws {
        #expect(try JSONValue.parse(text) == value)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "+1", ".5", "1e", "tru", "nul", "\"abc", "\"a\u{01}b\"",
        "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\u12\"", "{a:1}", "[1 2]", "1 2", "NaN", "1e999", "'x'",
    ])
    func refusesInvalidJSON(text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test func refusesInvalidUTF8InStrings() {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Data([0x22, 0xFF, 0x22])) }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Data([0x22, 0x5C, 0x6E, 0xC3, 0x22])) }
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect {
            try JSONValue.parse(deep)
        } throws: { error in
            "\(error)".contains("nested deeper")
        }
        let fine =
            String(repeating: "[", count: JSONParser.maximumDepth)
            + String(repeating: "]", count: JSONParser.maximumDepth)
        _ = try JSONValue.parse(fine)
    }

    @Test func agreesWithFoundationOnRoundTrips() throws {
        let value = JSONValue.object([
            "s": .string("quote \" backslash \\ tab \t nul-ish \u{1} emoji 🎉"), "n": .integer(-42), "d": .double(0.125),
            "a": .array([.null, .bool(true), .object(["x": .array([])])]),
        ])
        #expect(try JSONValue.parse(value.canonicalText) == value)
        let foundation = try JSONSerialization.jsonObject(with: Data(value.canonicalText.utf8)) as! [String: Any]
        #expect(foundation["s"] as? String == "quote \" backslash \\ tab \t nul-ish \u{1} emoji 🎉")
    }
}
