"""The web chat page: a channel like Telegram over the same Gateway, served by the gateway
process with aiohttp (app), an anonymous identity in a signed cookie (identity), the open pages
that the outbox delivers to (pages), the page's own files (static/)."""
