"""Rule report: the paper's Table I from the metrics, C-simulation and synthesis reports."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.io import read_json
    from socflow.report import table1_row, write_table1

    rows = [
        table1_row(
            e["exp"], e["variant"], e["target"], e["part"], read_json(e["teacher"]), read_json(e["student"]),
            read_json(e["csim"]), read_json(e["synth"]) if e["synth"] else None, e["missing"],
        )
        for e in snakemake.params.entries
    ]
    write_table1(rows, snakemake.output.table, snakemake.output.markdown)
