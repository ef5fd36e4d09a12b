import Foundation
import HarvestCore
import HarvestEngine
import HarvestMetrics
import HarvestStore
import Hummingbird
import Logging

/// Receives Oxylabs' completion callbacks at `POST /callbacks/oxylabs/<secret>`.
///
/// A callback is only a hint: it is unsigned, so the receiver checks the secret in its URL (in constant
/// time), checks that the job is one of ours and still pending, and reads the callback's own `status`:
/// `done` wakes the fetcher, which asks Oxylabs for the results with credentials; anything else (a faulted
/// job) wakes the poller, which asks Oxylabs for the status (results answers may carry no `job` to say
/// that a job faulted). Duplicates, unknown ids, faulted jobs and garbage change nothing by themselves:
/// a bad secret is 404, a malformed body 400, anything else 200.
public struct CallbackReceiver: Sendable {
    /// Callback bodies are job objects of a few KB; anything much larger is refused.
    public static let maximumBodyBytes = 64 << 10

    let database: HarvestDatabase
    let secret: String
    let fetcher: Wakeup
    let poller: Wakeup
    let logger: Logger
    let now: @Sendable () -> Date
    /// When set, only these senders' callbacks are accepted (403 otherwise).
    let senders: CallbackSenders?

    public init(
        database: HarvestDatabase,
        secret: String,
        fetcher: Wakeup,
        poller: Wakeup,
        logger: Logger,
        senders: CallbackSenders? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.secret = secret
        self.fetcher = fetcher
        self.poller = poller
        self.logger = logger
        self.senders = senders
        self.now = now
    }

    /// The callback URL to send with jobs, under the service's public URL.
    public static func callbackURL(publicURL: String, secret: String) -> String {
        (publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL) + "/callbacks/oxylabs/" + secret
    }

    func addRoutes(to router: Router<ServerContext>) {
        router.post("/callbacks/oxylabs/:secret") { request, context -> Response in
            try await receive(request, context)
        }
    }

    private func receive(_ request: Request, _ context: ServerContext) async throws -> Response {
        guard let given = context.parameters.get("secret"), Self.constantTimeEqual(given, secret) else {
            HarvestMetrics.recordCallback(.badSecret)
            return Response(status: .notFound)
        }
        if let senders, !senders.allows(context.remoteAddress?.ipAddress) {
            HarvestMetrics.recordCallback(.forbiddenSender)
            return Self.text(.forbidden, "callbacks are accepted from Oxylabs' callbacker IPs only")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        } catch {
            HarvestMetrics.recordCallback(.tooLarge)
            return Self.text(.contentTooLarge, "callback body larger than \(Self.maximumBodyBytes) bytes")
        }
        let job: RemoteJob
        do {
            job = try OxylabsDecoding.job(Data(buffer: body))
        } catch {
            HarvestMetrics.recordCallback(.malformed)
            return Self.text(.badRequest, "not an Oxylabs job object")
        }
        if let localID = try database.markDueByCallback(remoteID: job.id, status: job.status, now: now()) {
            logger.debug(
                "callback received",
                metadata: ["job": "\(localID)", "remote": "\(job.id)", "remote_status": "\(job.status.label)"]
            )
            HarvestMetrics.recordCallback(.accepted)
            (job.status == .done ? fetcher : poller).signal()
        } else {
            HarvestMetrics.recordCallback(.ignored)
        }
        return Self.text(.ok, "ok")
    }

    private static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }

    /// Compares without stopping at the first difference, so timing does not reveal the secret.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
