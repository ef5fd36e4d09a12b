import AsyncHTTPClient
import Foundation
import OctoparseAPI

/// With `--public-url`: whether `<public-url>/callbacks/oxylabs/…` answers from this host. A GET to a
/// made-up secret changes nothing: the receiver takes POSTs with the service's secret only. Any answer
/// says the address leads somewhere; a proxy's 502, 503 or 504 says the service behind it is not up.
struct CallbackReachability {
    let publicURL: String
    let doctor: Doctor

    /// The path asked for: not the service's secret, which is never printed.
    static let probePath = "/callbacks/oxylabs/harvest-doctor-probe"

    func check() async -> DoctorCheck {
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        let url = base + Self.probePath
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        do {
            let timeout = doctor.configuration.requestTimeout
            let response = try await doctor.http.execute(request, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
            _ = try? await response.body.collect(upTo: 1 << 16)
            let status = Int(response.status.code)
            if [502, 503, 504].contains(status) {
                return DoctorCheck(
                    "callbacks.public_url",
                    .warn,
                    "\(url) answered HTTP \(status) (a proxy without its upstream?): is `harvest serve` running behind it?"
                )
            }
            return DoctorCheck(
                "callbacks.public_url",
                .ok,
                "\(url) answers from this host (HTTP \(status) for a GET with a made-up secret)"
            )
        } catch {
            let reason =
                ConnectionFailure(error)?.message(base: base, setting: "--public-url (http.public_url)")
                ?? "cannot reach \(url): \(DoctorText.describe(error))"
            return DoctorCheck("callbacks.public_url", .fail, reason)
        }
    }
}
