import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest query "SQL"`: read what Harvest stored, safely.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one read-only SQL statement and print its rows.",
        discussion: """
            The database is opened read-only and any statement that writes, changes the schema, attaches a
            file or reads a secret table is refused (exit 2). Examples:
              harvest query "SELECT status, COUNT(*) FROM oxylabs_jobs GROUP BY status"
              harvest query "SELECT * FROM oxylabs_results WHERE job_id = 42" --json
              harvest query "SELECT * FROM data_prices_eu" --csv > prices.csv
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "One SQL statement.")
    var sql: String

    @Flag(help: "Print one JSON array of objects.")
    var json = false

    @Flag(help: "Print CSV (RFC 4180) with a header line.")
    var csv = false

    func validate() throws {
        if json, csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() throws {
        let query = try ReadOnlyQuery(path: try database.path)
        var format: any RowFormat = json ? JSONRows() : csv ? CSVRows() as any RowFormat : TableRows()
        let out = Output.standard
        try query.run(sql, columns: { format.begin(columns: $0, out) }, row: { format.row($0, out) })
        format.end(out)
        out.flush()
    }
}
