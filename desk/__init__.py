"""The core of 职工在线服务台: domain rules, storage and settings.

Imported by ``actions/`` (the Rasa action server) and ``bot/`` (the gateway); imports neither
Rasa nor aiogram, so every rule can be tested without either running.
"""
