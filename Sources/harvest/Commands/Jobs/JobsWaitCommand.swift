import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest jobs wait ID…`: block until the jobs are final.
struct JobsWaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until jobs are final; exit 0 if all are done, 1 otherwise.",
        discussion: """
            Shows a progress line on a terminal. A running `harvest serve` does the work. Example:
              id=$(harvest jobs submit --source universal --url https://example.com) && harvest jobs wait "$id"
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Local job ids.")
    var ids: [Int64]

    @Option(help: "Give up after this long (e.g. 10m); exit 1.")
    var timeout: String?

    func validate() throws {
        guard !ids.isEmpty else { throw ValidationError("give at least one job id") }
        if let bad = ids.first(where: { $0 < 1 }) { throw ValidationError("bad job id \(bad): ids start at 1") }
    }

    func run() async throws {
        let limit = try timeout.map { text throws(InputError) in try DurationInput.parse(text, flag: "--timeout") }
        let store = try database.open()
        let started = ContinuousClock.now
        let terminal = isatty(2) != 0
        while true {
            let statuses = try store.statuses(of: ids)
            let open = statuses.values.filter { !$0.isFinal }.count
            if terminal {
                let counts = Dictionary(grouping: statuses.values, by: \.self).mapValues(\.count)
                let line = JobStatus.allCases.compactMap { status in counts[status].map { "\(status.rawValue) \($0)" } }
                FileHandle.standardError.write(
                    Data("\r\(ids.count - open)/\(ids.count) final: \(line.joined(separator: " · "))\u{1B}[K".utf8)
                )
            }
            if open == 0 {
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                let notDone = ids.filter { statuses[$0] != .done }
                guard notDone.isEmpty else {
                    let list = notDone.map { "\($0) \(statuses[$0]!.rawValue)" }.joined(separator: ", ")
                    throw CommandFailure(message: "not done: \(list)")
                }
                return
            }
            if let limit, ContinuousClock.now - started > limit {
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                throw CommandFailure(message: "timed out with \(open) job(s) not final")
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
