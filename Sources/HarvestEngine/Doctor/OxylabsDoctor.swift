import Foundation
import HarvestCore
import OxylabsAPI

/// The Oxylabs checks: the host, the credentials (`GET /v1/info/callbacker_ips`, free), and with
/// `--submit-test-job` one `universal` job for https://example.com, whose answers show the readings of
/// the results (entries with or without `type`, with or without `job`) and the rate headers.
struct OxylabsDoctor {
    let account: OxylabsAccount
    let doctor: Doctor

    /// The page the test job scrapes.
    static let testPayload = #"{"source":"universal","url":"https://example.com"}"#

    private var client: OxylabsClient {
        OxylabsClient(account: account, http: doctor.http, timeout: doctor.configuration.requestTimeout)
    }

    func run(_ add: ([DoctorCheck]) -> Void) async {
        let host = await doctor.hostChecks("oxylabs", baseURL: account.baseURL, setting: "OXYLABS_BASE_URL")
        add(host.checks)
        guard host.reachable else { return }
        let credentials = await credentialsCheck()
        add([credentials])
        guard credentials.status == .ok, doctor.configuration.submitTestJob else { return }
        add(await testJob())
    }

    private func credentialsCheck() async -> DoctorCheck {
        do {
            let ips = try await client.callbackerIPs()
            return DoctorCheck(
                "oxylabs.credentials",
                .ok,
                "\(account.username) accepted (GET /v1/info/callbacker_ips: \(DoctorText.count(ips.count, "callbacker address", plural: "callbacker addresses")))"
            )
        } catch .unauthorized(let status, let message) {
            return DoctorCheck(
                "oxylabs.credentials",
                .fail,
                "Oxylabs refused \(account.username) (HTTP \(status): \(message)); check OXYLABS_USERNAME and OXYLABS_PASSWORD"
            )
        } catch {
            return DoctorCheck("oxylabs.credentials", .fail, error.description)
        }
    }

    // MARK: The test job

    private func testJob() async -> [DoctorCheck] {
        let submitted: (job: RemoteJob, headers: [(name: String, value: String)])
        do {
            submitted = try await client.submitShowingHeaders(Self.testPayload)
        } catch {
            return [DoctorCheck("oxylabs.test_job", .fail, "submitting the test job failed: \(error)")]
        }
        var checks = [Self.rateHeadersCheck(submitted.headers)]
        let id = submitted.job.id
        let started = ContinuousClock.now
        let deadline = started + doctor.configuration.testJobDeadline
        var pause = doctor.configuration.testJobFirstPoll
        var polls = 0
        polling: while true {
            guard ContinuousClock.now + pause < deadline else {
                checks.append(
                    DoctorCheck(
                        "oxylabs.test_job",
                        .warn,
                        "job \(id) still pending after \(DoctorText.count(polls, "status request")); "
                            + "the results readings were not probed"
                    )
                )
                return checks
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(16))
            polls += 1
            let job: RemoteJob
            do {
                job = try await client.job(id: id)
            } catch {
                checks.append(DoctorCheck("oxylabs.test_job", .fail, "job \(id): the status request failed: \(error)"))
                return checks
            }
            switch job.status {
            case .pending, .other: continue
            case .faulted:
                checks.append(
                    DoctorCheck(
                        "oxylabs.test_job",
                        .warn,
                        "job \(id) faulted (Oxylabs could not scrape https://example.com); the results readings were not probed"
                    )
                )
                return checks
            case .done:
                let elapsed = Int64((ContinuousClock.now - started).seconds.rounded())
                checks.append(
                    DoctorCheck(
                        "oxylabs.test_job",
                        .ok,
                        "job \(id) done after \(DoctorText.count(polls, "status request")) (\(DurationText.short(elapsed)))"
                    )
                )
                break polling
            }
        }
        return checks + (await resultsChecks(id: id))
    }

    /// The readings of the results answer.
    private func resultsChecks(id: String) async -> [DoctorCheck] {
        let shape: ResultsShape
        do {
            guard let body = try await client.resultsBody(id: id, types: [.raw]) else {
                return [
                    DoctorCheck("oxylabs.results", .warn, "job \(id) is done but its results answered 204 (pending)")
                ]
            }
            shape = try ResultsShape(body)
        } catch {
            return [DoctorCheck("oxylabs.results", .fail, "job \(id): the results request failed: \(error)")]
        }
        let type: String
        switch shape.entriesCarryType {
        case true?: type = "results entries carry `type`"
        case false?:
            type = "results entries carry no `type` (as older samples): each is stored under the type asked for"
        case nil: type = "the results answer has no entry: whether entries carry `type` is not known"
        }
        let job =
            shape.carriesJob
            ? "results answers carry the `job` object"
            : "results answers carry no `job` (as older samples): after a callback, Harvest asks the job's status "
                + "before storing its results"
        return [DoctorCheck("oxylabs.results_type", .info, type), DoctorCheck("oxylabs.results_job", .info, job)]
    }

    /// The rate headers of the submit answer, under whatever names, and what Harvest reads from them.
    static func rateHeadersCheck(_ headers: [(name: String, value: String)]) -> DoctorCheck {
        let seen = RateLimitStatus.lookalikes(headers)
        guard !seen.isEmpty else {
            return DoctorCheck(
                "oxylabs.rate_headers",
                .info,
                "the submit answer carries no rate header: the submission rate is probed up from oxylabs.initial_rate"
            )
        }
        let shown = seen.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
        guard let status = RateLimitStatus.read(headers) else {
            return DoctorCheck(
                "oxylabs.rate_headers",
                .info,
                "\(shown) (no naming Harvest reads: the submission rate is probed up from oxylabs.initial_rate)"
            )
        }
        return DoctorCheck("oxylabs.rate_headers", .info, "\(shown) (read as \(status.limit) submissions/s)")
    }
}
