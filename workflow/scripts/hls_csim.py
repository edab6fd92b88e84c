"""Rule hls_csim: C simulation of the project on the test set, checked against the QKeras model."""

import tempfile

from socflow.smk import log_to

with log_to(snakemake.log[0]), tempfile.TemporaryDirectory() as scratch:
    from socflow.hls.csim import hls_csim

    hls_csim(
        snakemake.input.model,
        snakemake.input.config,
        snakemake.input.project,
        snakemake.input.test,
        snakemake.input.summary,
        snakemake.params.min_agreement,
        scratch,
        snakemake.output.csim,
    )
