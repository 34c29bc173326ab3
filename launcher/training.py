"""Training the Rasa model only when its inputs changed."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from desk.settings import PROJECT_ROOT

# Everything that changes what `rasa train` produces. The jieba dictionary changes tokens.
MODEL_INPUTS = ("config.yml", "domain.yml", "nlu_data", "knowledge/jieba")
MODEL_PREFIX = "desk-"
RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
# The Rasa server is started through rasa_runtime (the pinned Rasa with the desk's speedups).
RASA_SERVER = (str(PROJECT_ROOT / ".venv-rasa" / "bin" / "python"), "-m", "rasa_runtime")


def _input_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in MODEL_INPUTS:
        path = root / name
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return files


def data_fingerprint(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for path in _input_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path = PROJECT_ROOT) -> Path:
    return root / "models" / f"{MODEL_PREFIX}{data_fingerprint(root)}.tar.gz"


def ensure_model(root: Path = PROJECT_ROOT, log: Path | None = None) -> Path:
    """Returns the model for the current data, training it first if there is none."""
    target = model_path(root)
    if target.exists():
        print(f"模型已是最新 / model up to date: {target.name}", flush=True)
        return target
    print("正在训练 Rasa 模型 / training the Rasa model …", flush=True)
    started = time.monotonic()
    command = [
        str(RASA_BIN),
        "train",
        "--data",
        "nlu_data",
        "--out",
        "models",
        "--fixed-model-name",
        target.name.removesuffix(".tar.gz"),
    ]
    log = log or root / "var" / "log" / "train.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        result = subprocess.run(command, cwd=root, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0 or not target.exists():
        sys.exit(f"rasa train failed (exit {result.returncode}); see {log}")
    for old in target.parent.glob(f"{MODEL_PREFIX}*.tar.gz"):
        if old != target:
            old.unlink()
    print(f"训练完成 / trained in {time.monotonic() - started:.0f} s: {target.name}", flush=True)
    return target
