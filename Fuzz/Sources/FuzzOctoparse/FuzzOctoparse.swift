import Foundation
import FuzzSupport
import HarvestCore

/// `OctoparseDecoding`: data pages (the hand-written fast reader), token grants, task groups and tasks.
///
/// Properties: decoding never crashes; a page is only read from valid JSON; the fast reader agrees with a
/// plain reference decoder over the generic parse (same success, same counts, same value in every cell),
/// also after the body is rewritten canonically (key order and duplicate keys do not matter); an error
/// envelope is reported with the code and description `throwIfError` gives; decoded rows encode for row
/// identity without loss; every message is printable and short.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOctoparse(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(FuzzInput(start, count).bytes)
    let page = Result { () throws(OctoparseAnswerError) in try OctoparseDecoding.page(bytes) }
    let generic = try? JSONParser.parse(Data(bytes))

    if case .failure(let error) = page { expectPrintable(error.description, limit: 2048) }
    if case .success = page { expect(generic != nil, "a page was read from invalid JSON") }

    if case .success(var decoded) = page, let generic {
        checkShape(decoded)
        checkEncoding(&decoded)
        // The same document rewritten canonically: sorted keys, no duplicates, numbers normalized.
        let canonical = Array(generic.canonicalText.utf8)
        guard
            case .success(let again) = Result(catching: { () throws(OctoparseAnswerError) in
                try OctoparseDecoding.page(canonical)
            })
        else {
            expect(false, "the canonical rewrite of a page does not decode")
            return 0
        }
        expectSamePage(decoded, again)
    }
    if let generic {
        let canonical = Array(generic.canonicalText.utf8)
        let fast = Result { () throws(OctoparseAnswerError) in try OctoparseDecoding.page(canonical) }
        // Read by the reference as the fast reader sees it: the canonical text writes `4.0` as `4`.
        let reference = (try? JSONParser.parse(Data(canonical))).flatMap(ReferencePage.decode)
        switch (fast, reference) {
        case (.success(let fast), .some(let reference)): reference.expectSame(as: fast)
        case (.success, nil): expect(false, "the fast reader accepted a page the reference refuses")
        case (.failure(let error), .some): expect(false, "the fast reader refused a page the reference reads: \(error)")
        case (.failure, nil): break
        }
        if case .failure(.api(let code, let description)) = page {
            let envelope = Result { () throws(OctoparseAnswerError) in try OctoparseDecoding.throwIfError(generic) }
            if generic["error"] != nil {
                expect(
                    envelope.map { 0 } == .failure(.api(code: code, description: description)),
                    "page error .api(\(code), \(description)) but throwIfError gives \(envelope)"
                )
            } else {
                expect(code == "error" && generic["message"] != nil, "an .api error without \"error\" or \"message\"")
            }
        }
    }
    checkAnswers(bytes, generic: generic)
    return 0
}

/// Token grants, task groups and tasks: the same envelope error whichever is asked, and sane values.
private func checkAnswers(_ bytes: [UInt8], generic: JSONValue?) {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let token = Result { () throws(OctoparseAnswerError) in try OctoparseDecoding.token(bytes, obtainedAt: now) }
    let groups = Result { () throws(OctoparseAnswerError) in try OctoparseDecoding.taskGroups(bytes) }
    let tasks = Result { () throws(OctoparseAnswerError) in try OctoparseDecoding.tasks(bytes) }
    for case .failure(let error) in [token.map { _ in 0 }, groups.map { _ in 0 }, tasks.map { _ in 0 }] {
        expectPrintable(error.description, limit: 2048)
    }
    if let generic,
        case .failure(let envelope) = Result(catching: { () throws(OctoparseAnswerError) in
            try OctoparseDecoding.throwIfError(generic)
        })
    {
        for case .failure(let error) in [token.map { _ in 0 }, groups.map { _ in 0 }, tasks.map { _ in 0 }] {
            expect(error == envelope, "\(error) where the envelope says \(envelope)")
        }
    }
    if case .success(let token) = token {
        expect(!token.accessToken.isEmpty && token.expiresIn > 0, "a token without access token or lifetime")
        expect(token.refreshToken.map { !$0.isEmpty } ?? true, "an empty refresh token kept")
        if token.accessToken.utf8.count >= 8 {
            expect(!token.description.contains(token.accessToken), "a token's description shows the token")
        }
    }
    if case .success(let tasks) = tasks { expect(tasks.allSatisfy { !$0.id.isEmpty }, "a task without an id") }
    _ = groups
}

private func checkShape(_ page: OctoparsePage) {
    expect((0...Int(Int32.max)).contains(page.total), "total \(page.total) out of range")
    expect(Set(page.fields).count == page.fields.count, "a field listed twice: \(page.fields)")
    for row in page.rows { expect(row.count <= page.fields.count, "a row wider than the fields") }
}

