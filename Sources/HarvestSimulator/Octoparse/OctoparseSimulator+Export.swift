import Foundation
import HTTPTypes
import HarvestCore
import Hummingbird
import NIOCore

/// The data calls. Each page is written straight into one buffer; row indices come from binary search
/// and the visibility snapshot, so no call scans a task.
extension OctoparseSimulator {
    /// `GET /api/taskgroup`.
    func taskGroups() -> Response {
        var json = JSONBufferWriter(capacity: 256)
        json.raw(#"{"data":["#)
        for (position, group) in catalog.groups.enumerated() {
            if position > 0 { json.raw(",") }
            json.raw(#"{"taskGroupId":"#)
            json.integer(group.id)
            json.raw(#","taskGroupName":"#)
            json.string(group.name)
            json.raw("}")
        }
        json.raw(#"],"error":"success"}"#)
        return Self.ok(json)
    }

    /// `GET /api/task?taskgroupid`: the group's tasks; an unknown group has none.
    func tasks(_ query: FormFields) throws(APIError) -> Response {
        guard let groupID = try integer(query["taskgroupid"]) else { throw .invalidRequest }
        var json = JSONBufferWriter(capacity: 512)
        json.raw(#"{"data":["#)
        for (position, entry) in catalog.entries.filter({ $0.group.id == groupID }).enumerated() {
            if position > 0 { json.raw(",") }
            json.raw(#"{"taskId":"#)
            json.string(entry.id)
            json.raw(#","taskName":"#)
            json.string(entry.name)
            json.raw("}")
        }
        json.raw(#"],"error":"success"}"#)
        return Self.ok(json)
    }

    /// `GET /api/alldata?taskid&pageindex&pagesize`: every readable row, by 1-based page.
    func allData(_ query: FormFields, _ now: Date) throws(APIError) -> Response {
        let (_, dataset) = try task(query)
        let size = try pageSize(query["pagesize"])
        let pageIndex = try pageIndex(query)
        let visibility = dataset.visibility(at: now)
        return page(of: 0..<visibility.count, pageIndex: pageIndex, size: size, visibility, dataset)
    }

    /// `GET /api/alldata/GetDataOfTaskByTimeAndPaging`: rows stored in `[from, to]` (or `[from, to)`, by
    /// the `toIsInclusive` knob), both read in the server's zone, in storage order.
    func dataByTime(_ query: FormFields, _ now: Date) throws(APIError) -> Response {
        let (_, dataset) = try task(query)
        let size = try pageSize(query["pagesize"])
        let pageIndex = try pageIndex(query)
        let zone = configuration.serverTimeZone
        guard let fromText = query["from"], let from = OctoparseTime.parseServerText(fromText, zone: zone),
            let toText = query["to"], let to = OctoparseTime.parseServerText(toText, zone: zone)
        else { throw .invalidRequest }
        // Storage times are whole seconds: the window is the seconds `first...last`.
        let first = Int64(from.timeIntervalSince1970.rounded(.up))
        let last =
            configuration.toIsInclusive
            ? Int64(to.timeIntervalSince1970.rounded(.down)) : Int64(to.timeIntervalSince1970.rounded(.up)) - 1
        let visibility = dataset.visibility(at: now)
        let lower = dataset.firstIndex(storedAtOrAfter: first, stored: visibility.stored)
        let upper = last < first ? lower : dataset.firstIndex(storedAtOrAfter: last + 1, stored: visibility.stored)
        return page(
            of: visibility.positions(of: lower..<upper),
            pageIndex: pageIndex,
            size: size,
            total: configuration.totalReading == .window ? nil : visibility.count,
            visibility,
            dataset
        )
    }

    /// `GET /api/alldata/GetLastDataOfTaskByPaging`: the rows of the most recent cloud run.
    func lastRunData(_ query: FormFields, _ now: Date) throws(APIError) -> Response {
        let (_, dataset) = try task(query)
        let size = try pageSize(query["pagesize"])
        let pageIndex = try pageIndex(query)
        let visibility = dataset.visibility(at: now)
        let run = dataset.lastRun(stored: visibility.stored)
        return page(of: visibility.positions(of: run), pageIndex: pageIndex, size: size, visibility, dataset)
    }

    /// `GET /api/alldata/GetDataOfTaskByOffset?taskid&offset&size`: the readable rows whose row id is
    /// above `offset`, and the id of the last one as the next offset (opaque to the client).
    ///
    /// A row committed late, behind an offset already handed out, is never returned by this call: the
    /// row ids are assigned at storage.
    func dataByOffset(_ query: FormFields, _ now: Date) throws(APIError) -> Response {
        let (entry, dataset) = try task(query)
        let size = try pageSize(query["size"])
        let offset = max(0, try integer(query["offset"]) ?? 0)
        let visibility = dataset.visibility(at: now)
        let first = visibility.position(of: entry.firstIndex(afterRowID: Int64(offset)))
        let indices = (first..<min(first + size, visibility.count)).map(visibility.index(atPosition:))
        var json = JSONBufferWriter(capacity: 160 + indices.count * 256)
        json.raw(#"{"data":{"offset":"#)
        json.integer(indices.last.map(entry.rowID) ?? Int64(offset))
        json.raw(#","total":"#)
        json.integer(visibility.count)
        json.raw(#","restTotal":"#)
        json.integer(visibility.count - first - indices.count)
        json.raw(#","dataList":["#)
        writeRows(indices, of: dataset, to: &json)
        json.raw(#"]},"error":"success"}"#)
        return Self.ok(json)
    }

    /// `GET /api/notexportdata` (`confirm`: the rows are marked exported as they are returned) and
    /// `GET /api/notexportdata/gettop` (they are held until `update`). `total` counts the unexported rows
    /// before this call. Older clients send `pagesize` instead of `size`.
    func notExported(_ query: FormFields, _ now: Date, confirm: Bool) throws(APIError) -> Response {
        let (entry, dataset) = try task(query)
        let size = try pageSize(query["size"] ?? query["pagesize"])
        let (indices, unexported) = withLedger(of: entry) { ledger in
            let found = ledger.oldestUnexported(dataset.visibility(at: now), limit: size)
            if confirm { ledger.markExported(found.indices) } else { ledger.holdTop(found.indices) }
            return found
        }
        return page(total: max(unexported, indices.count), indices: indices, dataset)
    }

    /// `POST /api/notexportdata/update?taskid`: confirms the rows the last `gettop` returned.
    func confirmTop(_ query: FormFields) throws(APIError) -> Response {
        let (entry, _) = try task(query)
        withLedger(of: entry) { $0.confirmTop() }
        return JSONResponse.text(.ok, #"{"data":null,"error":"success"}"#)
    }

    // MARK: Parameters

    private func task(_ query: FormFields) throws(APIError) -> (TaskCatalog.Entry, any TaskDataset) {
        guard let id = query["taskid"], let entry = catalog.entry(id: id) else { throw .taskID }
        return (entry, dataset(of: entry))
    }

    /// A page size or size: required, 1–1000.
    private func pageSize(_ text: String?) throws(APIError) -> Int {
        guard let size = try integer(text) else { throw .invalidRequest }
        guard (1...1000).contains(size) else { throw .pageSize }
        return size
    }

    /// A page index: required, at least 1 (a page number), or at least 0 when the fake reads it as a row
    /// offset.
    private func pageIndex(_ query: FormFields) throws(APIError) -> Int {
        let lowest = configuration.pageIndexReading == .page ? 1 : 0
        guard let index = try integer(query["pageindex"]), index >= lowest else { throw .invalidRequest }
        return index
    }

    /// A number parameter: nil when absent, refused when present but not a number.
    private func integer(_ text: String?) throws(APIError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw .invalidRequest }
        return value
    }

    // MARK: Pages

    /// Page `pageIndex` of the readable rows at `positions`: the 1-based page number, or the 0-based row
    /// offset, as the fake reads `pageindex`. `total` is the answer's `total` when it is not the rows'
    /// count.
    private func page(
        of positions: Range<Int>,
        pageIndex: Int,
        size: Int,
        total: Int? = nil,
        _ visibility: Visibility,
        _ dataset: any TaskDataset
    ) -> Response {
        let (skip, overflow) =
            configuration.pageIndexReading == .page
            ? (pageIndex - 1).multipliedReportingOverflow(by: size) : (pageIndex, false)
        let start = overflow || skip >= positions.count ? positions.upperBound : positions.lowerBound + skip
        let slice = start..<min(start + size, positions.upperBound)
        return page(
            total: total ?? positions.count,
            indices: slice.lazy.map(visibility.index(atPosition:)),
            dataset
        )
    }

    /// `{"data": {"total", "currentTotal", "dataList"}, "error": "success"}`.
    private func page(total: Int, indices: some Collection<Int>, _ dataset: any TaskDataset) -> Response {
        var json = JSONBufferWriter(capacity: 128 + indices.count * 256)
        json.raw(#"{"data":{"total":"#)
        json.integer(total)
        json.raw(#","currentTotal":"#)
        json.integer(indices.count)
        json.raw(#","dataList":["#)
        writeRows(indices, of: dataset, to: &json)
        json.raw(#"]},"error":"success"}"#)
        return Self.ok(json)
    }

    private func writeRows(
        _ indices: some Collection<Int>,
        of dataset: any TaskDataset,
        to json: inout JSONBufferWriter
    ) {
        for (position, index) in indices.enumerated() {
            if position > 0 { json.raw(",") }
            json.row(dataset.fields(index))
        }
        stats.record("rows.served", by: indices.count)
    }

    private static func ok(_ json: JSONBufferWriter) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: json.buffer))
    }
}
