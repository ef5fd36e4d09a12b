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

    /// The data table for a task: `data_<slug>`, or with the first 8 characters of the task id's slug
    /// appended (`data_prices_6a1b2c3d`, `data_taskid1`) when the name gives no slug or `isTaken` says the
    /// name is used by another task. Ids other than GUIDs share prefixes more often (`taskid12`,
    /// `taskid123`; `TASKID1`, `taskid1`), so a name still taken gets 8 hex digits of the id's hash, then a
    /// number up to 999 (past that, the hashed name is returned, taken or not).
    public static func forTask(name: String, id: TaskID, isTaken: (String) -> Bool) -> String {
        let slug = slug(name)
        let idPart = String(self.slug(id.rawValue).prefix(8)).trimmingTrailingUnderscores
        let named = slug.isEmpty ? "data_\(idPart)" : "data_\(slug)_\(idPart)"
        let hashed = "\(named)_\(Digest.sha256Hex(id.rawValue).prefix(8))"
        let candidates = (slug.isEmpty ? [] : ["data_\(slug)"]) + [named, hashed]
        if let free = candidates.first(where: { !isTaken($0) }) { return free }
        return (2...999).lazy.map { "\(hashed)_\($0)" }.first { !isTaken($0) } ?? hashed
    }
}
