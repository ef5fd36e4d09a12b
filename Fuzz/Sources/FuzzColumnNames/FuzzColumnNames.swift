import Foundation
import FuzzSupport
import HarvestCore

/// `ColumnNames` and `TableName`: Octoparse field and task names (any text) made into SQL identifiers.
///
/// The input is a list of field names separated by 0xFF (never part of UTF-8); the first byte says how
/// many of them a first sync already assigned. Properties: every column is a plain lower-case identifier
/// of at most 60 bytes, not a lineage column, unique without regard to case; assigning in two syncs gives
/// what one sync gives, and earlier assignments never change; snake-casing and slugging are idempotent
/// (a column name taken as a field name keeps its name); every table name is a plain identifier; quoting
/// an identifier for SQL can be undone.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzColumnNames(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    var input = FuzzInput(start, count)
    let firstSync = Int(input.byte())
    let fields = input.bytes.split(separator: 0xFF, omittingEmptySubsequences: false).map {
        String(decoding: $0, as: UTF8.self)
    }

    for field in fields {
        let column = ColumnNames.snakeCase(field)
        expectIdentifier(column, field: field)
        expect(
            ColumnNames.snakeCase(column) == column,
            "snakeCase is not idempotent: \(field.debugDescription) → \(column) → \(ColumnNames.snakeCase(column))"
        )
        let slug = TableName.slug(field)
        expect(slug.utf8.count <= TableName.maximumSlugLength, "slug of \(slug.utf8.count) bytes")
        expect(slug.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 0x5F }, "slug \(slug)")
        expect(!slug.hasPrefix("_") && !slug.hasSuffix("_") && !slug.contains("__"), "slug \(slug.debugDescription)")
        expect(TableName.slug(slug) == slug, "slug is not idempotent: \(slug)")
        expect(
            unquote(SQLIdentifier.quoted(field)) == Array(field.unicodeScalars),
            "quoting \(field.debugDescription) cannot be undone"
        )
    }

    let all = ColumnNames.assign(fields, existing: [:])
    expect(Set(all.keys) == Set(fields), "not every field has a column")
    expect(Set(all.values.map { $0.lowercased() }).count == all.count, "two fields share a column: \(all)")
    for (field, column) in all {
        expectIdentifier(column, field: field)
        expect(!ColumnNames.reserved.contains(column), "lineage column \(column) given to a field")
    }
    let first = ColumnNames.assign(Array(fields.prefix(firstSync)), existing: [:])
    let second = ColumnNames.assign(fields, existing: first)
    expect(second == all, "assigning in two syncs differs from one")
    for (field, column) in first { expect(second[field] == column, "the column of \(field.debugDescription) changed") }
    return 0
}

/// Reads a quoted SQL identifier back, scalar by scalar as SQLite does: nil unless it is one whole
/// identifier (a lone `"` inside would end it early, and the rest would be SQL).
private func unquote(_ quoted: String) -> [Unicode.Scalar]? {
    let scalars = Array(quoted.unicodeScalars)
    guard scalars.count >= 2, scalars.first == "\"", scalars.last == "\"" else { return nil }
    var name: [Unicode.Scalar] = []
    var index = 1
    while index < scalars.count - 1 {
        if scalars[index] == "\"" {
            guard index + 1 < scalars.count - 1, scalars[index + 1] == "\"" else { return nil }
            index += 1
        }
        name.append(scalars[index])
        index += 1
    }
    return name
}

private func isPlainIdentifier(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, (97...122).contains(first) else { return false }
    return bytes.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 0x5F }
}

private func expectIdentifier(_ column: String, field: String) {
    expect(
        isPlainIdentifier(column) && column.utf8.count <= ColumnNames.maximumLength,
        "column \(column.debugDescription) for \(field.debugDescription)"
    )
}
