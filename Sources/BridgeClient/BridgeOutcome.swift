/// What a bridge call came to when the exchange itself worked: a result, or an error the bridge signed.
public enum BridgeOutcome: Sendable, Hashable {
    case success(BridgeReply)
    case failure(BridgeRemoteError)
}
