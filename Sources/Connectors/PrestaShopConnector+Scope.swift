import CartBridgeCore
import Foundation

extension PrestaShopConnector {
    /// The shop and language one call reads or writes, and the SQL pieces that depend on them.
    ///
    /// PrestaShop keeps prices, visibility and texts per shop (`*_shop`, `*_lang.id_shop`) and texts per language;
    /// a call without `store_id` works on the default shop (listed first by `loadConfig`), without `lang_id` in the
    /// default language.
    struct Scope: Sendable {
        let prefix: String
        let shopID: Int64
        let langID: Int64
        /// Whether the caller named the shop: only then are customers and orders limited to it.
        let shopGiven: Bool
        /// The shop's front URL, ending in `/`.
        let shopURL: String
        let timeZone: TimeZone
        let schema: PrestaShopSchema

        init(_ query: ListQuery, store: StoreAccess) throws(CartBridgeError) {
            try self.init(storeID: query.storeID, langID: query.langID, store: store)
        }

        init(storeID: String?, langID: String?, store: StoreAccess) throws(CartBridgeError) {
            let shops = store.config.stores
            let shop: StoreConfig.StoreView?
            if let storeID {
                guard let given = shops.first(where: { $0.id == storeID }) else {
                    throw CartBridgeError.badParameter("store_id", "the store has no shop with this id")
                }
                shop = given
            } else {
                shop = shops.first
            }
            let lang = try store.languageID(langID)
            self.prefix = store.prefix
            self.shopID = shop.flatMap { Int64($0.id) } ?? 1
            self.langID = lang.flatMap { Int64($0) } ?? 1
            self.shopGiven = storeID != nil
            var url = shop?.url ?? store.config.storeURL ?? ""
            if !url.isEmpty, !url.hasSuffix("/") { url += "/" }
            self.shopURL = url
            self.timeZone = store.timeZone
            self.schema = PrestaShopSchema(config: store.config)
        }

        /// A table name with the store's prefix, quoted.
        func t(_ name: String) -> String {
            "`\(self.prefix)\(name)`"
        }

        /// The current wall time in the store's zone, as PrestaShop writes `date_add`/`date_upd` (PHP `date()` in
        /// `PS_TIMEZONE`, not the database server's clock).
        var now: String {
            Self.localText(Date(), zone: self.timeZone)
        }

        static func localText(_ date: Date, zone: TimeZone) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        }

        /// Which `stock_available` rows belong to this shop, as `StockAvailable::addSqlShopRestriction` says: the
        /// group's row (`id_shop = 0`) when the shop group shares its stock, else the shop's own row. Two `?`: the shop.
        func stockOfShop(_ alias: String) -> (sql: String, params: [JSONValue]) {
            (
                """
                \(alias).`id_shop` = (SELECT IF(sg.`share_stock` = 1, 0, sh.`id_shop`) FROM \(self.t("shop")) sh
                    JOIN \(self.t("shop_group")) sg ON sg.`id_shop_group` = sh.`id_shop_group` WHERE sh.`id_shop` = ?)
                AND (\(alias).`id_shop` <> 0 OR \(alias).`id_shop_group` = (SELECT sh.`id_shop_group` FROM \(self.t("shop")) sh WHERE sh.`id_shop` = ?))
                """,
                [.int(self.shopID), .int(self.shopID)]
            )
        }

        /// The original image file PrestaShop serves: `img/p/1/2/12.jpg` (one folder per digit of the id).
        func imageURL(_ id: Int64) -> String {
            let digits = String(id).map(String.init).joined(separator: "/")
            return self.shopURL + "img/p/" + digits + "/\(id).jpg"
        }

        /// The product page through the front controller; PrestaShop redirects it to the friendly URL when URL
        /// rewriting is on.
        func productURL(_ id: Int64, combination: Int64? = nil) -> String {
            var url = self.shopURL + "index.php?controller=product&id_product=\(id)"
            if let combination { url += "&id_product_attribute=\(combination)" }
            return url
        }

        /// `alias.column AS column` when the store's table has the column (see `PrestaShopSchema`), else NULL.
        func column(_ alias: String, _ table: String, _ column: String) -> String {
            self.schema.column(alias, table, column)
        }

        /// Settings that shape product fields (units, stock management, out-of-stock default); the shop's value wins.
        var settingsStatement: SQLStatement {
            SQLStatement(
                """
                SELECT `name`, `value` FROM \(self.t("configuration"))
                WHERE `name` IN ('PS_WEIGHT_UNIT', 'PS_DIMENSION_UNIT', 'PS_ORDER_OUT_OF_STOCK', 'PS_STOCK_MANAGEMENT')
                  AND (`id_shop` IS NULL OR `id_shop` = ?)
                ORDER BY (`id_shop` IS NULL) DESC, `id_configuration`
                """,
                [.int(self.shopID)]
            )
        }

        static func settings(_ result: QueryResult) -> [String: String] {
            var settings: [String: String] = [:]
            for row in result.records {
                if let name = row.text("name") { settings[name] = row.text("value", default: "") }
            }
            return settings
        }
    }

    /// A whole-number id from the API, or nil (a text id matches no PrestaShop row).
    static func numericID(_ text: String?) -> Int64? {
        text.flatMap { Int64($0) }
    }
}
