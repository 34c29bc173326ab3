"""`rasa` with the desk's adjustments applied first; the arguments are rasa's own."""

from rasa_runtime.speedups import apply

apply()

from rasa.__main__ import main  # noqa: E402  (after the adjustments, on purpose)

main()
