"""Rule board_firmware: bare-metal C of Algorithm 1 with this model's protocol and test vectors."""

import tempfile

from socflow.smk import log_to

with log_to(snakemake.log[0]), tempfile.TemporaryDirectory() as scratch:
    from socflow.board.firmware import board_firmware

    board_firmware(
        snakemake.input.protocol,
        {k: snakemake.input[k] for k in ("verilog", "hls_config") if k in snakemake.input.keys()},
        snakemake.input.model,
        snakemake.input.test,
        snakemake.params.input_precision,
        snakemake.params.samples,
        snakemake.output.firmware,
        scratch,
    )
