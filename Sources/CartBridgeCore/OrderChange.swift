/// `order.update`: a new status recorded the way the cart records it (status column, history row with the comment).
public struct OrderChange: Sendable, Hashable {
    public var orderID: String
    public var statusID: String?
    public var comment: String?
    public var notifyCustomer: Bool = false
    public var storeID: String?

    public init(orderID: String) {
        self.orderID = orderID
    }
}
