"""Starts and stops the desk's processes: Rasa, the action server and the gateway."""
