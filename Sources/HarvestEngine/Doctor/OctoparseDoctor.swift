import Foundation
import HarvestCore
import HarvestStore
import OctoparseAPI

/// The Octoparse checks: the hosts (the by-time call's too when it has its own), the credentials (the
/// stored token when it is still valid, else a password grant that is not stored), the task groups and
/// tasks, the readings of the open points on a task with rows, the zone, and what the database learned.
struct OctoparseDoctor {
    let account: OctoparseAccount
    let database: HarvestDatabase?
    let doctor: Doctor
    /// Keeps the doctor's requests under the account's rate (`octoparse.rate`), as the syncer's are.
    let pacer: RequestPacer

    init(account: OctoparseAccount, database: HarvestDatabase?, doctor: Doctor) {
        self.account = account
        self.database = database
        self.doctor = doctor
        pacer = RequestPacer(requestsPerSecond: doctor.configuration.octoparseRequestsPerSecond)
    }

    /// At most this many tasks are asked for their row count to find one with rows, and probed for rows
    /// stored ahead of now.
    static let tasksProbed = 10

    private var client: OctoparseClient {
        OctoparseClient(account: account, http: doctor.http, timeout: doctor.configuration.requestTimeout)
    }

    func run(_ add: ([DoctorCheck]) -> Void) async {
        let host = await doctor.hostChecks("octoparse", baseURL: account.baseURL, setting: "OCTOPARSE_BASE_URL")
        add(host.checks)
        var byTimeReachable = host.reachable
        if account.byTimeBaseURL != account.baseURL {
            let byTime = await doctor.hostChecks(
                "octoparse.by_time",
                baseURL: account.byTimeBaseURL,
                setting: "OCTOPARSE_BY_TIME_BASE_URL"
            )
            add(byTime.checks)
            byTimeReachable = byTime.reachable
        }
        guard host.reachable else { return }
        let (credentials, token) = await obtainToken()
        add([credentials])
        guard let token else { return }
        let found: [OctoparseTaskSummary]
        switch await tasks(token: token) {
        case .success(let (check, tasks)):
            add([check])
            found = tasks
        case .failure(let reason):
            add([DoctorCheck("octoparse.tasks", .fail, reason.description)])
            return
        }
        let learned = try? database?.octoparseReadings(baseURL: account.baseURL, username: account.username)
        var probed: OctoparseReadings?
        if byTimeReachable {
            let probe = OctoparseReadingProbe(
                client: client,
                pacer: pacer,
                token: token,
                zone: doctor.configuration.zone,
                now: doctor.now()
            )
            let candidates = candidates(found)
            let (check, chosen) = await taskWithRows(candidates, token: token)
            add([check])
            if let chosen {
                let (checks, readings) = await probe.readings(task: chosen.id, taskRows: chosen.rows)
                add(checks)
                probed = readings
            }
            add([await probe.zone(tasks: Array(candidates.prefix(Self.tasksProbed)), inclusive: probed?.toInclusive)])
        }
        if let learned {
            add(Self.learnedChecks(learned, probed: probed, zone: doctor.configuration.zone))
        }
    }

    // MARK: Credentials and tasks

    /// The stored token when it is unexpired and accepted, else a password grant (never stored: the
    /// doctor does not write).
    private func obtainToken() async -> (DoctorCheck, String?) {
        var note = ""
        if let stored = try? database?.storedToken(baseURL: account.baseURL, username: account.username),
            stored.expiresAt > doctor.now().addingTimeInterval(60)
        {
            do {
                _ = try await client.taskGroups(token: stored.accessToken)
                let left = Int64(stored.expiresAt.timeIntervalSince(doctor.now()))
                return (
                    DoctorCheck(
                        "octoparse.credentials",
                        .ok,
                        "the token stored in the database is accepted (it expires in \(DurationText.short(left)))"
                    ),
                    stored.accessToken
                )
            } catch .unauthorized {
                note = " (the stored token was refused)"
            } catch {
                return (DoctorCheck("octoparse.credentials", .fail, error.description), nil)
            }
        }
        do {
            let token = try await client.passwordGrant()
            return (
                DoctorCheck(
                    "octoparse.credentials",
                    .ok,
                    "password grant for \(account.username) accepted\(note); the token expires in "
                        + "\(DurationText.short(Int64(token.expiresIn))) and is not stored"
                ),
                token.accessToken
            )
        } catch .invalidGrant(let message) {
            return (
                DoctorCheck(
                    "octoparse.credentials",
                    .fail,
                    "Octoparse refused the password grant for \(account.username) (invalid_grant: \(message)); "
                        + "check OCTOPARSE_USERNAME and OCTOPARSE_PASSWORD"
                ),
                nil
            )
        } catch {
            return (DoctorCheck("octoparse.credentials", .fail, error.description), nil)
        }
    }

