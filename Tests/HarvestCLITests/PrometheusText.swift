import Foundation

/// A strict reader of the Prometheus text exposition format (version 0.0.4), for tests that scrape
/// `GET /metrics`: every line is a `# TYPE`, a `# HELP`, blank, or a sample `name{labels} value` whose
/// metric family has a `# TYPE` above it. Anything else is an error naming the line.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Malformed: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var text: String
        var description: String { "line \(line): \(reason): \(text)" }
    }

    /// Family name to its type (`counter`, `gauge`, `histogram`, `summary`, `untyped`).
    private(set) var types: [String: String] = [:]
    private(set) var samples: [Sample] = []

    init(_ text: String) throws {
        var seen = Set<String>()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            func fail(_ reason: String) -> Malformed { Malformed(line: index + 1, reason: reason, text: String(line)) }
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                // A comment, unless its first word is TYPE or HELP: then it must be well formed.
                let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard words.count >= 2, ["TYPE", "HELP"].contains(words[1]) else { continue }
                guard words[0] == "#", words.count >= 3, Self.isMetricName(words[2]) else {
                    throw fail("bad \(words[1]) line")
                }
                if words[1] == "TYPE" {
                    let known = ["counter", "gauge", "histogram", "summary", "untyped"]
                    guard words.count == 4, known.contains(String(words[3])) else { throw fail("bad type") }
                    guard types.updateValue(String(words[3]), forKey: String(words[2])) == nil else {
                        throw fail("second TYPE for the family")
                    }
                }
                continue
            }
            guard let sample = Self.sample(line) else { throw fail("not `name{labels} value`") }
            guard let family = family(of: sample) else { throw fail("sample without a TYPE for its family") }
            if types[family] == "histogram", sample.name.hasSuffix("_bucket"), sample.labels["le"] == nil {
                throw fail("histogram bucket without le")
            }
            let key =
                sample.name + "|"
                + sample.labels.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: ",")
            guard seen.insert(key).inserted else { throw fail("the same series twice") }
            samples.append(sample)
        }
    }

    /// The family a sample belongs to: its own name, or a histogram's or summary's name for its suffixed series.
    private func family(of sample: Sample) -> String? {
        if types[sample.name] != nil { return sample.name }
        for suffix in ["_bucket", "_sum", "_count"] where sample.name.hasSuffix(suffix) {
            let base = String(sample.name.dropLast(suffix.count))
            if let type = types[base], type == "histogram" || (type == "summary" && suffix != "_bucket") { return base }
        }
        return nil
    }

    /// The value of the one series `name` with exactly `labels`, or nil when absent.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The series of `name` whose labels include `matching`.
    func series(_ name: String, matching: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// The sum of the series of `name` whose labels include `matching` (0 when there is none).
    func sum(_ name: String, matching: [String: String] = [:]) -> Double {
        series(name, matching: matching).map(\.value).reduce(0, +)
    }

    // MARK: Lexing

    private static func isMetricName<S: StringProtocol>(_ text: S) -> Bool {
        guard let first = text.unicodeScalars.first, isNameStart(first) else { return false }
        return text.unicodeScalars.allSatisfy { isNameStart($0) || ("0"..."9").contains($0) }
    }

    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == ":"
    }

    private static func isLabelName(_ text: String) -> Bool {
        isMetricName(text) && !text.contains(":")
    }

    /// `name{k="v",…} value`, with `\\`, `\"` and `\n` escapes in values; nil when it is anything else.
    private static func sample<S: StringProtocol>(_ line: S) -> Sample? {
        var scalars = Substring(line).unicodeScalars[...]
        var name = ""
        while let next = scalars.first, next != "{", next != " " {
            name.unicodeScalars.append(next)
            scalars.removeFirst()
        }
        guard isMetricName(name) else { return nil }
        var labels: [String: String] = [:]
        if scalars.first == "{" {
            scalars.removeFirst()
            while scalars.first != "}" {
                var key = ""
                while let next = scalars.first, next != "=" {
                    key.unicodeScalars.append(next)
                    scalars.removeFirst()
                }
                guard isLabelName(key), scalars.popFirst() == "=", scalars.popFirst() == "\"" else { return nil }
                var value = ""
                while true {
                    guard let next = scalars.popFirst() else { return nil }
                    if next == "\"" { break }
                    if next == "\\" {
                        switch scalars.popFirst() {
                        case "\\": value += "\\"
                        case "\"": value += "\""
                        case "n": value += "\n"
                        default: return nil
                        }
                    } else {
                        value.unicodeScalars.append(next)
                    }
                }
                guard labels.updateValue(value, forKey: key) == nil else { return nil }
                if scalars.first == "," { scalars.removeFirst() } else if scalars.first != "}" { return nil }
            }
            scalars.removeFirst()
        }
        guard scalars.popFirst() == " " else { return nil }
        let text = String(String.UnicodeScalarView(scalars))
        let value: Double?
        switch text {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default: value = text.contains(" ") || text.isEmpty ? nil : Double(text)
        }
        return value.map { Sample(name: name, labels: labels, value: $0) }
    }
}
