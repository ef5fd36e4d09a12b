import Foundation
import HarvestCore

/// The result pages of a finished job: raw HTML that contains the target, parser JSON with
/// `parse_status_code`, Base64 PNG bytes; one entry per page and type.
enum SimulatedResults {
    static let types = ["raw", "parsed", "png"]

    /// The URL the page came from: the job's URL, or a search page for a query.
    static func pageURL(_ job: SimulatedJob, page: Int) -> String {
        if let url = job.url { return page == 1 ? url : url + (url.contains("?") ? "&" : "?") + "page=\(page)" }
        let query = (job.query ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "https://www.example-search.com/search?q=\(query)&start=\((page - 1) * 10)"
    }

    /// The target site's status code: deterministic per job and page, sometimes 404.
    static func statusCode(_ job: SimulatedJob, page: Int, seed: UInt64, notFoundShare: Double) -> Int {
        guard !job.faults else { return 613 }
        var generator = SeededGenerator(seed: SeededGenerator.mix(seed, UInt64(job.id) ?? 0, UInt64(page)))
        return generator.unit() < notFoundShare ? 404 : 200
    }

    static func raw(_ job: SimulatedJob, page: Int) -> String {
        let target = job.url ?? job.query ?? ""
        return """
            <!doctype html>
            <html><head><title>Simulated page \(page)</title></head>
            <body><!-- target: \(target) -->
            <h1>Result page \(page) of job \(job.id)</h1><p>source \(job.source)</p>
            <a href="\(pageURL(job, page: page))">this page</a></body></html>
            """
    }

    static func parsed(_ job: SimulatedJob, page: Int) -> JSONValue {
        .object([
            "url": .string(pageURL(job, page: page)), "page": .integer(Int64(page)),
            "parse_status_code": .integer(12000),
            "results": .object([
                "organic": .array(
                    (1...3).map { position in
                        .object([
                            "pos": .integer(Int64(position)),
                            "title": .string("Result \(position) for \(job.query ?? job.url ?? "")"),
                            "url": .string("https://example.com/\(job.id)/\(page)/\(position)"),
                        ])
                    }
                )
            ]),
        ])
    }

    static func png(_ job: SimulatedJob, page: Int) -> [UInt8] {
        PNGImage.make(label: "job \(job.id) page \(page)")
    }

    /// The `content` of one results entry: empty when the type was not enabled at submission, stub
    /// content for a faulted job.
    static func content(_ job: SimulatedJob, type: String, page: Int) -> JSONValue {
        if job.faults { return .string("") }
        switch type {
        case "parsed": return job.parse ? parsed(job, page: page) : .string("")
        case "png": return job.render == "png" ? .string(Data(png(job, page: page)).base64EncodedString()) : .string("")
        default: return .string(raw(job, page: page))
        }
    }
}
