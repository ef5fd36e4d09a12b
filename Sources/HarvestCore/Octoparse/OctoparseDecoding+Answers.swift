import Foundation

/// Decoding the small answers (token grants, task groups, tasks); data pages go through
/// ``OctoparseDecoding/page(_:)``. Pure, like the rest of ``OctoparseDecoding``: the client only moves bytes.
extension OctoparseDecoding {
    /// `{"access_token", "token_type", "expires_in", "refresh_token"}`, or the token endpoint's error.
    public static func token(_ bytes: [UInt8], obtainedAt: Date) throws(OctoparseAnswerError) -> OctoparseToken {
        let value = try json(bytes)
        try throwIfError(value)
        guard let accessToken = value["access_token"]?.stringValue, !accessToken.isEmpty else {
            throw .malformed("no \"access_token\" in the token answer")
        }
        guard let expiresIn = integer(value["expires_in"]), expiresIn > 0 else {
            throw .malformed("no positive \"expires_in\" in the token answer")
        }
        let refreshToken = value["refresh_token"]?.stringValue
        return OctoparseToken(
            accessToken: accessToken,
            refreshToken: refreshToken?.isEmpty == false ? refreshToken : nil,
            expiresIn: expiresIn,
            obtainedAt: obtainedAt
        )
    }

    /// `data: [{taskGroupId, taskGroupName}]`.
    public static func taskGroups(_ bytes: [UInt8]) throws(OctoparseAnswerError) -> [OctoparseTaskGroup] {
        var groups: [OctoparseTaskGroup] = []
        for item in try list(envelopeData(bytes)) {
            guard let id = integer(item["taskGroupId"]) else { throw .malformed("a task group has no \"taskGroupId\"") }
            groups.append(OctoparseTaskGroup(id: Int64(id), name: item["taskGroupName"]?.stringValue ?? ""))
        }
        return groups
    }

    /// `data: [{taskId, taskName}]`; a task's name may be empty (or null).
    public static func tasks(_ bytes: [UInt8]) throws(OctoparseAnswerError) -> [OctoparseTaskSummary] {
        var tasks: [OctoparseTaskSummary] = []
        for item in try list(envelopeData(bytes)) {
            guard let id = item["taskId"]?.stringValue, !id.isEmpty else {
                throw .malformed("a task has no \"taskId\"")
            }
            tasks.append(OctoparseTaskSummary(id: id, name: item["taskName"]?.stringValue ?? ""))
        }
        return tasks
    }

    /// A list, or null for none.
    private static func list(_ value: JSONValue) throws(OctoparseAnswerError) -> [JSONValue] {
        switch value {
        case .array(let items): return items
        case .null: return []
        default: throw .malformed("\"data\" is not a list")
        }
    }

    /// An integer, also when written as a string of digits.
    private static func integer(_ value: JSONValue?) -> Int? {
        switch value {
        case .integer(let number): Int(exactly: number)
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }
}
