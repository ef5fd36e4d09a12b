import HarvestCore
import Testing

@Suite struct SettingsTests {
    private let catalog = [
        Setting("http.listen", flag: "--listen", default: "127.0.0.1:8080", summary: "address"),
        Setting(
            "oxylabs.poll_concurrency",
            flag: "--poll-concurrency",
            default: "32",
            kind: .integer(1...1024),
            summary: "polls"
        ),
        Setting("oxylabs.password", environment: "OXYLABS_PASSWORD", secret: true, summary: "password"),
        Setting(
            "service.lease",
            flag: "--lease",
            default: "120s",
            kind: .duration(minimum: .seconds(1)),
            summary: "lease"
        ),
        Setting("log.format", default: "logfmt", kind: .choice(["logfmt", "json"]), summary: "format"),
    ]

    private func file(_ text: String) throws -> (path: String, contents: ConfigFile) {
        ("harvest.toml", try ConfigFile(parsing: Array(text.utf8)))
    }

    @Test func eachSourceOverridesTheOneBelow() throws {
        let contents = try file(
            "[http]\nlisten = \"0.0.0.0:1\"\n[oxylabs]\npoll_concurrency = 8\n[log]\nformat = \"json\""
        )
        let environment = ["HARVEST_HTTP_LISTEN": "0.0.0.0:2", "HARVEST_OXYLABS_POLL_CONCURRENCY": "9"]
        let settings = try Settings(
            catalog: catalog,
            file: contents,
            environment: environment,
            flags: ["oxylabs.poll_concurrency": "10"]
        )
        #expect(settings.text("http.listen") == "0.0.0.0:2")
        #expect(settings["http.listen"].source == .environment("HARVEST_HTTP_LISTEN"))
        #expect(settings.integer("oxylabs.poll_concurrency") == 10)
        #expect(settings["oxylabs.poll_concurrency"].source == .flag("--poll-concurrency"))
        #expect(settings.text("log.format") == "json")
        #expect(settings["log.format"].source == .file(path: "harvest.toml", line: 6))
        #expect(settings.duration("service.lease") == .seconds(120))
        #expect(settings["service.lease"].source == .builtIn)
        #expect(settings.text("oxylabs.password") == nil)
    }

    @Test func anEmptyVariableDoesNotOverrideTheFile() throws {
        let settings = try Settings(
            catalog: catalog,
            file: try file("[http]\nlisten = \"0.0.0.0:1\""),
            environment: ["HARVEST_HTTP_LISTEN": ""]
        )
        #expect(settings.text("http.listen") == "0.0.0.0:1")
    }

    @Test func unknownKeysAreNamedWithTheirLine() throws {
        #expect(throws: InputError("harvest.toml line 3: unknown key oxylabs.poll_concurency")) {
            try Settings(catalog: catalog, file: try file("\n[oxylabs]\npoll_concurency = 8"), environment: [:])
        }
    }

    @Test func badValuesNameWhereTheyCameFrom() throws {
        #expect(
            throws: InputError(
                "bad oxylabs.poll_concurrency (harvest.toml line 2) \"0\": expected a whole number from 1 to 1024"
            )
        ) {
            try Settings(catalog: catalog, file: try file("[oxylabs]\npoll_concurrency = 0"), environment: [:])
        }
        #expect(throws: InputError("bad HARVEST_SERVICE_LEASE \"0s\": at least 1s")) {
            try Settings(catalog: catalog, environment: ["HARVEST_SERVICE_LEASE": "0s"])
        }
        #expect(throws: InputError("bad log.format (harvest.toml line 2) \"xml\": expected one of logfmt, json")) {
            try Settings(catalog: catalog, file: try file("[log]\nformat = \"xml\""), environment: [:])
        }
    }

    @Test func secretsAreMaskedAndNeverQuotedInErrors() throws {
        let settings = try Settings(catalog: catalog, environment: ["OXYLABS_PASSWORD": "hunter2"])
        #expect(settings.text("oxylabs.password") == "hunter2")
        #expect(settings["oxylabs.password"].shown == "********")
        let secretNumber = [Setting("token", environment: "TOKEN", kind: .integer(1...2), secret: true, summary: "")]
        #expect(throws: InputError("bad TOKEN: expected a whole number from 1 to 2")) {
            try Settings(catalog: secretNumber, environment: ["TOKEN": "hunter2"])
        }
    }
}
