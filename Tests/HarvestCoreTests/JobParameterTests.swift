import HarvestCore
import Testing

@Suite struct JobParameterTests {
    @Test(arguments: [
        ("parse=true", "parse", JSONValue.bool(true)),
        ("parse=false", "parse", .bool(false)),
        ("pages=3", "pages", .integer(3)),
        ("start_page=2", "start_page", .integer(2)),
        ("limit=100", "limit", .integer(100)),
        // Only the parameters known to be numbers or booleans are typed: a zip code stays a string.
        ("geo_location=10001", "geo_location", .string("10001")),
        ("geo_location=02134", "geo_location", .string("02134")),
        ("ratio=-1.5", "ratio", .string("-1.5")),
        ("xhr=true", "xhr", .string("true")),
        (#"geo_location="10001""#, "geo_location", .string("10001")),
        ("pages=three", "pages", .string("three")),
        ("pages=1e400", "pages", .string("1e400")),
        ("geo_location=United States", "geo_location", .string("United States")),
        ("domain=", "domain", .string("")),
        ("zip=02134x", "zip", .string("02134x")),
        ("note=a=b", "note", .string("a=b")),
        (
            #"context=[{"key":"filter","value":1}]"#, "context",
            .array([.object(["key": .string("filter"), "value": .integer(1)])])
        ),
        (#"parsing_instructions={"title":{}}"#, "parsing_instructions", .object(["title": .object([:])])),
        (#"locale="true""#, "locale", .string("true")),
        ("x=null", "x", .string("null")),
        ("parse=null", "parse", .null),
    ])
    func readsTypedValues(text: String, key: String, value: JSONValue) throws {
        let parameter = try JobParameter(parsing: text)
        #expect(parameter.key == key)
        #expect(parameter.value == value)
    }

    @Test(arguments: [
        ("noequals", "bad --param \"noequals\": expected key=value"),
        ("=1", "bad --param key \"\""),
        ("bad key=1", "bad --param key \"bad key\""),
        ("1abc=1", "bad --param key \"1abc\""),
        (#"context=[{"key":}"#, "bad --param context: value \"[{\\\"key\\\":}\" is not valid JSON"),
        (#"x={oops"#, "is not valid JSON"),
    ])
    func rejectsMalformedPairs(text: String, expected: String) {
        #expect {
            try JobParameter(parsing: text)
        } throws: { error in
            (error as? InputError)?.message.contains(expected) == true
        }
    }
}
