import Foundation
import HarvestStore
import Testing

@Suite struct TokenStoreTests {
    private let base = "https://dataapi.octoparse.com"

    @Test func aSavedTokenReadsBackAndASecondSaveReplacesIt() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        #expect(try database.storedToken(baseURL: base, username: "ann") == nil)
        try database.saveToken(
            baseURL: base,
            username: "ann",
            accessToken: "access-1",
            refreshToken: "refresh-1",
            expiresAt: referenceNow.addingTimeInterval(86_399),
            obtainedAt: referenceNow
        )
        #expect(
            try database.storedToken(baseURL: base, username: "ann")
                == OctoparseStoredToken(
                    accessToken: "access-1",
                    refreshToken: "refresh-1",
                    expiresAt: referenceNow.addingTimeInterval(86_399),
                    obtainedAt: referenceNow
                )
        )
        try database.saveToken(
            baseURL: base,
            username: "ann",
            accessToken: "access-2",
            refreshToken: nil,
            expiresAt: referenceNow.addingTimeInterval(90_000),
            obtainedAt: referenceNow.addingTimeInterval(3_600)
        )
        let replaced = try #require(try database.storedToken(baseURL: base, username: "ann"))
        #expect(replaced.accessToken == "access-2" && replaced.refreshToken == nil)
        #expect(replaced.obtainedAt == referenceNow.addingTimeInterval(3_600))
        // Another process on the same file reads the same token.
        #expect(try directory.database().storedToken(baseURL: base, username: "ann") == replaced)
    }

    @Test func tokensAreKeyedByBaseURLAndUsername() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        defer { withExtendedLifetime(directory) {} }
        try database.saveToken(
            baseURL: base,
            username: "ann",
            accessToken: "a",
            refreshToken: "r",
            expiresAt: referenceNow,
            obtainedAt: referenceNow
        )
        #expect(try database.storedToken(baseURL: base, username: "bob") == nil)
        #expect(try database.storedToken(baseURL: "https://dataapi.bazhuayu.com", username: "ann") == nil)
    }

    @Test func theDescriptionShowsNoToken() {
        let token = OctoparseStoredToken(
            accessToken: "secret-access",
            refreshToken: "secret-refresh",
            expiresAt: referenceNow,
            obtainedAt: referenceNow
        )
        #expect(!"\(token)".contains("secret"))
    }
}
