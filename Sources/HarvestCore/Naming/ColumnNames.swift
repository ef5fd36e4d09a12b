import Foundation

/// Column names for Octoparse fields: snake_case, valid and unique within a task's table, assigned
/// deterministically and never changed once given (new fields only add columns).
///
/// Field names are any text (spaces, punctuation, non-ASCII, quotes and SQL); the column is a plain
/// identifier users can type, and the original name is kept in `octoparse_columns`. Lineage columns
/// (``reserved``) start with `_`, which no field column does.
public enum ColumnNames {
    /// The lineage columns of every data table.
    public static let reserved: Set<String> = ["_id", "_storage_window", "_ingested_at"]
    /// The longest column name given.
    public static let maximumLength = 60

    /// `High Temp` → `high_temp`, `priceUSD` → `price_usd`, `Café №1` → `cafe_1`, `2nd` → `f_2nd`;
    /// a name with no letter or digit gives `field`.
    public static func snakeCase(_ field: String) -> String {
        let folded = field.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in folded {
            let isWordCharacter = character.isASCII && (character.isLetter || character.isNumber)
            if !isWordCharacter {
                if !current.isEmpty { words.append(current) }
                current = ""
                previous = nil
                continue
            }
            // A lower-case letter or digit followed by an upper-case one starts a new word (camelCase).
            if let previous, character.isUppercase, previous.isLowercase || previous.isNumber, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(Character(character.lowercased()))
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        var name = words.joined(separator: "_")
        if name.isEmpty { name = "field" }
        if name.first!.isNumber { name = "f_" + name }
        // Cut after a separator, the name would end in `_`, and not be its own snake case.
        return String(name.prefix(maximumLength)).trimmingTrailingUnderscores
    }

    /// Columns for `fields` (in the order they first appeared), given the columns already assigned.
    /// A name already taken gets `_2`, `_3`, … in order; existing assignments never change.
    public static func assign(_ fields: [String], existing: [String: String]) -> [String: String] {
        var assigned = existing
        var taken = Set(existing.values.map { $0.lowercased() }).union(reserved)
        for field in fields where assigned[field] == nil {
            let base = snakeCase(field)
            var candidate = base
            var suffix = 2
            while taken.contains(candidate.lowercased()) {
                let tail = "_\(suffix)"
                candidate = String(base.prefix(maximumLength - tail.count)).trimmingTrailingUnderscores + tail
                suffix += 1
            }
            assigned[field] = candidate
            taken.insert(candidate.lowercased())
        }
        return assigned
    }
}

extension String {
    /// Without the `_` at its end, if any.
    var trimmingTrailingUnderscores: String {
        var text = self
        while text.last == "_" { text.removeLast() }
        return text
    }
}

/// Writing identifiers into SQL safely: every table and column name Harvest builds goes through here.
public enum SQLIdentifier {
    /// `name` as a quoted SQL identifier: `"x""); DROP TABLE t;--"` is just a strange column name.
    ///
    /// Doubles quotes scalar by scalar, as SQLite reads them: `replacingOccurrences` compares characters,
    /// and misses a quote that a combining mark joins into one character (`"\u{301}`), which would end the
    /// identifier early.
    public static func quoted(_ name: String) -> String {
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in name.unicodeScalars {
            if scalar == "\"" { quoted.append(scalar) }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }
}
