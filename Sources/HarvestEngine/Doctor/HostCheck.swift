import AsyncHTTPClient
import Dispatch
import Foundation
import HarvestCore
import NIOCore
import OctoparseAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks of one upstream host: its name resolves, a connection (and TLS) can be made, and its clock
/// agrees with this machine's. One request, without credentials.
struct HostCheck {
    /// `oxylabs`, `octoparse`, `octoparse.by_time`: the prefix of the checks' names.
    let name: String
    /// The base URL, as configured.
    let baseURL: String
    /// The setting that configures it (`OCTOPARSE_BASE_URL`), named by the fix of a failure.
    let setting: String
    let http: HTTPClient
    let timeout: Duration
    let now: @Sendable () -> Date

    /// The checks, in order; the last is `fail` when the host cannot be reached (later checks of the
    /// provider are then pointless).
    func run() async -> (checks: [DoctorCheck], reachable: Bool) {
        guard let url = URL(string: baseURL), let host = url.host, let scheme = url.scheme else {
            return ([DoctorCheck("\(name).dns", .fail, "\(baseURL) is not a URL; check \(setting)")], false)
        }
        var checks: [DoctorCheck] = []
        switch await Self.resolve(host, port: url.port ?? (scheme == "https" ? 443 : 80)) {
        case .success(let addresses):
            let shown = addresses.prefix(3).joined(separator: ", ") + (addresses.count > 3 ? ", …" : "")
            checks.append(DoctorCheck("\(name).dns", .ok, "\(host) resolves to \(shown)"))
        case .failure(let reason):
            checks.append(
                DoctorCheck("\(name).dns", .fail, "\(host) does not resolve (\(reason)); check the host in \(setting)")
            )
            return (checks, false)
        }
        var request = HTTPClientRequest(url: baseURL + "/")
        request.method = .GET
        let sentAt = now()
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
            _ = try? await response.body.collect(upTo: 1 << 20)
        } catch {
            let reason =
                ConnectionFailure(error)?.message(base: baseURL, setting: setting)
                ?? "cannot reach \(baseURL): \(DoctorText.describe(error)); check \(setting)"
            checks.append(DoctorCheck("\(name).connection", .fail, reason))
            return (checks, false)
        }
        let answeredAt = now()
        let secure = scheme == "https" ? "TLS handshake ok, " : "plain http (no TLS: the password travels in clear), "
        checks.append(
            DoctorCheck(
                "\(name).connection",
                scheme == "https" ? .ok : .warn,
                "\(baseURL) answers: \(secure)HTTP \(response.status.code) for GET /"
            )
        )
        if let date = response.headers.first(name: "Date") {
            if let skew = ClockSkew.measure(dateHeader: date, sentAt: sentAt, answeredAt: answeredAt) {
                let check = DoctorCheck(
                    "\(name).clock",
                    skew.isTolerable ? .ok : .warn,
                    skew.isTolerable
                        ? skew.description
                        : skew.description + ": fix this machine's clock (NTP); token expiry and storage-time "
                            + "windows are planned with it"
                )
                checks.append(check)
            } else {
                checks.append(DoctorCheck("\(name).clock", .info, "the Date header is not an HTTP date"))
            }
        } else {
            checks.append(DoctorCheck("\(name).clock", .info, "the answer has no Date header: clock not compared"))
        }
        return (checks, true)
    }

    /// The addresses `host` resolves to, by `getaddrinfo`, which blocks: it runs on a Dispatch queue, off
    /// the Swift concurrency pool. The failure is `getaddrinfo`'s message.
    static func resolve(_ host: String, port: Int) async -> Result<[String], DoctorText.Reason> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: resolveBlocking(host, port: port))
            }
        }
    }

    private static func resolveBlocking(_ host: String, port: Int) -> Result<[String], DoctorText.Reason> {
        var hints = addrinfo()
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0, let list else { return .failure(DoctorText.Reason(String(cString: gai_strerror(code)))) }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var next: UnsafeMutablePointer<addrinfo>? = list
        while let entry = next {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                entry.pointee.ai_addr,
                entry.pointee.ai_addrlen,
                &buffer,
                socklen_t(buffer.count),
                nil,
                0,
                NI_NUMERICHOST
            ) == 0 {
                let address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(address) { addresses.append(address) }
            }
            next = entry.pointee.ai_next
        }
        return .success(addresses)
    }
}
