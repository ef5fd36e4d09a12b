import AsyncHTTPClient

/// Wording shared by the doctor's checks.
enum DoctorText {
    /// A failure's reason, as a `Result`'s error.
    struct Reason: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// An error in a few words and without a value: AsyncHTTPClient's long descriptions can hold the
    /// Authorization header.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.shortDescription }
        return String("\(error)".prefix(200))
    }

    /// `12` → `12 rows`, `1` → `1 row`; `plural` when adding an s will not do.
    static func count(_ number: Int, _ noun: String, plural: String? = nil) -> String {
        "\(number) " + (number == 1 ? noun : plural ?? noun + "s")
    }
}
