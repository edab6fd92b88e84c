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
        entries=PLAN.report_entries(),
    script:
        "../scripts/report.py"


rule plot_fig5:
    input:
        unpack(figure_inputs),
    output:
        plot=report(
            "results/{exp}/figures/{variant}/fig5_latency.png",
            caption="../report/fig5.rst",
            category="5 Figures",
            labels={"experiment": "{exp}", "variant": "{variant}", "figure": "Fig. 5"},
        ),
    log:
        "logs/plot_fig5/{exp}/{variant}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        targets=lambda wildcards: targets(EXPERIMENTS[wildcards.exp]),
        title="{variant}",
    script:
        "../scripts/plot_fig5.py"


rule plot_confusion:
    input:
        unpack(figure_inputs),
        student="results/{exp}/student/{variant}/metrics.json",
        summary="results/{exp}/data/summary.json",
    output:
        plot=report(
            "results/{exp}/figures/{variant}/confusion.png",
            caption="../report/confusion.rst",
            category="5 Figures",
            labels={
                "experiment": "{exp}",
                "variant": "{variant}",
                "figure": "confusion matrices",
            },
        ),
    log:
        "logs/plot_confusion/{exp}/{variant}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        targets=lambda wildcards: targets(EXPERIMENTS[wildcards.exp]),
        title="{exp} {variant}",
    script:
        "../scripts/plot_confusion.py"
