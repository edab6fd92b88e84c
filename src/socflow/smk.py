"""What every workflow script needs around the call into socflow: its log file and its thread budget."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def log_to(path: str) -> Iterator[None]:
    """Send logging, stdout and stderr (TensorFlow's and tools' chatter too) to the rule's log file.

    An exception is written to the log with its traceback and re-raised, so the job fails and
    Snakemake shows the log's path.
    """
    with open(path, "w", buffering=1) as handle:
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
