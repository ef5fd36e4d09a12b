import Foundation
import HarvestCore

/// One job held by the Oxylabs fake.
struct SimulatedJob: Sendable {
    var id: String
    /// The submitted parameters (one `url` or `query` value), echoed in the job object.
    var parameters: [String: JSONValue]
    var createdAt: Date
    var finishesAt: Date
    var faults: Bool
    var pollCount = 0
    var resultRequests = 0
    var callbackAttempts = 0
    var callbacksDelivered = 0

    var source: String { parameters["source"].flatMap(\.stringValue) ?? "" }
    var url: String? { parameters["url"].flatMap(\.stringValue) }
    var query: String? { parameters["query"].flatMap(\.stringValue) }
    var callbackURL: String? { parameters["callback_url"].flatMap(\.stringValue) }
    var parse: Bool { parameters["parse"] == .bool(true) }
    var render: String? { parameters["render"].flatMap(\.stringValue) }

    var pages: Int {
        if case .integer(let pages) = parameters["pages"], pages >= 1 { return Int(min(pages, 100)) }
        return 1
    }

    func status(at now: Date) -> String {
        guard now >= finishesAt else { return "pending" }
        return faults ? "faulted" : "done"
    }

    /// The job object of the API: about thirty fields, keys sorted, `_links` with `http://` hrefs.
    func object(at now: Date) -> JSONValue {
        let status = status(at: now)
        let self_ = "http://data.oxylabs.io/v1/queries/\(id)"
        func link(_ rel: String, _ href: String) -> JSONValue {
            .object(["rel": .string(rel), "href": .string(href), "method": .string("GET")])
        }
        func list(_ rel: String, type: String?) -> JSONValue {
            let suffix = type.map { "?type=\($0)" } ?? ""
            return .object([
                "rel": .string(rel), "method": .string("GET"),
                "href_list": .array((1...pages).map { .string("\(self_)/results/\($0)/content\(suffix)") }),
            ])
        }
        var object: [String: JSONValue] = [
            "browser_instructions": .null, "callback_url": .null, "client_id": .integer(5), "client_notes": .null,
            "content_encoding": .string("utf-8"), "context": .array([]), "domain": .string("com"),
            "geo_location": .null, "limit": .integer(10), "locale": .null, "pages": .integer(1), "parse": .bool(false),
            "parser_type": .null, "parsing_instructions": .null, "render": .null, "session_info": .null,
            "start_page": .integer(1), "storage_type": .null, "storage_url": .null, "subdomain": .string("www"),
            "user_agent_type": .string("desktop"),
        ]
        for (key, value) in parameters { object[key] = value }
        object["id"] = .string(id)
        object["status"] = .string(status)
        object["url"] = url.map(JSONValue.string) ?? .null
        object["query"] = .string(query ?? "")
        object["created_at"] = .string(OxylabsTime.format(createdAt))
        object["updated_at"] = .string(OxylabsTime.format(status == "pending" ? createdAt : finishesAt))
        object["statuses"] =
            status == "pending"
            ? .array([])
            : .array([.object(["type": .string("parsing"), "status": .string(faults ? "faulted" : "done")])])
        object["_links"] = .array([
            link("self", self_), link("results", "\(self_)/results"), list("results-content", type: nil),
            link("results-html", "\(self_)/results?type=raw"), list("results-content-html", type: "raw"),
            link("results-parsed", "\(self_)/results?type=parsed"), list("results-content-parsed", type: "parsed"),
            link("results-png", "\(self_)/results?type=png"), list("results-content-png", type: "png"),
        ])
        return .object(object)
    }
}

/// Oxylabs' timestamps: `YYYY-MM-DD HH:MM:SS` in UTC, without a zone.
enum OxylabsTime {
    static func format(_ date: Date) -> String {
        let iso = UTCTime.format(date)  // 2026-01-31T12:00:00.000Z
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
    }
}
