import Crypto
import Foundation
import HarvestCore
import HarvestEngine
import HarvestStore
import Hummingbird

/// The admin actions over HTTP, for teams that enqueue work from other hosts: `POST /admin/jobs` queues
/// a JSON Lines body of jobs (as `harvest jobs submit --file` does) and `GET /admin/status` answers what
/// `harvest status --json` prints. Every request needs `Authorization: Bearer <HARVEST_ADMIN_TOKEN>`;
/// without a token configured the routes do not exist.
public struct AdminAPI: Sendable {
    /// A body of 16 MiB holds tens of thousands of jobs; a larger one is refused whole.
    public static let maximumBodyBytes = 16 << 20

    let database: HarvestDatabase
    let tokenDigest: [UInt8]
    /// Woken when jobs were queued, so that they are submitted at once; nil without an Oxylabs account,
    /// and then nothing would submit them: `POST /admin/jobs` answers 503.
    let submitter: Wakeup?
    var acceptsJobs: Bool { submitter != nil }

    public init(database: HarvestDatabase, token: String, submitter: Wakeup?) {
        self.database = database
        tokenDigest = Array(SHA256.hash(data: Array(token.utf8)))
        self.submitter = submitter
    }

    func addRoutes(to router: Router<ServerContext>) {
        router.post("/admin/jobs") { request, _ -> Response in
            guard authorized(request) else { return Self.unauthorized() }
            return try await enqueue(request)
        }
        router.get("/admin/status") { request, _ -> Response in
            guard authorized(request) else { return Self.unauthorized() }
            do {
                let report = try database.healthReport(now: Date(), jobErrors: 5)
                return Self.json(.ok, report.json(database: database.path))
            } catch  where DatabaseFailure.describe(error) != nil {
                return Self.error(.serviceUnavailable, DatabaseFailure.describe(error) ?? "")
            }
        }
    }

    /// Compares digests, so that the time taken says nothing about the token.
    private func authorized(_ request: Request) -> Bool {
        // The scheme is case-insensitive (RFC 7235).
        guard let header = request.headers[.authorization], let space = header.firstIndex(of: " "),
            header[..<space].lowercased() == "bearer"
        else { return false }
        let given = Array(SHA256.hash(data: Array(header[header.index(after: space)...].utf8)))
        return zip(given, tokenDigest).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func enqueue(_ request: Request) async throws -> Response {
        guard acceptsJobs else {
            return Self.error(
                .serviceUnavailable,
                "no Oxylabs account is configured: queued jobs would never be submitted"
            )
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return Self.error(.contentTooLarge, "the body is larger than \(Self.maximumBodyBytes) bytes")
        }
        let key = request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value
        let outcomes: [EnqueueOutcome]
        do {
            if let key { try IdempotencyKey.check(key, label: "Idempotency-Key") }
            outcomes = try database.enqueue(
                JobLines(Data(buffer: body), resultTypes: nil),
                idempotencyKey: key,
                now: Date()
            )
        } catch let error as InputError {
            return Self.error(.badRequest, error.message)
        } catch let error as StoreError where error.isInputError {
            return Self.error(.badRequest, error.description)
        } catch  where DatabaseFailure.describe(error) != nil {
            return Self.error(.serviceUnavailable, DatabaseFailure.describe(error) ?? "")
        }
        submitter?.signal()
        return Self.json(
            .ok,
            .array(
                outcomes.map { outcome in
                    let created = if case .created = outcome { true } else { false }
                    return .object(["id": .integer(outcome.jobID), "created": .bool(created)])
                }
            )
        )
    }

    private static func unauthorized() -> Response {
        var response = error(.unauthorized, "missing or wrong bearer token")
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    private static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(status, .object(["error": .string(message)]))
    }

    private static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: value.canonicalText + "\n"))
        )
    }
}
