"""`rasa` with the desk's adjustments applied first; the arguments are rasa's own."""

import sys
from pathlib import Path

from desk.common.private_files import keep_new_files_private

keep_new_files_private()  # the conversations it stores are the workers': 0600, as every process

from rasa_runtime import without_tensorflow  # noqa: E402  (after the umask)


def _served_model(argv: list[str]) -> Path | None:
    """The model file of `rasa run --model FILE`, else None (training, a folder, …)."""
    if len(argv) < 2 or argv[1] != "run" or "--model" not in argv:
        return None
    model = Path(argv[argv.index("--model") + 1])
    return model if model.is_file() else None


model = _served_model(sys.argv)
if model is not None and not without_tensorflow.model_needs_tensorflow(model):
    without_tensorflow.install()

# After the stand-ins, on purpose.
from rasa_runtime import atomic_locks, edge, private_logs, resilience, speedups  # noqa: E402

speedups.apply()  # checks that Rasa is the pinned version
resilience.apply()
atomic_locks.apply()  # several instances: no change to a conversation's lock is lost
edge.apply()  # Rasa's REST endpoint guarded like the gateway's channels
private_logs.apply()  # no message text in Rasa's log, whatever the log level

from rasa.__main__ import main  # noqa: E402

main()
