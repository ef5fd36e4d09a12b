import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestMetrics
import NIOCore
import NIOHTTP1

/// One request and its answer: percent-encoded query and form, bearer token, a bounded body, and the
/// mapping of every failure to an ``OctoparseError`` without a secret in it.
extension OctoparseClient {
    /// An answer's status and body, not yet interpreted.
    struct Answer {
        var status: Int
        var body: [UInt8]

        /// Decodes the body, reading the error envelope first whatever the status; a failure becomes the
        /// matching ``OctoparseError``.
        func decode<T>(_ work: ([UInt8]) throws(OctoparseAnswerError) -> T) throws(OctoparseError) -> T {
            let value: T
            do {
                value = try work(body)
            } catch {
                throw OctoparseClient.map(error, status: status)
            }
            guard (200..<300).contains(status) else { throw OctoparseClient.unexpected(status: status) }
            return value
        }
    }

    /// Sends a request to `base` (the account's base URL unless told); only transport failures throw
    /// here, every answer is returned for decoding.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        base: String? = nil,
        query: [(String, String)] = [],
        token: String? = nil,
        form: [(String, String)]? = nil
    ) async throws(OctoparseError) -> Answer {
        let base = base ?? account.baseURL
        var request = HTTPClientRequest(
            url: base + path + (query.isEmpty ? "" : "?" + FormEncoding.encode(query))
        )
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token {
            request.headers.add(name: "Authorization", value: "bearer \(token)")
        }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        } else if method == .POST {
            request.headers.add(name: "Content-Length", value: "0")
        }
        let meter = UpstreamRequestMeter(provider: .octoparse, endpoint: UpstreamEndpoint.octoparse(path: path))
        var answered: Int?
        defer { meter.finish(status: answered) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
        } catch {
            if let failure = ConnectionFailure(error) {
                throw .transient("\(method) \(path): \(failure.message(base: base, setting: setting(of: base)))")
            }
            throw .transient("\(method) \(path): \(Self.describe(error))")
        }
        do {
            let buffer = try await response.body.collect(upTo: Self.maximumBodyBytes)
            answered = Int(response.status.code)
            return Answer(status: Int(response.status.code), body: Array(buffer.readableBytesView))
        } catch is NIOTooManyBytesError {
            throw .rejected(
                code: "answer_too_large",
                message: "\(method) \(path) answered more than \(Self.maximumBodyBytes >> 20) MiB; use smaller pages"
            )
        } catch {
            throw .transient("\(method) \(path): reading the answer: \(Self.describe(error))")
        }
    }

    /// The environment variable that sets `base`, for the fix a connection failure names.
    private func setting(of base: String) -> String {
        base == account.baseURL ? "OCTOPARSE_BASE_URL" : "OCTOPARSE_BY_TIME_BASE_URL"
    }

    /// The error of an answer whose body is an error envelope or is not the expected JSON.
    static func map(_ error: OctoparseAnswerError, status: Int) -> OctoparseError {
        switch error {
        case .api(let code, let description):
            let message = String((description.isEmpty ? code : description).prefix(300))
            switch code {
            case "unauthorized": return .unauthorized(message)
            case "invalid_grant": return .invalidGrant(message)
            case "taskid_error": return .taskNotFound(message)
            case "server_error": return .transient("server_error (HTTP \(status)): \(message)")
            default:
                // A bare `{"message"}` with a 5xx is the server failing, not a refusal.
                if isTransient(status: status) { return .transient("HTTP \(status): \(message)") }
                return .rejected(code: code, message: message)
            }
        case .malformed(let reason):
            // Never quote the body: a token answer cut short still holds the tokens.
            if (200..<300).contains(status) || isTransient(status: status) {
                return .transient("malformed answer (HTTP \(status)): \(String(reason.prefix(200)))")
            }
            return unexpected(status: status)
        }
    }

    /// A status that is no success although the body carried no error envelope.
    static func unexpected(status: Int) -> OctoparseError {
        if isTransient(status: status) { return .transient("HTTP \(status)") }
        return .rejected(code: "HTTP \(status)", message: "answer without an error envelope")
    }

    /// 5xx, 429 (too many requests) and 408 (request timeout) are worth retrying.
    static func isTransient(status: Int) -> Bool {
        status >= 500 || status == 429 || status == 408
    }

    private static func describe(_ error: any Error) -> String {
        // AsyncHTTPClient's errors name the failure (timeout, reset, connect refused), but the full
        // description of some carries values: `invalidHeaderFieldValues` holds the Authorization header
        // (the credentials or the token) when a secret has a character a header cannot hold. Only the
        // value-free short form of those is kept: this text ends up in logs and in `last_error`.
        if let error = error as? HTTPClientError { return error.shortDescription }
        return String("\(error)".prefix(200))
    }
}
