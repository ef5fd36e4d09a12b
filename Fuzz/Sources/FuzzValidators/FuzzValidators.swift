import Foundation
import FuzzSupport
import HarvestCore

/// The validators behind every CLI flag and setting: `--param`, `--results`, `--idempotency-key`, task ids,
/// intervals, durations, shares, times, UTC offsets, named choices, setting values and `jobs submit` flags.
///
/// The first byte picks the validator; the rest is the argument, decoded as the command line decodes it.
/// Properties: no validator crashes; every error is printable and short, whatever the argument held; a
/// secret setting's error never shows its value; what is accepted is in range and survives a round trip
/// through its canonical text (`key=<canonical JSON>`, a list's text, a task id (safe characters only, a
/// GUID in lower case), `<n>s`, an offset's
/// description, a time's UTC text).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzValidators(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    var input = FuzzInput(start, count)
    let choice = input.byte()
    let text = input.text
    do throws(InputError) {
        switch choice % 12 {
        case 0: try jobParameter(text)
        case 1:
            let types = try ResultType.parseList(text)
            expect(!types.isEmpty && types == Array(Set(types)).sorted(), "result types \(types)")
            expect((try? ResultType.parseList(ResultType.listText(types))) == types, "result list round trip")
        case 2:
            try IdempotencyKey.check(text, label: "--idempotency-key")
            expect((1...200).contains(text.utf8.count), "a key of \(text.utf8.count) bytes accepted")
            expect(!text.unicodeScalars.contains { $0.value < 0x20 }, "a key with a control character accepted")
        case 3: try taskID(text)
        case 4:
            let seconds = try IntervalInput.seconds(text, flag: "--every")
            expect((1...366 * 86_400).contains(seconds), "interval \(seconds)")
            expect((try? IntervalInput.seconds("\(seconds)s", flag: "--every")) == seconds, "interval round trip")
        case 5:
            let duration = try DurationInput.parse(text, flag: "--latency")
            expect(duration >= .zero && duration <= .seconds(366 * 86_400), "duration \(duration)")
        case 6:
            let share = try ShareInput.parse(text, flag: "--fault-rate")
            expect((0...1).contains(share), "share \(share)")
        case 7: try time(text, zone: choice)
        case 8:
            let offset = try UTCOffset(parsing: text)
            expect(abs(offset.seconds) <= 14 * 3600 + 59 * 60, "offset \(offset.seconds)")
            expect((try? UTCOffset(parsing: offset.description)) == offset, "offset round trip")
        case 9:
            if choice & 0x80 == 0 {
                let status = try JobStatus(parsing: text)
                expect(status.rawValue == text.lowercased(), "status \(status) from \(text.debugDescription)")
            } else {
                let mode = try TaskMode(parsing: text)
                expect(mode.rawValue == text.lowercased(), "mode \(mode) from \(text.debugDescription)")
            }
        case 10: try settingValue(text, choice: choice)
        default: try jobFlags(text)
        }
    } catch {
        expectPrintable(error.message)
    }
    return 0
}

private func jobParameter(_ text: String) throws(InputError) {
    let parameter = try JobParameter(parsing: text)
    expect(
        parameter.key.utf8.allSatisfy { (97...122).contains($0 | 0x20) || (48...57).contains($0) || $0 == 0x5F },
        "key \(parameter.key.debugDescription)"
    )
    let again = try JobParameter(parsing: parameter.key + "=" + parameter.value.canonicalText)
    expect(sameJSON(again.value, parameter.value), "\(parameter) reads back as \(again)")
}

