"""Rule board_eval: Algorithm 1 over the test set on the (emulated) board, answer by answer against the model."""

import tempfile

from socflow.smk import deployed_input, log_to

with log_to(snakemake.log[0]), tempfile.TemporaryDirectory() as scratch:
    from socflow.board.evaluate import board_eval, board_eval_pynq
    from socflow.board.ip_model import ip_files

    if snakemake.wildcards.backend == "pynq":
        board_eval_pynq(
            ip_files(snakemake.input),
            snakemake.input.bit,
            snakemake.input.protocol,
            snakemake.input.model,
            snakemake.input.test,
            snakemake.input.summary,
            deployed_input(snakemake),
            snakemake.params.board,
            snakemake.output.result,
        )
    else:
        board_eval(
            ip_files(snakemake.input),
            snakemake.input.protocol,
            snakemake.input.firmware,
            snakemake.input.model,
            snakemake.input.test,
            snakemake.input.summary,
            deployed_input(snakemake),
            snakemake.params.board,
            snakemake.threads,
            scratch,
            snakemake.output,
        )
