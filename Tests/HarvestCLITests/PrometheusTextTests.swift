import Testing

/// The test's exposition parser is strict: an end-to-end test that parses `/metrics` with it fails on a
/// line Prometheus would reject, not only on wrong numbers.
@Suite struct PrometheusTextTests {
    @Test func readsCountersGaugesAndHistograms() throws {
        let text = try PrometheusText(
            """
            # A comment.
            # TYPE jobs gauge
            jobs{status="done"} 3
            # HELP requests_total Requests.
            # TYPE requests_total counter
            requests_total{endpoint="status",status="200"} 7
            requests_total{endpoint="status",status="error"} 1

            # TYPE duration_seconds histogram
            duration_seconds_bucket{endpoint="status",le="0.5"} 6
            duration_seconds_bucket{endpoint="status",le="+Inf"} 8
            duration_seconds_sum{endpoint="status"} 1.25
            duration_seconds_count{endpoint="status"} 8
            # TYPE escaped counter
            escaped{path="a\\"b\\\\c\\nd"} 1e3
            """
        )
        #expect(text.value("jobs", ["status": "done"]) == 3)
        #expect(text.sum("requests_total", matching: ["endpoint": "status"]) == 8)
        #expect(text.value("duration_seconds_count", ["endpoint": "status"]) == 8)
        #expect(text.value("duration_seconds_bucket", ["endpoint": "status", "le": "+Inf"]) == 8)
        #expect(text.value("escaped", ["path": "a\"b\\c\nd"]) == 1000)
        #expect(text.types["duration_seconds"] == "histogram")
    }

    @Test(arguments: [
        "jobs 1",  // no TYPE
        "# TYPE jobs gauge\njobs{status=\"done\"}",  // no value
        "# TYPE jobs gauge\njobs{status=\"done\"} one",
        "# TYPE jobs gauge\njobs{status=done} 1",
        "# TYPE jobs gauge\njobs{status=\"done\" 1",
        "# TYPE jobs gauge\njobs{status=\"a\",status=\"b\"} 1",
        "# TYPE jobs gauge\njobs 1 2 3",
        "# TYPE jobs gauge\njobs 1\njobs 2",  // the same series twice
        "# TYPE jobs gauge\n# TYPE jobs counter\njobs 1",
        "# TYPE jobs thing\njobs 1",
        "# TYPE jobs\njobs 1",
        "# TYPE h histogram\nh_bucket 1",  // bucket without le
        "# TYPE c counter\nc_count 1",  // suffix of a non-histogram
        "# TYPE 9jobs gauge\n9jobs 1",
    ])
    func rejectsWhatPrometheusWouldReject(text: String) {
        #expect(throws: PrometheusText.Malformed.self) { try PrometheusText(text) }
    }
}
