import ArgumentParser

@main
struct CartBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cartbridge",
        abstract: "CartBridge: one API2Cart-compatible API for many shopping carts, self-hosted.",
        subcommands: [Serve.self, AccountCommand.self, StoreCommand.self, VaultCommand.self, BridgeCommand.self]
    )
}
