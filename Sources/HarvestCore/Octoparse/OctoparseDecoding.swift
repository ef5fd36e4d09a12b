/// Reads Octoparse answer bodies. Pure: bytes in, values or a typed error out.
///
/// The error envelope is looked for in every body, whatever the HTTP status was, because the API sends
/// `unauthorized` both as 401 and as 200.
public enum OctoparseDecoding {
    /// A data page (`alldata`, by time, last run, by offset, not exported). `"data": null` is an empty
    /// page (`total` 0, not ``OctoparsePage/totalIsReported``, no rows): an answer without rows may carry
    /// it instead of `{"total": 0, …}`.
    ///
    /// Written for throughput (a page holds up to 1,000 rows and harvesting is bound by decoding): field
    /// names repeat in every row, so a key is first compared byte for byte with the field at the same
    /// position in the previous row and only decoded when it differs.
    public static func page(_ bytes: UnsafeBufferPointer<UInt8>) throws(OctoparseAnswerError) -> OctoparsePage {
        var reader = PageReader(parser: JSONParser(bytes: bytes))
        do {
            return try reader.read()
        } catch let error as OctoparseAnswerError {
            throw error
        } catch let error as JSONParser.SyntaxError {
            throw .malformed(error.description)
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// A data page from an array of bytes.
    public static func page(_ bytes: [UInt8]) throws(OctoparseAnswerError) -> OctoparsePage {
        try withBuffer(bytes) { buffer throws(OctoparseAnswerError) in try page(buffer) }
    }

    /// The `data` member of a successful envelope (task groups, tasks), or the envelope's error.
    public static func envelopeData(_ bytes: [UInt8]) throws(OctoparseAnswerError) -> JSONValue {
        let value = try json(bytes)
        try throwIfError(value)
        guard case .object(let members) = value, let data = members["data"] else {
            throw .malformed("no \"data\" member")
        }
        return data
    }

    /// The whole body as JSON; a body that is not JSON is ``OctoparseAnswerError/malformed(_:)``.
    public static func json(_ bytes: [UInt8]) throws(OctoparseAnswerError) -> JSONValue {
        try withBuffer(bytes) { buffer throws(OctoparseAnswerError) in
            do {
                return try JSONParser.parse(buffer)
            } catch {
                throw .malformed("\(error)")
            }
        }
    }

    /// Throws the envelope's error when `value` is one: an `error` other than `success`, or a bare
    /// `{"message"}` (the answer to a wrong method).
    public static func throwIfError(_ value: JSONValue) throws(OctoparseAnswerError) {
        guard case .object(let members) = value else { return }
        let description =
            members["error_Description"]?.stringValue ?? members["error_description"]?.stringValue ?? ""
        if let code = members["error"] {
            guard let code = code.stringValue else { throw .malformed("\"error\" is not a string") }
            if code != "success" { throw .api(code: code, description: description) }
        } else if members["data"] == nil, let message = members["message"]?.stringValue {
            throw .api(code: "error", description: message)
        }
    }

    private static func withBuffer<T>(
        _ bytes: [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>) throws(OctoparseAnswerError) -> T
    ) throws(OctoparseAnswerError) -> T {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(OctoparseAnswerError) in try body(buffer) }
        }
        return try result.get()
    }
}

/// The byte-level reader behind ``OctoparseDecoding/page(_:)``.
private struct PageReader {
    var parser: JSONParser
    var fields: [String] = []
    var fieldBytes: [[UInt8]] = []
    var columnOf: [String: Int] = [:]

