"""What every workflow script needs around the call into socflow: its log file, and its target as deployed."""

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


def deployed(job: Any) -> dict[str, Any]:
    """The job's target (params.target) as the student of its input metrics.json is built on it: a searched
    reuse factor replaced by the one the budgeted search chose (socflow.budget.deployed_target)."""
    from socflow.budget import deployed_target
    from socflow.io import read_json

    return deployed_target(job.params.target, read_json(job.input.metrics))


def deployed_input(job: Any, precision: str | list[str] | None = None) -> str:
    """The input type the student of the job's input metrics.json is built with (params.input_precision, or
    `precision`; a searched list replaced by the budgeted search's choice)."""
    from socflow.budget import deployed_input as chosen
    from socflow.io import read_json

    return chosen(job.params.input_precision if precision is None else precision, read_json(job.input.metrics))
