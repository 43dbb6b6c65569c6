import CartBridgeCore
import Foundation

extension PrestaShopConnector {
    /// `order.update`: a new status is an `order_history` row (by no employee, id 0) plus `orders.current_state`,
    /// `valid` (the state's `logable`) and `date_upd`, as `OrderHistory::changeIdOrderState` records it; PrestaShop's
    /// side effects of a status change (stock re-injection, invoices, payments, emails) are not run. A comment goes to
    /// the order's customer thread (`customer_thread` + `customer_message`), which the back office shows in the
    /// order's "Messages" block; it is private unless send_notifications is set.
    public func updateOrder(_ change: OrderChange, store: StoreAccess) async throws -> Int {
        guard let id = Self.numericID(change.orderID) else { throw Self.noOrder(change.orderID) }
        let scope = try Scope(storeID: change.storeID, langID: nil, store: store)
        let t = scope.t
        let now = scope.now
        // The order, limited to the named shop when store_id is given.
        var match = "o.`id_order` = ?"
        var matchParams: [JSONValue] = [.int(id)]
        if scope.shopGiven {
            match += " AND o.`id_shop` = ?"
            matchParams.append(.int(scope.shopID))
        }
        var statements = [SQLStatement("SELECT o.`id_order` FROM \(t("orders")) o WHERE \(match)", matchParams)]
        if let status = change.statusID {
            guard let state = Self.numericID(status) else { throw CartBridgeError.badParameter("order_status", "order status ids are whole numbers") }
            statements.append(
                SQLStatement(
                    "INSERT INTO \(t("order_history")) (`id_employee`, `id_order`, `id_order_state`, `date_add`) SELECT 0, o.`id_order`, ?, ? FROM \(t("orders")) o WHERE \(match)",
                    [.int(state), .string(now)] + matchParams
                )
            )
            statements.append(
                SQLStatement(
                    """
                    UPDATE \(t("orders")) o SET o.`current_state` = ?,
                        o.`valid` = COALESCE((SELECT os.`logable` FROM \(t("order_state")) os WHERE os.`id_order_state` = ?), o.`valid`),
                        o.`date_upd` = ?
                    WHERE \(match)
                    """,
                    [.int(state), .int(state), .string(now)] + matchParams
                )
            )
        }
        if let comment = change.comment, !comment.isEmpty {
            // The thread PrestaShop keeps per order and customer e-mail (`getIdCustomerThreadByEmailAndIdOrder`),
            // opened when there is none yet.
            statements.append(
                SQLStatement(
                    """
                    INSERT INTO \(t("customer_thread")) (`id_shop`, `id_lang`, `id_contact`, `id_customer`, `id_order`, `id_product`,
                        `status`, `email`, `token`, `date_add`, `date_upd`)
                    SELECT o.`id_shop`, o.`id_lang`, 0, o.`id_customer`, o.`id_order`, 0, 'open', COALESCE(c.`email`, ''), ?, ?, ?
                    FROM \(t("orders")) o LEFT JOIN \(t("customer")) c ON c.`id_customer` = o.`id_customer`
                    WHERE \(match) AND NOT EXISTS (
                        SELECT 1 FROM \(t("customer_thread")) ct WHERE ct.`id_order` = o.`id_order` AND ct.`email` = COALESCE(c.`email`, ''))
                    """,
                    [.string(Self.token()), .string(now), .string(now)] + matchParams
                )
            )
            statements.append(
                SQLStatement(
                    """
                    INSERT INTO \(t("customer_message")) (`id_customer_thread`, `id_employee`, `message`, `date_add`, `date_upd`, `private`, `read`)
                    SELECT (SELECT ct.`id_customer_thread` FROM \(t("customer_thread")) ct WHERE ct.`id_order` = o.`id_order`
                            AND ct.`email` = COALESCE(c.`email`, '') ORDER BY ct.`id_customer_thread` LIMIT 1),
                        0, ?, ?, ?, ?, 1
                    FROM \(t("orders")) o LEFT JOIN \(t("customer")) c ON c.`id_customer` = o.`id_customer`
                    WHERE \(match)
                    """,
                    [.string(comment), .string(now), .string(now), .int(change.notifyCustomer ? 0 : 1)] + matchParams
                )
            )
        }
        let results = try await store.query(statements, transaction: true)
        guard !results[0].rows.isEmpty else { throw Self.noOrder(change.orderID) }
        return 1
    }

    static func noOrder(_ id: String) -> CartBridgeError {
        CartBridgeError(.itemNotFound, "No order with id \(id.prefix(32)) in this store.")
    }

    /// A thread token as `Tools::passwdGen(12)` makes it: letters and digits.
    static func token() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<12).map { _ in alphabet.randomElement()! })
    }
}