private func taskID(_ text: String) throws(InputError) {
    let id = try TaskID(parsing: text)
    let isLetterOrDigit: (UInt8) -> Bool = { (48...57).contains($0) || (97...122).contains($0 | 0x20) }
    expect((1...TaskID.maximumLength).contains(id.rawValue.utf8.count), "task id \(id.rawValue)")
    expect(
        id.rawValue.utf8.allSatisfy { isLetterOrDigit($0) || $0 == 0x2D || $0 == 0x5F },
        "task id \(id.rawValue.debugDescription)"
    )
    expect(id.rawValue.utf8.contains(where: isLetterOrDigit), "task id without a letter or digit")
    let groups = id.rawValue.split(separator: "-", omittingEmptySubsequences: false)
    if groups.map(\.count) == [8, 4, 4, 4, 12], groups.allSatisfy({ $0.allSatisfy(\.isHexDigit) }) {
        expect(id.rawValue == id.rawValue.lowercased(), "a GUID not in lower case: \(id)")
    }
    expect((try? TaskID(parsing: id.rawValue)) == id, "task id round trip")
    let table = TableName.forTask(name: text, id: id, isTaken: { _ in true })
    expect(
        table.hasPrefix("data_")
            && table.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 0x5F },
        "table \(table)"
    )
}

private func time(_ text: String, zone choice: UInt8) throws(InputError) {
    let zone = UTCOffset(seconds: (Int(choice >> 4) - 8) * 3600)
    let date = try TimeInput.parse(text, defaultZone: zone)
    expect(date.timeIntervalSince1970.isFinite, "time \(date)")
    let milliseconds = date.timeIntervalSince1970 * 1000
    // Inside the years UTCTime writes, its text reads back as the same instant, to the millisecond.
    guard milliseconds >= -62_167_219_200_000, milliseconds <= 253_402_300_799_999 else { return }
    let formatted = UTCTime.format(date)
    guard let again = UTCTime.parse(formatted) else { return expect(false, "\(formatted) does not read back") }
    expect(
        (again.timeIntervalSince1970 * 1000).rounded() == milliseconds.rounded(),
        "\(text.debugDescription) is \(milliseconds) ms, written \(formatted), read back \(again.timeIntervalSince1970 * 1000)"
    )
}

/// Every kind of setting, once as a secret: a secret's value must never appear in its error.
private func settingValue(_ text: String, choice: UInt8) throws(InputError) {
    let kinds: [Setting.Kind] = [
        .text, .integer(1...1024), .number(0...1), .boolean, .duration(minimum: .seconds(1)),
        .choice(["logfmt", "json"]),
    ]
    let kind = kinds[Int(choice >> 4) % kinds.count]
    do {
        _ = try SettingValue(text: text, kind: kind, label: "oxylabs.password", secret: true)
    } catch {
        expectPrintable(error.message)
        // The messages for other bad values of this kind: a value may happen to be a word of them.
        let others: [String] = ["\u{1}", "0s", "-1"]
        let templates = others.map { other -> String in
            do {
                _ = try SettingValue(text: other, kind: kind, label: "oxylabs.password", secret: true)
                return ""
            } catch {
                return (error as? InputError)?.message ?? ""
            }
        }.joined(separator: "\n")
        if text.utf8.count >= 4, !templates.contains(text) {
            expect(!error.message.contains(text), "a secret's value in its error: \(error.message.debugDescription)")
        }
    }
    _ = try SettingValue(text: text, kind: kind, label: "oxylabs.poll_concurrency", secret: false)
}

/// `jobs submit --source S (--url U | --query Q) --param …`: the parts are separated by NUL bytes.
private func jobFlags(_ text: String) throws(InputError) {
    let parts = text.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    let source = parts.first ?? ""
    let target = parts.count > 1 ? parts[1] : ""
    let isURL = target.hasPrefix("http") || target.contains("/")
    var parameters: [JobParameter] = []
    for part in parts.dropFirst(2) { parameters.append(try JobParameter(parsing: part)) }
    let request = try JobRequest.fromFlags(
        source: source,
        url: isURL ? target : nil,
        query: isURL ? nil : target,
        parameters: parameters,
        resultTypes: nil
    )
    expect(request.source == source, "source changed")
    guard let payload = try? JSONValue.parse(request.payloadText) else { return expect(false, "payload not JSON") }
    expect(payload.canonicalText == request.payloadText, "the flags' payload is not canonical")
    expect(
        (try? JobRequest.validate(payload, payloadText: request.payloadText)) == request,
        "validating the payload again gives another request"
    )
}
