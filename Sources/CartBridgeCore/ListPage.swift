/// One page of a list: the items in the contract's schema, how many match in all, and where the next page starts.
public struct ListPage: Sendable {
    public var items: [JSONValue]
    /// Items matching the filters in all; nil when the call did not count them (later pages of a cursor walk).
    public var total: Int?
    /// The last item's keyset position when more items follow; nil on the last page.
    public var next: ListQuery.Position?

    public init(items: [JSONValue], total: Int?, next: ListQuery.Position?) {
        self.items = items
        self.total = total
        self.next = next
    }
}
