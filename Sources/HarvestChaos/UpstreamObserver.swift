import Foundation
import HarvestSimulator

/// Reads the fakes' ground truth into an ``UpstreamObservation``, and their fault counts for the report.
public enum UpstreamObserver {
    /// The truth at the end of a run that lasted `elapsed` (for the token lifetimes it spanned).
    public static func observe(_ simulator: HarvestSimulator, elapsed: Duration) -> UpstreamObservation {
        var observation = UpstreamObservation()
        observation.jobs = simulator.oxylabs.truth().map {
            UpstreamJob(id: $0.id, status: $0.status, clientNotes: $0.clientNotes, pages: $0.pages)
        }
        observation.tasks = simulator.octoparse.tasks().map { (task: SimulatedTask) -> UpstreamTask in
            var rows: [String: Int] = [:]
            if let upstream = simulator.octoparse.rows(taskID: task.id) {
                for row in upstream {
                    rows[RowMultiset.canonical(row.values), default: 0] += 1
                }
            }
            return UpstreamTask(id: task.id, kind: task.kind.rawValue, rows: rows)
        }
        let stats = simulator.octoparse.stats
        observation.tokenGrants = stats.count("token.password") + stats.count("token.refresh")
        if let lifetime = simulator.configuration.octoparse.forcedTokenExpiry {
            observation.tokenLifetimes = elapsed / lifetime
        }
        return observation
    }

    /// What the fakes did to Harvest, by kind, for the report: the faults each injected (`5xx`, `reset`,
    /// `slow`, `malformed`), Oxylabs' 429s and callback mishaps, Octoparse's token refusals and grants.
    public static func faults(_ simulator: HarvestSimulator) -> [(provider: String, kind: String, count: Int)] {
        let oxylabs = simulator.oxylabs.stats
        let octoparse = simulator.octoparse.stats
        var lines: [(String, String, Int)] = []
        for kind in ["5xx", "reset", "slow", "malformed"] {
            lines.append(("oxylabs", kind, oxylabs.count("fault.\(kind)")))
        }
        lines.append(("oxylabs", "429", oxylabs.count("429")))
        lines.append(("oxylabs", "callback lost", oxylabs.count("callback.lost")))
        lines.append(("oxylabs", "callback duplicated", oxylabs.count("callback.duplicated")))
        lines.append(("oxylabs", "callback undeliverable", oxylabs.count("callback.failed")))
        for kind in ["5xx", "reset", "slow", "malformed"] {
            lines.append(("octoparse", kind, octoparse.count("fault.\(kind)")))
        }
        lines.append(("octoparse", "token refused (forced expiry)", octoparse.count("401")))
        lines.append(("octoparse", "refresh token refused", octoparse.count("token.invalid_grant")))
        return lines
    }
}
