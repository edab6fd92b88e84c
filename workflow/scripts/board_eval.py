"""Rule board_eval: Algorithm 1 over the test set on the (emulated) board, answer by answer against the model."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.board.evaluate import board_eval

    board_eval(**job(snakemake))
