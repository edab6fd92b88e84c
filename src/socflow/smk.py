"""What every workflow script needs around the call into its stage: the log file, and the stage's arguments."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def log_to(path: str) -> Iterator[None]:
    """Send logging, stdout and stderr to the rule's log file, at the file-descriptor level too, so the
    chatter of TensorFlow's C++ core and of compilers lands there rather than on the user's terminal.

    An exception is written to the log with its traceback and re-raised, so the job fails and
    Snakemake shows the log's path. Import heavy modules inside the block so their start-up noise is caught.
    """
    with open(path, "w", buffering=1) as handle:
        sys.stdout.flush()
        sys.stderr.flush()
        saved_fds = os.dup(1), os.dup(2)
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = handle
        logging.basicConfig(
            stream=handle, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", force=True
        )
        try:
            yield
        except BaseException:
            traceback.print_exc(file=handle)
            raise
        finally:
            sys.stdout, sys.stderr = saved
            os.dup2(saved_fds[0], 1)
            os.dup2(saved_fds[1], 2)
            for fd in saved_fds:
                os.close(fd)


def _named(files: Any) -> dict[str, Any]:
    """A Snakemake file list's named entries, each a path or (for a list input) a list of paths."""
    return {name: list(value) if isinstance(value, list) else value for name, value in files.items()}


def job(snakemake: Any) -> dict[str, Any]:
    """The keyword arguments of every stage function, from the script's `snakemake` object: the rule's named
    inputs, params and outputs (a named log beside the main one, such as Yosys's own, is an output of the stage
    too) and its threads. Wildcards a stage needs reach it as params, so a stage never sees Snakemake."""
    return {
        "inputs": _named(snakemake.input),
        "params": dict(snakemake.params.items()),
        "outputs": _named(snakemake.output) | _named(snakemake.log),
        "threads": int(snakemake.threads),
    }
