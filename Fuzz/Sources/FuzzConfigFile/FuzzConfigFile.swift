import Foundation
import FuzzSupport
import HarvestCore

/// `ConfigFile` (the TOML subset of `harvest.toml`) and `Settings` resolution over it.
///
/// Properties: parsing never crashes; an error names a line of the file, is printable and short, and
/// never repeats what the line holds beyond its key and section names (the value may be a password); an
/// accepted file written back as TOML reads back to the same entries; resolving it against a catalog
/// with secret keys never shows a secret's value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigFile(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(FuzzInput(start, count).bytes)
    let file: ConfigFile
    do {
        file = try ConfigFile(parsing: bytes)
    } catch {
        expectPrintable(error.message)
        expectNoEcho(error.message, bytes: bytes)
        return 0
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let lineCount = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count
    for (key, entry) in file.entries {
        expect((1...lineCount).contains(entry.line), "\(key) on line \(entry.line) of \(lineCount)")
        expect(
            key.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isBareKey)
                && key.split(separator: ".").count <= 2,
            "key \(key.debugDescription)"
        )
    }
    let written = write(file)
    let again = Result { () throws(InputError) in try ConfigFile(parsing: Array(written.utf8)) }
    let values = file.entries.mapValues(\.value)
    expect(
        (try? again.get().entries.mapValues(\.value)) == values,
        "written back as \(written.debugDescription) it reads \(again)"
    )
    resolve(file)
    return 0
}

private func isBareKey(_ text: Substring) -> Bool {
    !text.isEmpty
        && text.utf8.allSatisfy { (97...122).contains($0 | 0x20) || (48...57).contains($0) || $0 == 0x5F || $0 == 0x2D }
}

/// The words the parser's own messages use: these may appear in an error whatever the file held.
private let templateText = """
    the file is not UTF-8 text; section [] appears twice; expected KEY = VALUE; bad key before =: use letters, \
    digits, _ and - only (no spaces, dots or quotes); \
    _ and - only; is set twice; expected [SECTION]; bad section; unexpected text after [ ]; a value is missing \
    after =; multi-line strings are not supported; arrays and inline tables are not supported: no Harvest key \
    takes one; unexpected text after the value; bad \\u escape in a string; unknown escape in a string; a \
    control character in a string; a string is not closed; bad value: expected a quoted string, a number, \
    true or false; line
    """

/// An error about line N may repeat that line's key, or a section name, but nothing else of the line.
private func expectNoEcho(_ message: String, bytes: [UInt8]) {
    guard message.hasPrefix("line "), let colon = message.firstIndex(of: ":"),
        let number = Int(message[message.index(message.startIndex, offsetBy: 5)..<colon])
    else {
        return expect(message == "the file is not UTF-8 text", "an error without its line: \(message.debugDescription)")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    guard (1...lines.count).contains(number) else { return expect(false, "line \(number) of \(lines.count)") }
    let line = lines[number - 1]
    let trimmed = line.drop { $0 == " " || $0 == "\t" }
    // What may be repeated: the line's key (its first word) and every section name of the file.
    var allowed = [String(trimmed.prefix { isBareKey(Substring(String($0))) })]
    for other in lines {
        let header = other.drop { $0 == " " || $0 == "\t" }
        if header.first == "[", let close = header.firstIndex(of: "]") {
            allowed.append(header[header.index(after: header.startIndex)..<close].trimmingCharacters(in: .whitespaces))
        }
    }
    allowed.append(templateText)
    let words = line.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.filter { $0.count >= 4 }
    let body = message[message.index(after: colon)...]
    for word in words where body.contains(word) && !allowed.contains(where: { $0.contains(word) }) {
        expect(
            false,
            "an error repeats \(String(word).debugDescription) from line \(number): \(message.debugDescription)"
        )
    }
}

/// The entries as a TOML file: one `[section]` each, values in their plainest form.
private func write(_ file: ConfigFile) -> String {
    var sections: [String: [(String, ConfigFile.Value)]] = [:]
    for (key, entry) in file.entries {
        let parts = key.split(separator: ".", maxSplits: 1)
        let section = parts.count == 2 ? String(parts[0]) : ""
        sections[section, default: []].append((String(parts.last!), entry.value))
    }
    var output = ""
    for (section, entries) in sections.sorted(by: { $0.key < $1.key }) {
        if !section.isEmpty { output += "[\(section)]\n" }
        for (name, value) in entries {
            output += "\(name) = "
            switch value {
            case .string(let text):
                output += "\""
                for scalar in text.unicodeScalars {
                    switch scalar {
                    case "\"": output += "\\\""
                    case "\\": output += "\\\\"
                    case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                        output +=
                            "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                            + String(scalar.value, radix: 16)
                    default: output.unicodeScalars.append(scalar)
                    }
                }
                output += "\""
            case .integer, .float, .boolean: output += value.text
            }
            output += "\n"
        }
    }
    return output
}

/// A catalog of every kind, with secrets, in place of the service's (which lives in the executable).
private let catalog: [Setting] = [
    Setting("database", summary: "the database"),
    Setting("oxylabs.username", summary: "user"),
    Setting("oxylabs.password", secret: true, summary: "password"),
    Setting("admin.token", kind: .choice(["a", "b"]), secret: true, summary: "a secret choice"),
    Setting("oxylabs.poll_concurrency", default: "64", kind: .integer(1...1024), summary: "polls"),
    Setting("oxylabs.share", kind: .number(0...1), secret: true, summary: "a secret number"),
    Setting("http.check_callback_sender", default: "false", kind: .boolean, summary: "check"),
    Setting("service.stall_after", default: "5m", kind: .duration(minimum: .seconds(1)), summary: "stall"),
    Setting("service.secret_after", kind: .duration(minimum: .seconds(1)), secret: true, summary: "a secret duration"),
    Setting("log.format", default: "logfmt", kind: .choice(["logfmt", "json"]), summary: "format"),
]

private func resolve(_ file: ConfigFile) {
    do {
        _ = try Settings(catalog: catalog, file: (path: "harvest.toml", contents: file), environment: [:])
    } catch {
        expectPrintable(error.message)
        for setting in catalog where setting.isSecret {
            guard let value = file.entries[setting.key]?.value.text, value.utf8.count >= 4 else { continue }
            let known = catalog.map(\.key).joined(separator: " ") + " harvest.toml line expected a whole number"
            expect(
                !error.message.contains(value) || known.contains(value),
                "the value of secret \(setting.key) in an error: \(error.message.debugDescription)"
            )
        }
    }
}
