"""Rule hls_csim: C simulation of the project on the test set, checked against the QKeras model."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.hls.csim import hls_csim

    hls_csim(**job(snakemake))
