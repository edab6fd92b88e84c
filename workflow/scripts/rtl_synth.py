"""Rule rtl_synth: Yosys resource estimate of the Verilog for the target's part."""

import tempfile

from socflow.smk import log_to

with log_to(snakemake.log[0]), tempfile.TemporaryDirectory() as scratch:
    from socflow.rtl.quantized import TOP
    from socflow.rtl.synth import rtl_synth

    rtl_synth(
        snakemake.input.verilog,
        TOP,
        snakemake.params.part,
        scratch,
        {"report": snakemake.output.report, "yosys_log": snakemake.log.yosys},
    )
