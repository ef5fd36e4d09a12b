/// Jobs queued by one `harvest jobs submit`: a single job from flags, or a JSON Lines file of jobs that
/// share every parameter but their URL or query (Harvest sends those as one batch request).
public enum JobGroup: Sendable, Equatable {
    case single(flags: [String])
    case batch(lines: [String])

    /// How many jobs it queues.
    public var count: Int {
        switch self {
        case .single: 1
        case .batch(let lines): lines.count
        }
    }

    /// The arguments of `harvest jobs submit`; a batch reads its lines from `file`.
    public func arguments(file: String) -> [String] {
        switch self {
        case .single(let flags): ["jobs", "submit"] + flags
        case .batch: ["jobs", "submit", "--file", file]
        }
    }

    /// The JSON Lines text of a batch (empty for a single job).
    public var fileText: String {
        guard case .batch(let lines) = self else { return "" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A group of the steady mix: mostly single jobs of four kinds (a raw page, a parsed search, two pages,
    /// a PNG render with its HTML), sometimes a batch of 2 to 20 jobs. `number` keeps targets unique.
    static func draw(number: Int, using random: inout SplitMix64) -> JobGroup {
        let kind = random.next() % 10
        let tag = "chaos-\(number)"
        switch kind {
        case 0, 1:
            return .single(flags: ["--source", "universal", "--url", "https://example.com/\(tag)"])
        case 2, 3:
            return .single(flags: ["--source", "google_search", "--query", "shoes \(tag)", "--param", "parse=true"])
        case 4:
            return .single(flags: [
                "--source", "universal", "--url", "https://example.com/list/\(tag)", "--param", "pages=2",
            ])
        case 5:
            return .single(
                flags: [
                    "--source", "universal", "--url", "https://example.com/shot/\(tag)", "--param", "render=png",
                    "--results", "raw,png",
                ]
            )
        case 6, 7:
            let size = 2 + Int(random.next() % 19)
            return .batch(
                lines: (0..<size).map {
                    #"{"source":"amazon_product","query":"B0\#(number)X\#($0)","parse":true,"geo_location":"90210"}"#
                }
            )
        default:
            let size = 2 + Int(random.next() % 19)
            return .batch(
                lines: (0..<size).map { #"{"source":"universal","url":"https://example.com/\#(tag)/item/\#($0)"}"# }
            )
        }
    }
}
