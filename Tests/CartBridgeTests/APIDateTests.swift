import Foundation
import Testing

@testable import CartBridgeCore

/// The UTC fast path of `APIDate.value` writes what the calendar path writes, and leaves alone what it cannot.
struct APIDateTests {
    @Test
    func utcFastPathMatchesTheCalendar() {
        let utc = APIDate.timeZone("UTC")
        var generator = SeededGenerator(seed: 31_012_024)
        var checked = 0
        for _ in 0..<20_000 {
            let parts = APIDate.Parts(
                year: Int.random(in: 1...9999, using: &generator), month: Int.random(in: 0...13, using: &generator),
                day: Int.random(in: 0...32, using: &generator), hour: Int.random(in: 0...24, using: &generator),
                minute: Int.random(in: 0...60, using: &generator), second: Int.random(in: 0...60, using: &generator)
            )
            guard let fast = APIDate.utcText(parts, timeZone: utc) else { continue }
            checked += 1
            #expect(["value": .string(fast), "format": .string(APIDate.format)] == APIDate.calendarValue(parts, timeZone: utc), "\(parts)")
        }
        #expect(checked > 5_000)
    }

    @Test
    func fastPathOnlyForValidUTCWallTimes() {
        let utc = APIDate.timeZone("UTC")
        #expect(APIDate.utcText(APIDate.Parts(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59), timeZone: utc) == "2024-02-29T23:59:59+0000")
        #expect(APIDate.utcText(APIDate.Parts(year: 2023, month: 2, day: 29, hour: 0, minute: 0, second: 0), timeZone: utc) == nil)
        #expect(APIDate.utcText(APIDate.Parts(year: 2024, month: 4, day: 31, hour: 0, minute: 0, second: 0), timeZone: utc) == nil)
        #expect(APIDate.utcText(APIDate.Parts(year: 2024, month: 1, day: 1, hour: 24, minute: 0, second: 0), timeZone: utc) == nil)
        #expect(APIDate.utcText(APIDate.Parts(year: 2024, month: 1, day: 1, hour: 9, minute: 0, second: 0), timeZone: APIDate.timeZone("Europe/Berlin")) == nil)
        #expect(APIDate.value(database: "2024-01-31 09:00:00", timeZone: utc)["value"] == "2024-01-31T09:00:00+0000")
        #expect(APIDate.value(database: "2024-01-31 09:00:00", timeZone: APIDate.timeZone("Europe/Berlin"))["value"] == "2024-01-31T09:00:00+0100")
        #expect(APIDate.value(database: "0000-00-00 00:00:00", timeZone: utc) == .null)
    }
}
