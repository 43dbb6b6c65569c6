import Foundation

/// Dates as the contract writes them: `{"value": "2025-09-17T13:33:43+0000", "format": "Y-m-d\\TH:i:sO"}`.
public enum APIDate {
    public static let format = "Y-m-d\\TH:i:sO"

    /// A cart's `DATETIME` text (`2024-01-31 09:00:00`, in `timeZone`) as a contract date; null for empty
    /// and zero dates.
    public static func value(database text: String?, timeZone: TimeZone) -> JSONValue {
        guard let text, let parts = Self.parts(text), parts.year > 0 else { return .null }
        if let utc = Self.utcText(parts, timeZone: timeZone) {
            return ["value": .string(utc), "format": .string(Self.format)]
        }
        return Self.calendarValue(parts, timeZone: timeZone)
    }

    /// The text `value` gives for a valid wall time in UTC, written straight from its parts (no calendar
    /// arithmetic, which was a tenth of a list call's CPU); nil for other zones and for parts a calendar would
    /// normalize (day 31 of a 30-day month, hour 24), which take the calendar path.
    static func utcText(_ p: Parts, timeZone: TimeZone) -> String? {
        guard timeZone.identifier == "UTC" || timeZone.identifier == "GMT", p.year <= 9999, (1...12).contains(p.month),
            (1...Self.days(month: p.month, year: p.year)).contains(p.day), (0...23).contains(p.hour), (0...59).contains(p.minute),
            (0...59).contains(p.second)
        else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        func put(_ value: Int, _ width: Int) {
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var rest = value
            for index in stride(from: width - 1, through: 0, by: -1) {
                digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: digits)
        }
        put(p.year, 4)
        bytes.append(UInt8(ascii: "-"))
        put(p.month, 2)
        bytes.append(UInt8(ascii: "-"))
        put(p.day, 2)
        bytes.append(UInt8(ascii: "T"))
        put(p.hour, 2)
        bytes.append(UInt8(ascii: ":"))
        put(p.minute, 2)
        bytes.append(UInt8(ascii: ":"))
        put(p.second, 2)
        bytes.append(contentsOf: "+0000".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func days(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `value` through the calendar: any zone, and parts it normalizes.
    static func calendarValue(_ p: Parts, timeZone: TimeZone) -> JSONValue {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second)
        guard let date = calendar.date(from: components) else { return .null }
        return ["value": .string(Self.text(date, timeZone: timeZone)), "format": .string(Self.format)]
    }

    /// `2024-01-31T09:00:00+0100`: the wall time in `timeZone` and its offset.
    public static func text(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date) / 60
        let sign = offset < 0 ? "-" : "+"
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d%02d",
            c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0, sign, abs(offset) / 60, abs(offset) % 60
        )
    }

    /// A filter date as clients send it (`2010-07-29 13:45:52`, `2010-07-29`, or with a `T`), normalized to
    /// `YYYY-MM-DD HH:MM:SS`; nil when it is not a real date.
    public static func filter(_ text: String) -> String? {
        guard let parts = Self.parts(text), parts.year > 0,
            (1...12).contains(parts.month), (1...31).contains(parts.day),
            (0...23).contains(parts.hour), (0...59).contains(parts.minute), (0...59).contains(parts.second)
        else { return nil }
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second)
    }

    /// The time zone a cart's setting names: an IANA name, `UTC`, or a `+05:30` offset; UTC when unknown.
    public static func timeZone(_ name: String?) -> TimeZone {
        let utc = TimeZone(identifier: "UTC")!
        guard let name, !name.isEmpty else { return utc }
        if let zone = TimeZone(identifier: name) { return zone }
        let scalars = Array(name.utf8)
        if scalars.count == 6, scalars[0] == UInt8(ascii: "+") || scalars[0] == UInt8(ascii: "-"), scalars[3] == UInt8(ascii: ":"),
            let h = Int(name.dropFirst().prefix(2)), let m = Int(name.suffix(2))
        {
            let seconds = (h * 3600 + m * 60) * (scalars[0] == UInt8(ascii: "-") ? -1 : 1)
            return TimeZone(secondsFromGMT: seconds) ?? utc
        }
        return utc
    }

    struct Parts {
        var year, month, day, hour, minute, second: Int
    }

    /// `YYYY-MM-DD[( |T)HH:MM[:SS]]`, digits only where digits belong; anything after the seconds is refused.
    static func parts(_ text: String) -> Parts? {
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var value = 0
            for i in range {
                guard (48...57).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b.count == 10 || b.count == 16 || b.count == 19,
            let year = number(0..<4), b[4] == UInt8(ascii: "-"), let month = number(5..<7), b[7] == UInt8(ascii: "-"), let day = number(8..<10)
        else { return nil }
        guard b.count > 10 else { return Parts(year: year, month: month, day: day, hour: 0, minute: 0, second: 0) }
        guard b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"), let hour = number(11..<13), b[13] == UInt8(ascii: ":"),
            let minute = number(14..<16)
        else { return nil }
        guard b.count == 19 else { return Parts(year: year, month: month, day: day, hour: hour, minute: minute, second: 0) }
        guard b[16] == UInt8(ascii: ":"), let second = number(17..<19) else { return nil }
        return Parts(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }
}
