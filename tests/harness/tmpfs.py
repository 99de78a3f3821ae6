"""A tmpfs of the test's own: a file system a fill can fill, and a test
can fill to a floor, without touching this machine's."""
import subprocess
from pathlib import Path


class MountError(RuntimeError):
    """The tmpfs could not be mounted (mount needs root)."""


def mount(folder: Path, size: str, mode: str = "0700") -> None:
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode={mode}", "tmpfs", str(folder)],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if r.returncode != 0:
        raise MountError(f"cannot mount a tmpfs on {folder}: {r.stderr.strip()}")
