import Foundation
import HarvestCore
import Testing

/// `--config`, the environment and flags, as the binary resolves them.
@Suite struct ConfigTests {
    private let file = """
        # a production-like file
        database = "from-file.sqlite"

        [http]
        listen = "0.0.0.0:9000"

        [oxylabs]
        username = "file-user"
        password = "file-password-7f3a"
        poll_concurrency = 16
        submit_concurrency = 2
        """

    private func shown(_ result: ProcessResult) throws -> [String: [String: Any]] {
        let list = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: list.map { ($0["key"] as! String, $0) })
    }

    @Test func flagsBeatTheEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws {
        let workspace = try Workspace()
        let path = try workspace.write("harvest.toml", file)
        let result = try workspace.harvest(
            "config",
            "show",
            "--config",
            path,
            "--submit-concurrency",
            "3",
            "--json",
            environment: ["HARVEST_HTTP_LISTEN": "127.0.0.1:7000", "HARVEST_OXYLABS_SUBMIT_CONCURRENCY": "5"]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let settings = try shown(result)
        #expect(settings["http.listen"]?["value"] as? String == "127.0.0.1:7000")
        #expect(settings["http.listen"]?["source"] as? String == "HARVEST_HTTP_LISTEN")
        #expect(settings["oxylabs.submit_concurrency"]?["value"] as? String == "3")
        #expect(settings["oxylabs.submit_concurrency"]?["source"] as? String == "--submit-concurrency")
        #expect(settings["oxylabs.poll_concurrency"]?["value"] as? String == "16")
        #expect(settings["oxylabs.poll_concurrency"]?["source"] as? String == "\(path) line 10")
        #expect(settings["oxylabs.fetch_concurrency"]?["value"] as? String == "8")
        #expect(settings["oxylabs.fetch_concurrency"]?["source"] as? String == "default")
        #expect(settings["oxylabs.password"]?["value"] as? String == "********")
        #expect(!result.stdout.contains("file-password-7f3a"))
    }

    @Test func everyCommandFindsTheDatabaseTheFileNames() throws {
        let workspace = try Workspace()
        let path = try workspace.write("harvest.toml", file)
        let submitted = try workspace.harvest(
            "jobs",
            "submit",
            "--source",
            "universal",
            "--url",
            "https://example.com/",
            environment: ["HARVEST_CONFIG": path]
        )
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("from-file.sqlite").path))
        let listed = try workspace.harvest("jobs", "list", "--config", path, "--json")
        #expect(listed.stdout.contains("https://example.com/"))
        // HARVEST_DB is above the file: this database is new and empty.
        let other = try workspace.harvest(
            "migrate",
            "--config",
            path,
            environment: ["HARVEST_DB": "from-env.sqlite"]
        )
        #expect(other.status == 0)
        #expect(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("from-env.sqlite").path))
    }

    @Test(arguments: [
        ("[oxylabs]\npoll_concurency = 4\n", "harvest: error: CONFIG line 2: unknown key oxylabs.poll_concurency\n"),
        (
            "[oxylabs]\npoll_concurrency = 0\n",
            "harvest: error: bad oxylabs.poll_concurrency (CONFIG line 2) \"0\": expected a whole number from 1 to 1024\n"
        ),
        (
            "[service]\nshutdown_grace = \"soon\"\n",
            "harvest: error: bad service.shutdown_grace (CONFIG line 2) \"soon\": expected a duration such as 250ms, 1.5s, 2m or 48h\n"
        ),
        (
            "[http]\nlisten = \"nowhere\"\n",
            "harvest: error: bad http.listen (CONFIG line 2) \"nowhere\": expected HOST:PORT such as 127.0.0.1:8080\n"
        ),
        (
            "[oxylabs]\npassword = hunter2\n",
            "harvest: error: CONFIG line 2: bad value: expected a quoted string, a number, true or false\n"
        ),
        (
            "[octoparse]\ntimezone = \"Mars\"\n",
            "harvest: error: octoparse.timezone (CONFIG line 2): bad UTC offset \"Mars\": expected +HH:MM, -HH:MM or UTC\n"
        ),
    ])
    func aBadFileIsRefusedNamingTheKeyAndNothingIsCreated(text: String, message: String) throws {
        let workspace = try Workspace()
        let path = try workspace.write("harvest.toml", text)
        let environment = ["OXYLABS_USERNAME": "u", "OXYLABS_PASSWORD": "p"]
        for arguments in [["serve", "--config", path], ["config", "show", "--config", path]] {
            let result = try HarvestProcess.runBlocking(arguments, in: workspace.url, environment: environment)
            #expect(result.status == 2)
            #expect(result.stderr == message.replacingOccurrences(of: "CONFIG", with: path))
            #expect(!result.stderr.contains("hunter2"))
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.database))
    }

    /// contrib/harvest.toml is what operators copy: it must parse, and set or mention (commented out, in
    /// its section) every key; the README's reference must list every key with its variable.
    @Test func theExampleConfigAndTheReferenceNameEveryKey() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let example = root.appendingPathComponent("contrib/harvest.toml")
        let text = try String(contentsOf: example, encoding: .utf8)
        let parsed = try ConfigFile(parsing: Array(text.utf8))
        // Keys left commented out, by section: `# username = …` under `[oxylabs]` is oxylabs.username.
        var commented: Set<String> = []
        var section: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("[") { section = String(line.dropFirst().prefix { $0 != "]" }) }
            if line.hasPrefix("# "), let equals = line.range(of: " = ") {
                let name = line[line.index(line.startIndex, offsetBy: 2)..<equals.lowerBound]
                if !name.contains(" ") { commented.insert(section.map { "\($0).\(name)" } ?? String(name)) }
            }
        }
        let workspace = try Workspace()
        let result = try workspace.harvest("config", "show", "--config", example.path, "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let settings = try shown(result)
        #expect(settings.count > 20)
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for (key, setting) in settings {
            #expect(
                parsed.entries[key] != nil || commented.contains(key),
                "\(key) is missing from contrib/harvest.toml"
            )
            let environment = setting["environment"] as? String ?? ""
            #expect(readme.contains("| `\(key)` | `\(environment)` |"), "\(key) is missing from the README's reference")
        }
        #expect(Set(parsed.entries.keys).subtracting(settings.keys).isEmpty)
    }

    @Test func aMissingConfigFileIsNamed() throws {
        let workspace = try Workspace()
        let result = try workspace.harvest("jobs", "list", "--config", "nope.toml")
        #expect(result.status == 2)
        #expect(result.stderr == "harvest: error: config file \"nope.toml\" does not exist\n")
    }
}
