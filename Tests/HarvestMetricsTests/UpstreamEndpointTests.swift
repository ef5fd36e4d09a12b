import HarvestMetrics
import Testing

/// The `endpoint` label: every path the clients call has its own name, and nothing from a path (job ids,
/// query strings) becomes a label value.
@Suite struct UpstreamEndpointTests {
    @Test(arguments: [
        ("/v1/queries", "submit"),
        ("/v1/queries/batch", "batch"),
        ("/v1/queries/7219463155390347265", "status"),
        ("/v1/queries/7219463155390347265/results?type=raw,parsed", "results"),
        ("/v1/queries/7219463155390347265/results", "results"),
        ("/v1/info/callbacker_ips", "callbacker_ips"),
    ])
    func oxylabsPathsHaveTheirEndpoint(path: String, endpoint: String) {
        #expect(UpstreamEndpoint.oxylabs(path: path) == endpoint)
    }

    @Test(arguments: [
        "/", "", "/v2/queries", "/v1/queries/abc", "/v1/queries/12/results/1/content", "/v1/queries/batch/results",
        "/v1/info",
    ])
    func unknownOxylabsPathsAreOther(path: String) {
        #expect(UpstreamEndpoint.oxylabs(path: path) == UpstreamEndpoint.other)
    }

    @Test(arguments: [
        ("/token", "token"),
        ("/api/taskgroup", "task_groups"),
        ("/api/task?taskgroupid=7", "tasks"),
        ("/api/alldata?taskid=6a1b2c3d-4e5f-6789-abcd-ef0123456789&pageindex=1&pagesize=1000", "all_data"),
        ("/api/alldata/GetDataOfTaskByTimeAndPaging?taskid=x&from=2024-01-01%2000:00:00", "data_by_time"),
        ("/api/alldata/GetLastDataOfTaskByPaging?taskid=x", "last_run_data"),
        ("/api/alldata/GetDataOfTaskByOffset?taskid=x&offset=0&size=10", "data_by_offset"),
        ("/api/notexportdata?taskid=x&size=10", "not_exported"),
        ("/api/notexportdata/gettop?taskid=x&size=10", "not_exported_top"),
        ("/api/notexportdata/update?taskid=x&size=10", "mark_exported"),
    ])
    func octoparsePathsHaveTheirEndpoint(path: String, endpoint: String) {
        #expect(UpstreamEndpoint.octoparse(path: path) == endpoint)
    }

    @Test func unknownOctoparsePathsAreOther() {
        for path in ["/", "/api", "/api/alldata/6a1b2c3d", "/api/task/7", "/tokens"] {
            #expect(UpstreamEndpoint.octoparse(path: path) == UpstreamEndpoint.other, "\(path)")
        }
    }

    @Test func theStatusLabelIsTheCodeOrErrorWithoutAnAnswer() {
        #expect(UpstreamEndpoint.statusLabel(200) == "200")
        #expect(UpstreamEndpoint.statusLabel(524) == "524")
        #expect(UpstreamEndpoint.statusLabel(nil) == "error")
    }
}
