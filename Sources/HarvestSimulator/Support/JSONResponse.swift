import HTTPTypes
import HarvestCore
import Hummingbird
import NIOCore

/// Building the fakes' answers.
enum JSONResponse {
    /// `value` as a JSON body (keys sorted, as the Oxylabs API answers).
    static func make(_ status: HTTPResponse.Status, _ value: JSONValue, headers: HTTPFields = [:]) -> Response {
        text(status, value.canonicalText, headers: headers)
    }

    /// A JSON body written by hand, where the key order is part of the contract.
    static func text(_ status: HTTPResponse.Status, _ json: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// `{"message": "…"}`.
    static func message(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        make(status, .object(["message": .string(message)]), headers: headers)
    }
}
