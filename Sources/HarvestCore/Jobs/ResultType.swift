import Foundation

/// A kind of Oxylabs result: the page's HTML, the parser's JSON, or a PNG screenshot.
public enum ResultType: String, CaseIterable, Sendable, Codable, Comparable {
    case raw
    case parsed
    case png

    public static func < (lhs: ResultType, rhs: ResultType) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a comma list such as `parsed,png` (order and case ignored; at least one, no repeats).
    public static func parseList(_ text: String) throws(InputError) -> [ResultType] {
        var types: [ResultType] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard let type = ResultType(rawValue: name) else {
                throw InputError(
                    "unknown result type \(String(item).quotedForMessage) in --results: expected raw, parsed or png"
                )
            }
            guard !types.contains(type) else {
                throw InputError("result type \(name) is listed twice in --results")
            }
            types.append(type)
        }
        return types.sorted()
    }

    /// The comma list stored in `oxylabs_jobs.result_types`.
    public static func listText(_ types: [ResultType]) -> String {
        types.sorted().map(\.rawValue).joined(separator: ",")
    }
}
