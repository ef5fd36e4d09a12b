import Foundation
import HTTPTypes
import HarvestCore
import Hummingbird
import NIOCore

extension OctoparseSimulator {
    /// `/__sim/`: what the fake knows, for tests and demos; no auth, no faults.
    ///
    /// - `GET /__sim/tasks`: every task with its id, name, group, kind, readable and exported row counts.
    /// - `GET /__sim/tasks/{id}/rows`: the readable rows as JSON Lines, streamed in chunks,
    ///   `{"index", "storage_time" (UTC), "server_time" (as the API's from/to read it), "row"}`.
    /// - `GET /__sim/stats`: request counts.
    /// - `POST /__sim/faults`: `{"server_error": 0.1, …}` changes the fault rates.
    /// - `POST /__sim/live/pause`, `POST /__sim/live/resume`: stop and restart the live task's growth.
    func addGroundTruthRoutes(to router: Router<SimulatorContext>) {
        router.get("/__sim/tasks") { [self] _, _ in
            let tasks: [JSONValue] = tasks().map { task in
                .object([
                    "id": .string(task.id), "name": .string(task.name), "group_id": .integer(Int64(task.groupID)),
                    "group_name": .string(task.groupName), "kind": .string(task.kind.rawValue),
                    "rows": .integer(Int64(task.rows)), "exported_rows": .integer(Int64(task.exportedRows)),
                ])
            }
            return JSONResponse.make(.ok, .object(["tasks": .array(tasks)]))
        }
        router.get("/__sim/tasks/:id/rows") { [self] _, context in
            guard let rows = rows(taskID: context.parameters.get("id") ?? "") else {
                return JSONResponse.message(.notFound, "Task not found.")
            }
            return streamLines(rows)
        }
        router.get("/__sim/stats") { [self] _, _ in
            JSONResponse.make(.ok, .object(["requests": .object(stats.snapshot().mapValues { .integer(Int64($0)) })]))
        }
        router.post("/__sim/faults") { [self] request, _ in
            try await updateFaults(request)
        }
        router.post("/__sim/live/pause") { [self] _, _ in
            pauseLive()
            return JSONResponse.make(.ok, .object(["live": .string("paused")]))
        }
        router.post("/__sim/live/resume") { [self] _, _ in
            resumeLive()
            return JSONResponse.make(.ok, .object(["live": .string("running")]))
        }
    }

    /// The rows as JSON Lines, a thousand per write, so a million rows never make one giant buffer.
    private func streamLines(_ rows: SimulatedRows) -> Response {
        let zone = configuration.serverTimeZone
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson; charset=utf-8"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                for chunkStart in stride(from: 0, to: rows.count, by: 1000) {
                    var json = JSONBufferWriter(capacity: 300_000)
                    for row in rows[chunkStart..<min(chunkStart + 1000, rows.count)] {
                        let second = Int64(row.storageTime.timeIntervalSince1970)
                        json.raw(#"{"index":"#)
                        json.integer(row.index)
                        json.raw(#","storage_time":"#)
                        json.string(UTCTime.format(row.storageTime))
                        json.raw(#","server_time":"#)
                        json.string(OctoparseTime.serverText(second, zone: zone))
                        json.raw(#","row":"#)
                        json.row(row.fields)
                        json.raw("}\n")
                    }
                    try await writer.write(json.buffer)
                }
                try await writer.finish(nil)
            }
        )
    }

    private func updateFaults(_ request: Request) async throws -> Response {
        guard let update = try await FaultUpdate.read(request) else { return FaultUpdate.refusal }
        setFaults(update.applied(to: faults))
        return JSONResponse.message(.ok, "faults updated")
    }
}
