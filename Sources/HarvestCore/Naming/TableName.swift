import Foundation

/// Names of the per-task data tables: `data_<slug of the task name>`.
///
/// The slug keeps ASCII letters and digits (accents folded away) and turns every other run of characters
/// into one `_`, so a name becomes an identifier users can type in SQL without quoting.
public enum TableName {
    /// The longest slug kept; longer names are cut.
    public static let maximumSlugLength = 48

    /// `My Prices (EU)` → `my_prices_eu`; a name with no ASCII letter or digit gives `""`.
    public static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var slug = ""
        var pendingSeparator = false
        for scalar in folded.unicodeScalars {
            let isWordCharacter = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar))
            if isWordCharacter {
                if pendingSeparator, !slug.isEmpty { slug += "_" }
                slug.unicodeScalars.append(scalar)
                pendingSeparator = false
            } else {
                pendingSeparator = true
            }
            if slug.utf8.count >= maximumSlugLength { break }
        }
        // Cut after a separator, the slug would end in `_`.
        return String(slug.lowercased().prefix(maximumSlugLength)).trimmingTrailingUnderscores
    }

    /// The data table for a task: `data_<slug>`, or with the first 8 characters of the task id appended
    /// when the name gives no slug or `isTaken` says the name is used by another task.
    public static func forTask(name: String, id: TaskID, isTaken: (String) -> Bool) -> String {
        let slug = slug(name)
        let idPart = String(id.rawValue.filter(\.isHexDigit).prefix(8))
        if slug.isEmpty { return "data_\(idPart)" }
        let plain = "data_\(slug)"
        return isTaken(plain) ? "\(plain)_\(idPart)" : plain
    }
}
