import CartBridgeCore
import Foundation

/// Pieces every WooCommerce read and write shares: cached settings, date conversions, meta rows, attachments.
extension WooCommerceConnector {
    /// Post statuses of products a shop manager sees (trash and auto-drafts are not products yet or any more).
    static let productStatuses: [JSONValue] = ["publish", "draft", "private", "pending"]

    static func setting(_ store: StoreAccess, _ key: String) -> String? {
        store.config.cartSettings?[key]
    }

    /// Whether the HPOS order tables exist. A configuration cached before the setting existed guesses from the
    /// version: WooCommerce 8.2 creates them on every new shop.
    static func hasOrderTables(_ store: StoreAccess) -> Bool {
        if let known = Self.setting(store, Setting.hposTables) { return known == "yes" }
        let parts = store.config.cartVersion.split(separator: ".").compactMap { Int($0) }
        return (parts.first ?? 0, parts.dropFirst().first ?? 0) >= (8, 2)
    }

    /// A store-local filter date (`YYYY-MM-DD HH:MM:SS`) as the same instant in UTC, for `_gmt` columns.
    static func utcText(_ local: String, zone: TimeZone) -> String {
        guard let date = Self.date(local, zone: zone) else { return local }
        return Self.databaseText(date, zone: TimeZone(identifier: "UTC")!)
    }

    /// A store-local filter date as a Unix time, for meta values WooCommerce keeps as timestamps.
    static func unixTime(_ local: String, zone: TimeZone) -> Int64 {
        Int64(Self.date(local, zone: zone)?.timeIntervalSince1970 ?? 0)
    }

    static func date(_ text: String, zone: TimeZone) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 19 else { return nil }
        func n(_ r: Range<Int>) -> Int? { Int(String(decoding: b[r], as: UTF8.self)) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(
            from: DateComponents(year: n(0..<4), month: n(5..<7), day: n(8..<10), hour: n(11..<13), minute: n(14..<16), second: n(17..<19))
        )
    }

    /// `2024-01-31 09:00:00` in `zone`, as WordPress writes its `DATETIME` columns.
    static func databaseText(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// A Unix time kept in meta (sale dates, `last_update`) as a contract date; null when empty or zero.
    static func timestampDate(_ text: String?, zone: TimeZone) -> JSONValue {
        guard let text, let seconds = Double(text), seconds > 0 else { return .null }
        return ["value": .string(APIDate.text(Date(timeIntervalSince1970: seconds), timeZone: zone)), "format": .string(APIDate.format)]
    }

    /// Meta rows (`owner`, `meta_key`, `meta_value`) as owner → key → values; a key may repeat (a variable
    /// product keeps one `_price` per variation price).
    static func metaByOwner(_ records: [[String: JSONValue]], owner: String) -> [Int64: [String: [String]]] {
        var out: [Int64: [String: [String]]] = [:]
        for record in records {
            guard let id = record.int(owner), let key = record.text("meta_key") else { continue }
            out[id, default: [:]][key, default: []].append(record.text("meta_value") ?? "")
        }
        return out
    }

    /// A number from meta text; nil when empty or not a number.
    static func number(_ text: String?) -> Double? {
        guard let text, !text.isEmpty, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    static func json(_ value: Double?) -> JSONValue {
        value.map(JSONValue.double) ?? .null
    }

    static func json(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    /// Ids as JSON parameters; text ids that are no numbers match no row.
    static func numericIDs(_ ids: [String]) -> [JSONValue] {
        ids.compactMap { Int64($0) }.map(JSONValue.int)
    }

    /// 1...100 as a derived table `seq(n)`, to split WordPress's comma lists of ids (image galleries) in SQL.
    static let sequence100 =
        "(SELECT d1.d * 10 + d2.d + 1 AS n FROM (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d1 CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d2) seq"

    /// The attachments named by `_thumbnail_id` (base) and `_product_image_gallery` (additional) of the page's
    /// posts, thumbnail first, then the gallery in its own order.
    static func imageStatement(_ sql: PageSQL, prefix p: String) -> SQLStatement {
        sql.child { page in
            """
            SELECT pm.`post_id` AS owner_id, pm.`meta_key` AS kind, seq.n AS pos, a.`ID` AS image_id, a.`guid`, a.`post_mime_type`,
            a.`post_date`, a.`post_modified`,
            (SELECT f.`meta_value` FROM `\(p)postmeta` f WHERE f.`post_id` = a.`ID` AND f.`meta_key` = '_wp_attached_file' LIMIT 1) AS file,
            (SELECT t.`meta_value` FROM `\(p)postmeta` t WHERE t.`post_id` = a.`ID` AND t.`meta_key` = '_wp_attachment_image_alt' LIMIT 1) AS alt
            FROM `\(p)postmeta` pm JOIN \(page) ON page.page_id = pm.`post_id`
            JOIN \(Self.sequence100) ON seq.n <= 1 + LENGTH(pm.`meta_value`) - LENGTH(REPLACE(pm.`meta_value`, ',', ''))
            JOIN `\(p)posts` a ON a.`ID` = CAST(TRIM(SUBSTRING_INDEX(SUBSTRING_INDEX(pm.`meta_value`, ',', seq.n), ',', -1)) AS UNSIGNED)
              AND a.`post_type` = 'attachment'
            WHERE pm.`meta_key` IN ('_thumbnail_id', '_product_image_gallery') AND pm.`meta_value` <> '' AND pm.`meta_value` <> '0'
            ORDER BY pm.`post_id`, pm.`meta_key` DESC, seq.n
            """
        }
    }

    /// Image rows (from `imageStatement`) as contract images per owner; an image named twice is listed once.
    static func images(_ records: [[String: JSONValue]], store: StoreAccess) -> [Int64: [JSONValue]] {
        let base = Self.setting(store, Setting.uploadsURL) ?? ""
        var out: [Int64: [JSONValue]] = [:]
        var seen: [Int64: Set<Int64>] = [:]
        for record in records {
            guard let owner = record.int("owner_id"), let imageID = record.int("image_id") else { continue }
            guard seen[owner, default: []].insert(imageID).inserted else { continue }
            let file = record.text("file") ?? ""
            let url: String =
                if file.hasPrefix("http://") || file.hasPrefix("https://") { file } else if !file.isEmpty { base + "/" + file } else { record.text("guid") ?? "" }
            let isBase = record.text("kind") == "_thumbnail_id"
            var image = ContractShapes.image(
                id: String(imageID), url: url, sortOrder: Int64(out[owner]?.count ?? 0), type: isBase ? "base" : "additional",
                alt: record.text("alt").flatMap { $0.isEmpty ? nil : $0 }
            )
            if case .object(var members) = image {
                members["mime-type"] = record.string("post_mime_type")
                members["create_at"] = record.date("post_date", store.timeZone)
                members["modified_at"] = record.date("post_modified", store.timeZone)
                image = .object(members)
            }
            out[owner, default: []].append(image)
        }
        return out
    }

    /// The product meta keys of a page of products or variations, one row per key.
    static func productMetaStatement(_ sql: PageSQL, prefix p: String) -> SQLStatement {
        sql.child(
            { page in
                "SELECT m.`post_id` AS owner_id, m.`meta_key`, m.`meta_value` FROM `\(p)postmeta` m JOIN \(page) ON page.page_id = m.`post_id` WHERE m.`meta_key` IN (\(SQLText.placeholders(Self.productMetaKeys.count))) ORDER BY m.`meta_id`"
            },
            Self.productMetaKeys.map(JSONValue.string)
        )
    }
}
