"""Rule budget_check: the chosen student's synthesized design against its target's budget."""

from socflow.smk import deployed, deployed_input, log_to

with log_to(snakemake.log[0]):
    from socflow.rtl.budget import budget_check

    budget_check(
        model_path=snakemake.input.model,
        yosys_path=snakemake.input.yosys,
        sim_path=snakemake.input.sim,
        target=deployed(snakemake),
        input_precision=deployed_input(snakemake),
        rtl=snakemake.params.rtl,
        output=snakemake.output.check,
    )
