"""Rule report: the paper's Table I from the metrics, simulation and synthesis reports."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.io import read_json
    from socflow.report.table1 import table1_rows, write_table1

    def _read(path):
        return read_json(path) if path else None

    rows = [
        row
        for e in snakemake.params.entries
        for row in table1_rows(
            e,
            read_json(e["teacher"]),
            read_json(e["student"]),
            read_json(e["csim"]),
            _read(e["synth"]),
            _read(e["rtl_sim"]),
            _read(e["yosys"]),
            e["missing"],
            _read(e["vivado"]),
            budget=_read(e["budget"]),
        )
    ]
    write_table1(rows, snakemake.output.table, snakemake.output.markdown)
