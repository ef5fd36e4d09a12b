import HarvestCore
import Testing

@Suite struct JobParameterTests {
    @Test(arguments: [
        ("parse=true", "parse", JSONValue.bool(true)),
        ("parse=false", "parse", .bool(false)),
        ("pages=3", "pages", .integer(3)),
        ("ratio=-1.5", "ratio", .double(-1.5)),
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
        ("x=null", "x", .null),
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
