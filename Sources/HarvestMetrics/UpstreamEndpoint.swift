/// Names the `endpoint` label of an upstream request from its path: a small fixed set, so that ids in a
/// path (`/v1/queries/{id}`) or in a query string never become a time series of their own.
public enum UpstreamEndpoint {
    /// Any path not listed below: a new call shows up here instead of under its URL.
    public static let other = "other"

    /// The Oxylabs Push-Pull endpoint of `path` (which may carry a query string).
    ///
    /// ```swift
    /// UpstreamEndpoint.oxylabs(path: "/v1/queries/7219/results?type=raw")  // "results"
    /// ```
    public static func oxylabs(path: String) -> String {
        let parts = segments(path)
        guard parts.count >= 2, parts[0] == "v1" else { return other }
        switch (parts[1], parts.count) {
        case ("queries", 2): return "submit"
        case ("queries", 3) where parts[2] == "batch": return "batch"
        case ("queries", 3) where isID(parts[2]): return "status"
        case ("queries", 4) where isID(parts[2]) && parts[3] == "results": return "results"
        case ("info", 3) where parts[2] == "callbacker_ips": return "callbacker_ips"
        default: return other
        }
    }

    /// The Octoparse Data Export endpoint of `path` (which may carry a query string).
    ///
    /// ```swift
    /// UpstreamEndpoint.octoparse(path: "/api/alldata/GetDataOfTaskByTimeAndPaging?taskid=…")  // "data_by_time"
    /// ```
    public static func octoparse(path: String) -> String {
        octoparseEndpoints[segments(path).joined(separator: "/").lowercased()] ?? other
    }

    /// `status` label of a request: its HTTP status code, or `error` when no answer came (a connection
    /// refused or reset, a timeout).
    public static func statusLabel(_ status: Int?) -> String {
        status.map(String.init) ?? "error"
    }

    /// Octoparse's paths (lower-cased, without slashes at the ends) and their labels.
    private static let octoparseEndpoints: [String: String] = [
        "token": "token",
        "api/taskgroup": "task_groups",
        "api/task": "tasks",
        "api/alldata": "all_data",
        "api/alldata/getdataoftaskbytimeandpaging": "data_by_time",
        "api/alldata/getlastdataoftaskbypaging": "last_run_data",
        "api/alldata/getdataoftaskbyoffset": "data_by_offset",
        "api/notexportdata": "not_exported",
        "api/notexportdata/gettop": "not_exported_top",
        "api/notexportdata/update": "mark_exported",
    ]

    /// The path's segments, without the query string and empty segments.
    private static func segments(_ path: String) -> [Substring] {
        let pathOnly = path.prefix { $0 != "?" && $0 != "#" }
        return pathOnly.split(separator: "/")
    }

    /// Oxylabs job ids are decimal.
    private static func isID(_ segment: Substring) -> Bool {
        !segment.isEmpty && segment.utf8.allSatisfy { (48...57).contains($0) }
    }
}