    mutating func read() throws -> OctoparsePage {
        var code: String?
        // Both spellings may come; `error_Description` wins, as in ``OctoparseDecoding/throwIfError(_:)``.
        var upperDescription: String?
        var lowerDescription: String?
        var message: String?
        var page: OctoparsePage?
        var top = parser
        try Self.members(&top) { parser, key in
            switch key {
            case "error": code = try Self.optionalString(&parser, key)
            case "error_Description": upperDescription = try Self.optionalString(&parser, key)
            case "error_description": lowerDescription = try Self.optionalString(&parser, key)
            case "message": message = try Self.optionalString(&parser, key)
            case "data" where parser.peek == UInt8(ascii: "{"):
                self.parser = parser
                page = try readData()
                parser = self.parser
            case "data" where parser.peek == UInt8(ascii: "n"):
                // `"data": null` is an empty page: whether an answer without rows says so or carries
                // `{"total": 0, …}` is undocumented (the `update` answer is `"data": null`).
                try parser.expectWord("null")
                page = OctoparsePage(total: 0, fields: [], rows: [])
                page?.totalIsReported = false
            case "data":
                // The last member wins, as in the generic parse: a later `data` that is no page undoes one.
                _ = try parser.parseValue(depth: 1)
                page = nil
            default: _ = try parser.parseValue(depth: 1)
            }
        }
        parser = top
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.error("unexpected text after the value") }
        if let code, code != "success" {
            throw OctoparseAnswerError.api(code: code, description: upperDescription ?? lowerDescription ?? "")
        }
        if code == nil, page == nil, let message { throw OctoparseAnswerError.api(code: "error", description: message) }
        guard let page else { throw OctoparseAnswerError.malformed("no \"data\" object") }
        return page
    }

    /// The members of the object at the reader's position, key by key; `body` reads each value.
    private static func members(_ parser: inout JSONParser, _ body: (inout JSONParser, String) throws -> Void) throws {
        parser.skipWhitespace()
        guard parser.peek == UInt8(ascii: "{") else { throw OctoparseAnswerError.malformed("not a JSON object") }
        parser.index += 1
        parser.skipWhitespace()
        if parser.peek == UInt8(ascii: "}") {
            parser.index += 1
            return
        }
        while true {
            parser.skipWhitespace()
            guard parser.peek == UInt8(ascii: "\"") else { throw parser.error("expected a member name") }
            let key = try parser.parseString()
            try parser.expectColon()
            try body(&parser, key)
            if try parser.endOfContainer(closing: UInt8(ascii: "}")) { return }
        }
    }

    private mutating func readData() throws -> OctoparsePage {
        var total: Int?
        var currentTotal: Int?
        var offset: String?
        var restTotal: Int?
        var rows: [[String?]] = []
        var sawList = false
        var object = parser
        try Self.members(&object) { parser, key in
            switch key {
            case "total": total = try Self.integer(&parser, key)
            case "currentTotal": currentTotal = try Self.optionalInteger(&parser, key)
            case "restTotal": restTotal = try Self.optionalInteger(&parser, key)
            case "offset":
                let start = parser.index
                let value = try parser.parseValue(depth: 2)
                switch value {
                case .string(let text): offset = text
                case .integer, .double:
                    offset = String(
                        decoding: UnsafeBufferPointer(rebasing: parser.bytes[start..<parser.index]),
                        as: UTF8.self
                    )
                case .null: offset = nil
                default: throw OctoparseAnswerError.malformed("\"offset\" is not a number or string")
                }
            case "dataList":
                sawList = true
                self.parser = parser
                rows = try readRows()
                parser = self.parser
            default: _ = try parser.parseValue(depth: 2)
            }
        }
        parser = object
        guard let total else { throw OctoparseAnswerError.malformed("no \"total\" in \"data\"") }
        guard sawList else { throw OctoparseAnswerError.malformed("no \"dataList\" in \"data\"") }
        return OctoparsePage(
            total: total,
            currentTotal: currentTotal,
            offset: offset,
            restTotal: restTotal,
            fields: fields,
            rows: rows
        )
    }

    private mutating func readRows() throws -> [[String?]] {
        if parser.peek == UInt8(ascii: "n") {
            try parser.expectWord("null")
            return []
        }
        guard parser.peek == UInt8(ascii: "[") else {
            throw OctoparseAnswerError.malformed("\"dataList\" is not a list")
        }
        parser.index += 1
        parser.skipWhitespace()
        var rows: [[String?]] = []
        if parser.peek == UInt8(ascii: "]") {
            parser.index += 1
            return rows
        }
        while true {
            parser.skipWhitespace()
            rows.append(try readRow())
            if try parser.endOfContainer(closing: UInt8(ascii: "]")) { return rows }
        }
    }

    private mutating func readRow() throws -> [String?] {
        guard parser.peek == UInt8(ascii: "{") else { throw OctoparseAnswerError.malformed("a row is not an object") }
        parser.index += 1
        var row = [String?](repeating: nil, count: fields.count)
        parser.skipWhitespace()
        if parser.peek == UInt8(ascii: "}") {
            parser.index += 1
            return row
        }
        var position = 0
        while true {
            parser.skipWhitespace()
            guard parser.peek == UInt8(ascii: "\"") else { throw parser.error("expected a member name") }
            let column = try readFieldName(expected: position)
            try parser.expectColon()
            let value = try readValue(column: column)
            if column >= row.count { row.append(contentsOf: repeatElement(nil, count: column - row.count + 1)) }
            row[column] = value
            position = column + 1
            if try parser.endOfContainer(closing: UInt8(ascii: "}")) { return row }
        }
    }

    /// The column of the field name at the reader's position (at its opening quote).
    private mutating func readFieldName(expected position: Int) throws -> Int {
        let bytes = parser.bytes
        let start = parser.index + 1
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20
        {
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\""), position < fieldBytes.count {
            let expected = fieldBytes[position]
            if expected.count == end - start {
                var same = true
                for offset in 0..<expected.count where expected[offset] != bytes[start + offset] {
                    same = false
                    break
                }
                if same {
                    parser.index = end + 1
                    return position
                }
            }
        }
        let name = try parser.parseString()
        if let column = columnOf[name] { return column }
        columnOf[name] = fields.count
        fields.append(name)
        fieldBytes.append(Array(name.utf8))
        return fields.count - 1
    }

    private mutating func readValue(column: Int) throws -> String? {
        parser.skipWhitespace()
        let start = parser.index
        switch parser.peek {
        case UInt8(ascii: "\""): return try parser.parseString()
        case UInt8(ascii: "n"):
            try parser.expectWord("null")
            return nil
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            // A number or boolean where a string belongs: kept as its JSON text, nothing is lost.
            _ = try parser.parseValue(depth: 4)
            return String(decoding: UnsafeBufferPointer(rebasing: parser.bytes[start..<parser.index]), as: UTF8.self)
        default:
            let name = column < fields.count ? fields[column] : "?"
            throw OctoparseAnswerError.malformed("the value of field \(name.quotedForMessage) is not a string")
        }
    }

    private static func optionalString(_ parser: inout JSONParser, _ key: String) throws -> String? {
        switch try parser.parseValue(depth: 1) {
        case .string(let text): return text
        case .null: return nil
        default: throw OctoparseAnswerError.malformed("\"\(key)\" is not a string")
        }
    }

    private static func optionalInteger(_ parser: inout JSONParser, _ key: String) throws -> Int? {
        switch try parser.parseValue(depth: 2) {
        case .integer(let value) where value >= 0 && value <= Int64(Int32.max): return Int(value)
        case .null: return nil
        default: throw OctoparseAnswerError.malformed("\"\(key)\" is not a count")
        }
    }

    private static func integer(_ parser: inout JSONParser, _ key: String) throws -> Int {
        guard let value = try optionalInteger(&parser, key) else {
            throw OctoparseAnswerError.malformed("\"\(key)\" is not a count")
        }
        return value
    }
}

extension JSONParser {
    /// The byte at the reader's position (0 at the end).
    var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

    mutating func expectColon() throws(SyntaxError) {
        skipWhitespace()
        guard peek == UInt8(ascii: ":") else { throw error("expected ':'") }
        index += 1
        skipWhitespace()
    }

    /// After a member or element: true at the container's end (consumed), false after a `,`.
    mutating func endOfContainer(closing: UInt8) throws(SyntaxError) -> Bool {
        skipWhitespace()
        switch peek {
        case UInt8(ascii: ","):
            index += 1
            return false
        case closing:
            index += 1
            return true
        case 0: throw error("unexpected end of text")
        default: throw error(closing == UInt8(ascii: "}") ? "expected ',' or '}'" : "expected ',' or ']'")
        }
    }
}
