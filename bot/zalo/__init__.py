"""The Zalo OA platform layer: webhook, processing, client, tokens, outbox sender, stand-in.

The app factory registers the webhook blueprint (`webhook.bp`) and the `zalo` CLI group
(`cli.zalo_cli`). The parts of one process (processor, sender, tokens) are built by
bot.runtime (`runtime_of(app).zalo`). Other layers use `handlers.outbox` to send and
`handlers.inbound.router` to handle events; see bot/zalo/README.md.
"""
