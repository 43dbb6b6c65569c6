import CartBridgeCore
import Foundation

/// `order.update`: the status in the authoritative storage (and in the other one too while WooCommerce keeps
/// them in sync), the completion and payment dates WooCommerce sets on the way, the analytics row's status, the
/// order's modification time, and an order note as WooCommerce writes it ("<comment> Order status changed from
/// A to B."). One batch in one transaction: the options are read inside it, so the storage cannot change
/// between the decision and the writes.
extension WooCommerceConnector {
    public func updateOrder(_ change: OrderChange, store: StoreAccess) async throws -> Int {
        let p = store.prefix
        try Self.checkStore(change.storeID)
        guard let id = Int64(change.orderID) else { throw CartBridgeError(.itemNotFound, "No order with id \(change.orderID.prefix(32)).") }
        let now = Self.now(store)
        let hposTables = Self.hasOrderTables(store)
        func option(_ name: String) -> String {
            "COALESCE((SELECT `option_value` FROM `\(p)options` WHERE `option_name` = '\(name)' LIMIT 1), 'no') = 'yes'"
        }
        // The order row is read FOR UPDATE so that concurrent updates of one order queue instead of deadlocking.
        var statements: [SQLStatement] = [
            SQLStatement("SET @hpos = \(hposTables ? option("woocommerce_custom_orders_table_enabled") : "0")"),
            SQLStatement("SET @sync = \(hposTables ? option("woocommerce_custom_orders_table_data_sync_enabled") : "0")"),
            SQLStatement(
                hposTables
                    ? """
                    SET @old = IF(@hpos,
                      (SELECT `status` FROM `\(p)wc_orders` WHERE `id` = ? AND `type` = 'shop_order' AND `status` NOT IN ('trash', 'auto-draft', 'draft') FOR UPDATE),
                      (SELECT `post_status` FROM `\(p)posts` WHERE `ID` = ? AND `post_type` = 'shop_order' AND `post_status` NOT IN ('trash', 'auto-draft', 'draft') FOR UPDATE))
                    """
                    : "SET @old = (SELECT `post_status` FROM `\(p)posts` WHERE `ID` = ? AND `post_type` = 'shop_order' AND `post_status` NOT IN ('trash', 'auto-draft', 'draft') FOR UPDATE)",
                hposTables ? [.int(id), .int(id)] : [.int(id)]
            ),
            SQLStatement("SELECT @old AS old_status, @hpos AS hpos, @sync AS sync"),
        ]
        let new = change.statusID ?? ""
        // @changed: the order exists and its status is to change; @touched: the order exists and something is written.
        statements.append(SQLStatement("SET @changed = @old IS NOT NULL AND ? <> '' AND @old <> ?", [.string(new), .string(new)]))
        statements.append(SQLStatement("SET @touched = @old IS NOT NULL AND (@changed OR ? <> '')", [.string(change.comment ?? "")]))
        if hposTables {
            statements += [
                SQLStatement(
                    "UPDATE `\(p)wc_orders` SET `status` = IF(@changed, ?, `status`), `date_updated_gmt` = ? WHERE `id` = ? AND @touched AND (@hpos OR @sync)",
                    [.string(new), .string(now.utc), .int(id)]
                ),
                SQLStatement(
                    """
                    UPDATE `\(p)wc_order_operational_data` SET
                      `date_completed_gmt` = IF(? = 'wc-completed', COALESCE(`date_completed_gmt`, ?), `date_completed_gmt`),
                      `date_paid_gmt` = IF(? IN ('wc-processing', 'wc-completed'), COALESCE(`date_paid_gmt`, ?), `date_paid_gmt`)
                    WHERE `order_id` = ? AND @changed AND (@hpos OR @sync)
                    """,
                    [.string(new), .string(now.utc), .string(new), .string(now.utc), .int(id)]
                ),
            ]
        }
        statements.append(
            SQLStatement(
                "UPDATE `\(p)posts` SET `post_status` = IF(@changed, ?, `post_status`), `post_modified` = ?, `post_modified_gmt` = ? WHERE `ID` = ? AND `post_type` = 'shop_order' AND @touched AND (NOT @hpos OR @sync)",
                [.string(new), .string(now.local), .string(now.utc), .int(id)]
            )
        )
        // The posts storage keeps the dates as meta: Unix times, and the older `_completed_date`/`_paid_date` texts.
        let postDates: [(key: String, statuses: [String], value: JSONValue)] = [
            ("_date_completed", ["wc-completed"], .string(String(now.unix))), ("_completed_date", ["wc-completed"], .string(now.local)),
            ("_date_paid", ["wc-processing", "wc-completed"], .string(String(now.unix))), ("_paid_date", ["wc-processing", "wc-completed"], .string(now.local)),
        ]
        for date in postDates where date.statuses.contains(new) {
            statements.append(
                SQLStatement(
                    """
                    INSERT INTO `\(p)postmeta` (`post_id`, `meta_key`, `meta_value`)
                    SELECT o.`ID`, ?, ? FROM `\(p)posts` o WHERE o.`ID` = ? AND o.`post_type` = 'shop_order' AND @changed AND (NOT @hpos OR @sync)
                      AND NOT EXISTS (SELECT 1 FROM `\(p)postmeta` x WHERE x.`post_id` = o.`ID` AND x.`meta_key` = ? AND x.`meta_value` <> '')
                    """,
                    [.string(date.key), date.value, .int(id), .string(date.key)]
                )
            )
        }
        statements.append(SQLStatement("UPDATE `\(p)wc_order_stats` SET `status` = ? WHERE `order_id` = ? AND @changed", [.string(new), .int(id)]))
        // The note: the comment, then the status change in WooCommerce's words with the store's status names.
        let names = store.config.orderStatuses
        let oldName = "CASE @old " + String(repeating: "WHEN ? THEN ? ", count: names.count) + "ELSE @old END"
        let newName = Self.statusName(new, store: store)
        let author = "woocommerce@" + (URL(string: Self.setting(store, Setting.homeURL) ?? store.config.storeURL ?? "")?.host ?? "noreply.com")
        var noteParams: [JSONValue] = [.int(id), .string(author), .string(now.local), .string(now.utc), .string(change.comment ?? "")]
        noteParams += names.flatMap { [JSONValue.string($0.id), .string($0.name)] }
        noteParams.append(.string(newName))
        statements += [
            SQLStatement(
                """
                INSERT INTO `\(p)comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_author_url`, `comment_author_IP`,
                  `comment_date`, `comment_date_gmt`, `comment_content`, `comment_karma`, `comment_approved`, `comment_agent`, `comment_type`,
                  `comment_parent`, `user_id`)
                SELECT ?, 'WooCommerce', ?, '', '', ?, ?,
                  TRIM(CONCAT(?, IF(@changed, CONCAT(' Order status changed from ', \(oldName), ' to ', ?, '.'), ''))),
                  0, '1', 'WooCommerce', 'order_note', 0, 0
                FROM DUAL WHERE @touched
                """,
                noteParams
            ),
            SQLStatement("SET @note = IF(ROW_COUNT() > 0, LAST_INSERT_ID(), NULL)"),
            SQLStatement(
                "INSERT INTO `\(p)commentmeta` (`comment_id`, `meta_key`, `meta_value`) SELECT @note, 'is_customer_note', '1' FROM DUAL WHERE @note IS NOT NULL AND ?",
                [.bool(change.notifyCustomer)]
            ),
        ]
        let results = try await store.query(statements, transaction: true)
        guard let row = results[3].records.first, row.text("old_status") != nil else {
            throw CartBridgeError(.itemNotFound, "No order with id \(id).")
        }
        return 1
    }
}
