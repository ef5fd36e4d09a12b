import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestSimulator
import NIOCore
import NIOHTTP1
import Synchronization

/// A clock the test moves by hand, so that "the job finished" or "the token expired" needs no sleep.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// The closure the fakes take.
    var source: @Sendable () -> Date { { [self] in now } }
}

/// One HTTP exchange with a fake, over real loopback.
struct HTTPExchange {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> JSONValue { try JSONParser.parse(Data(body)) }

    /// `json()[key]` for an object.
    func field(_ key: String) throws -> JSONValue? {
        guard case .object(let members) = try json() else { return nil }
        return members[key]
    }
}

enum HTTP {
    static func send(
        _ method: HTTPMethod,
        _ url: String,
        headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> HTTPExchange {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return HTTPExchange(
            status: Int(response.status.code),
            headers: response.headers,
            body: Array(buffer.readableBytesView)
        )
    }

    static func basic(_ user: String, _ password: String) -> (String, String) {
        ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
    }
}

extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var int: Int? {
        if case .integer(let value) = self { return Int(value) }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}
