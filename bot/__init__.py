"""The gateway: Telegram (aiogram 3) and the terminal chat, both thin adapters over Rasa."""
