"""Rule board_eval: Algorithm 1 over the test set on the (emulated) board, answer by answer against the model."""

import tempfile

from socflow.smk import log_to

with log_to(snakemake.log[0]), tempfile.TemporaryDirectory() as scratch:
    from socflow.board.evaluate import board_eval, board_eval_pynq

    if snakemake.wildcards.backend == "pynq":
        board_eval_pynq(
            snakemake.input.bit,
            snakemake.input.protocol,
            snakemake.input.model,
            snakemake.input.test,
            snakemake.input.summary,
            snakemake.params.input_precision,
            snakemake.params.board,
            snakemake.output.result,
        )
    else:
        board_eval(
            {k: snakemake.input[k] for k in ("verilog", "hls_config") if k in snakemake.input.keys()},
            snakemake.input.protocol,
            snakemake.input.firmware,
            snakemake.input.model,
            snakemake.input.test,
            snakemake.input.summary,
            snakemake.params.input_precision,
            snakemake.params.board,
            snakemake.threads,
            scratch,
            snakemake.output,
        )
