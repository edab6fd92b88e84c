"""Rule plot_fig5: latency and resources vs reuse factor from the HLS synthesis reports, RTL simulations and
Yosys estimates of every target."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.report.plots import plot_fig5

    plot_fig5(**job(snakemake))
