"""Runs inside .venv-rasa (Python 3.10, Rasa 3.6): how the desk starts the Rasa server.

Our own code never imports Rasa; this folder is the one exception, and it only adjusts how the
pinned Rasa runs (speedups.py; edge.py guards the REST endpoint; private_logs.py keeps
messages out of its log). `python -m rasa_runtime run …` takes rasa's own arguments.
"""
