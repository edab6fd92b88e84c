"""Rule prepare_data: check the dataset, split it stratified, fit the scaling on the training part."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.data import prepare_data

    prepare_data(**job(snakemake))