/// Row identity's encoding decodes back to the row: no two different rows share an encoding.
private func checkEncoding(_ page: inout OctoparsePage) {
    page.encodeRows()
    guard let encoded = page.encodedRows else { return expect(false, "no encoded rows") }
    expect(encoded.rowCount == page.rows.count, "encoded \(encoded.rowCount) rows of \(page.rows.count)")
    var row = EncodedRow()
    for values in page.rows {
        row.encode(values)
        var trimmed = values
        while trimmed.last == .some(nil) { trimmed.removeLast() }
        expect(decodeRow(row.bytes) == trimmed, "a row's encoding does not decode back to it: \(values)")
        for (index, range) in row.ranges.enumerated() {
            let text = range.map { String(decoding: row.bytes[$0], as: UTF8.self) }
            expect(text == values[index], "range of column \(index) does not hold its value")
        }
    }
}

private func decodeRow(_ bytes: [UInt8]) -> [String?]? {
    var values: [String?] = []
    var index = 0
    while index < bytes.count {
        switch bytes[index] {
        case 0:
            values.append(nil)
            index += 1
        case 1:
            guard index + 5 <= bytes.count else { return nil }
            let count = (0..<4).reduce(0) { $0 | Int(bytes[index + 1 + $1]) << (8 * $1) }
            guard index + 5 + count <= bytes.count else { return nil }
            values.append(String(decoding: bytes[(index + 5)..<(index + 5 + count)], as: UTF8.self))
            index += 5 + count
        default: return nil
        }
    }
    return values
}

private func expectSamePage(_ left: OctoparsePage, _ right: OctoparsePage) {
    expect(
        left.total == right.total && left.currentTotal == right.currentTotal && left.restTotal == right.restTotal,
        "counts differ after a canonical rewrite"
    )
    expect(sameScalarText(left.offset, right.offset), "offset \(left.offset ?? "nil") vs \(right.offset ?? "nil")")
    expect(left.rows.count == right.rows.count, "\(left.rows.count) rows vs \(right.rows.count)")
    let fields = Set(left.fields).union(right.fields)
    for row in left.rows.indices {
        for field in fields {
            let a = left.value(field, row: row)
            let b = right.value(field, row: row)
            expect(
                sameScalarText(a, b),
                "row \(row) field \(field.debugDescription): \(String(describing: a)) vs \(String(describing: b))"
            )
        }
    }
}

/// A plain decoder of a page over the generic parse, written from the protocol's description.
private struct ReferencePage {
    var total: Int
    var currentTotal: Int?
    var offset: String?
    var restTotal: Int?
    var rows: [[String: String]]

    static func decode(_ value: JSONValue) -> ReferencePage? {
        guard case .object(let members) = value else { return nil }
        for key in ["error", "error_Description", "error_description", "message"] {
            switch members[key] {
            case nil, .null?, .string?: break
            default: return nil
            }
        }
        let code = members["error"]?.stringValue
        if let code, code != "success" { return nil }
        // `"data": null` is an empty page (an answer without rows may say so).
        if members["data"] == .null { return ReferencePage(total: 0, rows: []) }
        guard case .object(let data)? = members["data"] else { return nil }
        guard let total = count(data["total"]) else { return nil }
        var page = ReferencePage(total: total, rows: [])
        for key in ["currentTotal", "restTotal"] {
            guard let value = data[key] else { continue }
            if value == .null { continue }
            guard let number = count(value) else { return nil }
            if key == "currentTotal" { page.currentTotal = number } else { page.restTotal = number }
        }
        switch data["offset"] {
        case nil, .null?: break
        case .string(let text)?: page.offset = text
        case .some(let number) where isNumber(number): page.offset = number.canonicalText
        default: return nil
        }
        switch data["dataList"] {
        case nil: return nil
        case .null?: break
        case .array(let rows)?:
            for row in rows {
                guard case .object(let cells) = row else { return nil }
                var values: [String: String] = [:]
                for (field, cell) in cells {
                    switch cell {
                    case .null: continue
                    case .string(let text): values[field] = text
                    case .integer, .double, .bool: values[field] = cell.canonicalText
                    case .array, .object: return nil
                    }
                }
                page.rows.append(values)
            }
        default: return nil
        }
        return page
    }

    private static func count(_ value: JSONValue?) -> Int? {
        guard case .integer(let number)? = value, (0...Int64(Int32.max)).contains(number) else { return nil }
        return Int(number)
    }

    private static func isNumber(_ value: JSONValue) -> Bool {
        switch value {
        case .integer, .double: true
        default: false
        }
    }

    func expectSame(as page: OctoparsePage) {
        expect(
            total == page.total && currentTotal == page.currentTotal && restTotal == page.restTotal
                && offset == page.offset,
            "counts or offset differ from the reference"
        )
        expect(rows.count == page.rows.count, "\(page.rows.count) rows where the reference has \(rows.count)")
        let fields = Set(page.fields).union(rows.flatMap(\.keys))
        for (index, row) in rows.enumerated() {
            for field in fields {
                expect(
                    page.value(field, row: index) == row[field],
                    "row \(index) field \(field.debugDescription): \(String(describing: page.value(field, row: index))) where the reference has \(String(describing: row[field]))"
                )
            }
        }
    }
}
