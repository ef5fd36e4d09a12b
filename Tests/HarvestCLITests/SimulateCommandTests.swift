import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// `harvest simulate` as users run it: a real process, its credentials line read by a script, SIGTERM.
@Suite struct SimulateCommandTests {
    /// Starts `harvest simulate`, waits for its two credential lines, and returns them parsed.
    private func start(_ arguments: [String]) throws -> (Process, [String: [String: String]]) {
        let process = Process()
        process.executableURL = HarvestProcess.binary
        process.arguments = ["simulate"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while text.split(separator: "\n").count < 2 {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        var accounts: [String: [String: String]] = [:]
        for line in text.split(separator: "\n") {
            let words = try ShellWords.split(String(line))
            accounts[words[0]] = Dictionary(
                uniqueKeysWithValues: words.dropFirst().map { word in
                    let parts = word.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), String(parts[1]))
                }
            )
        }
        return (process, accounts)
    }

    @Test func printsShellQuotedCredentialsServesAndStopsOnSIGTERM() async throws {
        let (process, accounts) = try start(["--seed", "3"])
        let octoparse = try #require(accounts["octoparse"])
        #expect(octoparse["password"] == "p&ss+w%rd 1")
        let oxylabs = try #require(accounts["oxylabs"])
        #expect(oxylabs["username"] == "user")

        var request = HTTPClientRequest(url: try #require(octoparse["base_url"]) + "/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let form =
            "grant_type=password&username=harvest-demo&password="
            + (octoparse["password"]!.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        request.body = .bytes(.init(string: form))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        #expect(response.status.code == 200)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(process.terminationReason == .exit)
    }

    @Test func quotesInCredentialsSurviveTheShellQuoting() throws {
        let (process, accounts) = try start(["--octoparse-password", "it's a 'test' & more"])
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        #expect(accounts["octoparse"]?["password"] == "it's a 'test' & more")
    }

    /// The readings of what the Octoparse documents leave open, switched on from the command line.
    @Test func theOctoparseReadingsAreFlags() async throws {
        let (process, accounts) = try start([
            "--seed-style-task-ids", "--empty-data-null", "--refresh-keeps-refresh-token", "--rows-per-task", "10",
            "--large-task-rows", "10",
        ])
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        let base = try #require(accounts["octoparse"]?["base_url"])
        func call(_ path: String, form: String? = nil, token: String? = nil) async throws -> String {
            var request = HTTPClientRequest(url: base + path)
            if let form {
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.body = .bytes(.init(string: form))
            }
            if let token { request.headers.add(name: "Authorization", value: "bearer \(token)") }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            return String(buffer: try await response.body.collect(upTo: 1 << 20))
        }
        func member(_ name: String, of text: String) -> String? {
            guard let range = text.range(of: "\"\(name)\":\"") else { return nil }
            return String(text[range.upperBound...].prefix { $0 != "\"" })
        }
        let granted = try await call(
            "/token",
            form: "grant_type=password&username=harvest-demo&password=p%26ss%2Bw%25rd%201"
        )
        let refreshToken = try #require(member("refresh_token", of: granted))
        let refreshed = try await call("/token", form: "grant_type=refresh_token&refresh_token=\(refreshToken)")
        #expect(refreshed.contains("access_token") && !refreshed.contains("refresh_token"), "\(refreshed)")
        let token = try #require(member("access_token", of: refreshed))
        let groups = try await call("/api/taskgroup", token: token)
        let group = try #require(
            groups.range(of: #""taskGroupId":"#).map { groups[$0.upperBound...].prefix(while: \.isNumber) }
        )
        let tasks = try await call("/api/task?taskgroupid=\(group)", token: token)
        #expect(tasks.contains(#""taskId":"taskid1""#), "\(tasks)")
        let empty = try await call(
            "/api/alldata/GetDataOfTaskByTimeAndPaging?taskid=taskid1&from=2000-01-01%2000:00:00&to=2000-01-02%2000:00:00&pageindex=1&pagesize=10",
            token: token
        )
        #expect(empty == #"{"data":null,"error":"success"}"#)
    }

    @Test func aBadKnobIsBadInput() throws {
        let workspace = try Workspace()
        let result = try workspace.harvest("simulate", "--server-errors", "1.5")
        #expect(result.status == 2)
        #expect(result.stderr.contains("--server-errors"))
        let headers = try workspace.harvest("simulate", "--rate-headers", "sometimes")
        #expect(headers.status == 2)
        #expect(
            headers.stderr.contains(#"bad --rate-headers "sometimes": expected documented, standard, unknown, none"#)
        )
    }

    @Test func theReadingSwitchesReachTheOxylabsFake() async throws {
        let (process, accounts) = try start([
            "--results-without-type", "--results-without-job", "--rate-headers", "none",
        ])
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        let base = try #require(accounts["oxylabs"]?["base_url"])
        var request = HTTPClientRequest(url: base + "/v1/queries")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Basic " + Data("user:pass1".utf8).base64EncodedString())
        request.body = .bytes(.init(string: #"{"source":"universal","url":"https://a.com"}"#))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        #expect(response.status.code == 202)
        #expect(!response.headers.contains { $0.name.lowercased().contains("ratelimit") })
    }
}

/// Splits a line the way a POSIX shell splits words made of bare text and single-quoted parts.
enum ShellWords {
    struct Unbalanced: Error {}

    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quoted = false
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted {
                if character == "'" { quoted = false } else { current.append(character) }
            } else if character == "'" {
                quoted = true
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else if character == "\\" {
                escaped = true
                inWord = true
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard !quoted else { throw Unbalanced() }
        if inWord { words.append(current) }
        return words
    }
}