    /// The task groups and their tasks, and how many of them the database has registered.
    private func tasks(token: String) async -> Result<(DoctorCheck, [OctoparseTaskSummary]), DoctorText.Reason> {
        var tasks: [OctoparseTaskSummary] = []
        let groups: [OctoparseTaskGroup]
        do {
            groups = try await client.taskGroups(token: token)
            for group in groups {
                await pacer.acquire()
                tasks += try await client.tasks(groupID: group.id, token: token)
            }
        } catch {
            return .failure(DoctorText.Reason(error.description))
        }
        var detail = "\(DoctorText.count(groups.count, "task group")), \(DoctorText.count(tasks.count, "task"))"
        var status = DoctorCheck.Status.ok
        if let registered = try? database?.tasks() {
            let upstream = Set(tasks.compactMap { try? TaskID(parsing: $0.id).rawValue })
            let missing = registered.filter { !upstream.contains($0.taskID) }
            detail += "; \(registered.count - missing.count) of them registered in this database"
            if !missing.isEmpty {
                status = .warn
                detail +=
                    "; \(DoctorText.count(missing.count, "registered task")) not found upstream: "
                    + missing.prefix(3).map(\.taskID).joined(separator: ", ")
            }
        }
        return .success((DoctorCheck("octoparse.tasks", status, detail), tasks))
    }

    /// The tasks to probe, registered ones first, each once.
    private func candidates(_ found: [OctoparseTaskSummary]) -> [String] {
        let registered = (try? database?.tasks().map(\.taskID)) ?? []
        var seen = Set<String>()
        return (registered + found.map(\.id)).filter { id in
            let key = (try? TaskID(parsing: id).rawValue) ?? id
            return seen.insert(key).inserted
        }
    }

    /// The first candidate whose `/api/alldata` total is above 0, and how many rows it has.
    private func taskWithRows(_ candidates: [String], token: String) async -> (DoctorCheck, (id: String, rows: Int)?) {
        for id in candidates.prefix(Self.tasksProbed) {
            do {
                await pacer.acquire()
                let page = try await client.allData(taskID: id, pageIndex: 1, pageSize: 1, token: token)
                if page.total > 0 {
                    return (
                        DoctorCheck(
                            "octoparse.probe_task",
                            .info,
                            "readings probed on task \(id) (\(DoctorText.count(page.total, "row")))"
                        ),
                        (id, page.total)
                    )
                }
            } catch .taskNotFound {
                continue
            } catch {
                return (DoctorCheck("octoparse.probe_task", .fail, error.description), nil)
            }
        }
        return (
            DoctorCheck(
                "octoparse.probe_task",
                .info,
                "no task with rows among the first \(min(candidates.count, Self.tasksProbed)): the readings of the open points were not probed"
            ),
            nil
        )
    }

    // MARK: What the database learned

    /// What the database has learned of the account's server, and whether the probe agrees.
    static func learnedChecks(
        _ learned: OctoparseReadings,
        probed: OctoparseReadings?,
        zone: UTCOffset
    ) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let descriptions = learned.descriptions.prefix(3).joined(separator: "; ")
        var disagreements: [String] = []
        if let probed {
            if let was = learned.toInclusive, let now = probed.toInclusive, was != now { disagreements.append("`to`") }
            if let was = learned.total, let now = probed.total, was != now { disagreements.append("`total`") }
            if let was = learned.pageIndex, let now = probed.pageIndex, was != now {
                disagreements.append("`pageindex`")
            }
        }
        if disagreements.isEmpty {
            checks.append(DoctorCheck("octoparse.learned", .info, "the database has learned: \(descriptions)"))
        } else {
            checks.append(
                DoctorCheck(
                    "octoparse.learned",
                    .warn,
                    "the database has learned: \(descriptions); the server now answers otherwise for "
                        + disagreements.joined(separator: ", ") + " (the next sync learns it again)"
                )
            )
        }
        if let evidence = learned.zone {
            checks.append(DoctorCheck("octoparse.timezone_stored", .warn, "recorded by a sync: \(evidence)"))
        }
        return checks
    }
}
