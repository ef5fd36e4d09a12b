import Foundation
import FuzzSupport
import HarvestCore

/// `JSONParser`: the strict parser every job line, admin body, callback and upstream answer goes through.
///
/// Properties: parsing never crashes; the buffer and `Data` entry points agree; a parsed value's canonical
/// text parses back to the same value and is a fixed point; whatever it accepts, Foundation's
/// `JSONSerialization` accepts too (it is never more lenient than the RFC).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    let parsed = Result { () throws(JSONParser.SyntaxError) in try JSONParser.parse(input.bytes) }
    let viaData = Result { () throws(JSONParser.SyntaxError) in try JSONParser.parse(Data(input.bytes)) }
    expect(parsed == viaData, "buffer and Data parses differ: \(parsed) vs \(viaData)")
    switch parsed {
    case .failure(let error):
        expect(error.offset >= 0 && error.offset <= count, "error offset \(error.offset) outside 0...\(count)")
        expectPrintable(error.description)
    case .success(let value):
        let canonical = value.canonicalText
        guard let again = try? JSONValue.parse(canonical) else {
            expect(false, "canonical text does not parse: \(canonical.prefix(300).debugDescription)")
            return 0
        }
        expect(sameJSON(value, again), "canonical text reads back as another value: \(canonical.prefix(300))")
        expect(again.canonicalText == canonical, "canonical text is not a fixed point: \(canonical.prefix(300))")
        let foundation = try? JSONSerialization.jsonObject(with: Data(input.bytes), options: [.fragmentsAllowed])
        expect(foundation != nil, "accepted text that JSONSerialization refuses")
    }
    return 0
}
