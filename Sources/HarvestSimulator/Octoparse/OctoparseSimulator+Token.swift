import Foundation
import HarvestCore
import Hummingbird
import NIOCore

extension OctoparseSimulator {
    /// `POST /token`: the OAuth password and refresh grants, form-encoded, with OAuth's error bodies
    /// (`error_description` in lower case, unlike the data calls).
    func token(_ request: Request, _ context: SimulatorContext) async throws -> Response {
        stats.record("POST /token")
        var request = request
        let body = try await request.collectBody(upTo: 1 << 16)
        let form = FormFields(String(buffer: body))
        let now = now()
        switch form["grant_type"] {
        case "password":
            guard form["username"] == configuration.username, form["password"] == configuration.password else {
                return invalidGrant("The user name or password is incorrect.")
            }
            stats.record("token.password")
            return granted(tokens.issue(at: now))
        case "refresh_token":
            guard let refreshToken = form["refresh_token"], let grant = tokens.redeem(refreshToken, at: now) else {
                return invalidGrant("The refresh token is invalid, expired or already used.")
            }
            stats.record("token.refresh")
            return granted(grant)
        default:
            stats.record("token.unsupported_grant_type")
            return JSONResponse.text(.badRequest, #"{"error":"unsupported_grant_type"}"#)
        }
    }

    /// The success body, written by hand: its key order is part of the contract. Without a refresh token
    /// (a refresh that keeps the old one) the member is left out.
    private func granted(_ grant: TokenStore.Grant) -> Response {
        let refresh = grant.refreshToken.map { #","refresh_token":\#(JSONText.quoted($0))"# } ?? ""
        return JSONResponse.text(
            .ok,
            #"{"access_token":\#(JSONText.quoted(grant.accessToken)),"token_type":"bearer","#
                + #""expires_in":\#(configuration.expiresIn)\#(refresh)}"#
        )
    }

    private func invalidGrant(_ description: String) -> Response {
        stats.record("token.invalid_grant")
        return JSONResponse.text(
            .badRequest,
            #"{"error":"invalid_grant","error_description":\#(JSONText.quoted(description))}"#
        )
    }
}
