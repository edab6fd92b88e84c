"""Rule plot_fig5: latency and resources vs reuse factor from the HLS synthesis reports, RTL simulations and
Yosys estimates of every target."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.budget import deployed_target
    from socflow.io import read_json
    from socflow.report.figures import fig5_points, latency_vs_reuse

    student = read_json(snakemake.input.metrics)
    targets = {name: deployed_target(t, student) for name, t in snakemake.params.targets.items()}
    names = list(targets)
    reports = {
        key: dict(zip(names, map(read_json, snakemake.input.get(key, [])))) for key in ("synth", "rtl_sim", "yosys")
    }
    latency_vs_reuse(fig5_points(targets, **reports), snakemake.output.plot, snakemake.wildcards.variant)
