rule report:
    input:
        summaries=expand("results/{exp}/data/summary.json", exp=EXPERIMENTS),
    output:
        table="results/report/table1.csv",
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
        plan={exp: stage_plan(exp) for exp in EXPERIMENTS},
    script:
        "../scripts/not_implemented.py"
