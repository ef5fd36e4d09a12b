import Foundation
import Synchronization

/// The access and refresh tokens the fake has issued, with OAuth's rules: access tokens expire, refresh
/// tokens are used once (each refresh hands out a new one) and expire too.
final class TokenStore: Sendable {
    /// A token response's two tokens; no refresh token when a refresh keeps the old one.
    struct Grant: Sendable {
        var accessToken: String
        var refreshToken: String?
    }

    private struct State {
        /// Issue time of each access token and refresh token still on record.
        var access: [String: Date] = [:]
        var refresh: [String: Date] = [:]
        var generator: SeededGenerator
    }

    private let state: Mutex<State>
    private let accessLifetime: TimeInterval
    private let forcedExpiry: TimeInterval?
    private let refreshLifetime: TimeInterval
    private let refreshKeepsRefreshToken: Bool

    init(seed: UInt64, configuration: OctoparseConfiguration) {
        state = Mutex(State(generator: SeededGenerator(seed: SeededGenerator.mix(seed, 0x70_4B_E7))))
        accessLifetime = TimeInterval(configuration.expiresIn)
        forcedExpiry = configuration.forcedTokenExpiry.map(OctoparseTime.seconds)
        refreshLifetime = OctoparseTime.seconds(configuration.refreshTokenLifetime)
        refreshKeepsRefreshToken = configuration.refreshKeepsRefreshToken
    }

    /// A fresh pair, as for a password grant.
    func issue(at now: Date) -> Grant {
        state.withLock { state in
            Self.forgetExpired(&state, now: now, accessLifetime: accessLifetime, refreshLifetime: refreshLifetime)
            return Self.newGrant(&state, now: now)
        }
    }

    /// Redeems `refreshToken` for a new pair (a new access token only, the refresh token staying valid,
    /// with `refreshKeepsRefreshToken`); nil when it is unknown, expired or already used.
    func redeem(_ refreshToken: String, at now: Date) -> Grant? {
        state.withLock { state in
            guard let issued = state.refresh[refreshToken], now.timeIntervalSince(issued) < refreshLifetime else {
                state.refresh[refreshToken] = nil
                return nil
            }
            guard !refreshKeepsRefreshToken else { return Self.newAccessToken(&state, now: now) }
            state.refresh[refreshToken] = nil
            return Self.newGrant(&state, now: now)
        }
    }

    /// Every access and refresh token still on record: what a test checks no output of Harvest contains.
    func issued() -> [String] {
        state.withLock { Array($0.access.keys) + Array($0.refresh.keys) }
    }

    /// Whether `accessToken` was issued here and is neither expired nor past the forced expiry.
    func accepts(_ accessToken: String, at now: Date) -> Bool {
        guard let issued = state.withLock({ $0.access[accessToken] }) else { return false }
        let age = now.timeIntervalSince(issued)
        return age < accessLifetime && age < (forcedExpiry ?? .infinity)
    }

    private static func newGrant(_ state: inout State, now: Date) -> Grant {
        var grant = newAccessToken(&state, now: now)
        let refreshToken = randomText(&state.generator, length: 32, alphabet: hexDigits)
        state.refresh[refreshToken] = now
        grant.refreshToken = refreshToken
        return grant
    }

    private static func newAccessToken(_ state: inout State, now: Date) -> Grant {
        let grant = Grant(accessToken: randomText(&state.generator, length: 120, alphabet: base64URL))
        state.access[grant.accessToken] = now
        return grant
    }

    /// Drops expired tokens now and then, so a long run with many grants keeps a bounded store.
    private static func forgetExpired(
        _ state: inout State,
        now: Date,
        accessLifetime: TimeInterval,
        refreshLifetime: TimeInterval
    ) {
        guard state.access.count + state.refresh.count > 10_000 else { return }
        state.access = state.access.filter { now.timeIntervalSince($0.value) < accessLifetime }
        state.refresh = state.refresh.filter { now.timeIntervalSince($0.value) < refreshLifetime }
    }

    private static let base64URL = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func randomText(_ generator: inout SeededGenerator, length: Int, alphabet: [UInt8]) -> String {
        String(
            decoding: (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] },
            as: UTF8.self
        )
    }
}
