rule report:
    input:
        report_files,
    output:
        table=report(
            "results/report/table1.csv",
            caption="../report/table1.rst",
            category="4 Table I",
        ),
        markdown="results/report/table1.md",
    log:
        "logs/report/report.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        entries=report_entries(),
    script:
        "../scripts/report.py"
