rule tune_student_worker:
    input:
        train="results/{exp}/data/train.npz",
        val="results/{exp}/data/val.npz",
        summary="results/{exp}/data/summary.json",
        teacher=teacher_file("model.h5"),
    output:
        trials="results/{exp}/student/{variant}/workers/{worker}.json",
    log:
        "logs/tune_student_worker/{exp}/{variant}/{worker}.log",
    benchmark:
        "benchmarks/tune_student_worker/{exp}/{variant}/{worker}.tsv"
    conda:
        ENV
    # one thread each, so that the workers run at once on a 2-core machine (on a cluster: set-threads)
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
    params:
        student=section("student", drop=("variants", "select")),
        variant=variant_cfg,
        budget=budget_cfg,
        input_precision=INPUT_PRECISION,
        state="results/{exp}/student/{variant}/tuning",
        worker=lambda wildcards: int(wildcards.worker),
    script:
        "../scripts/tune_student_worker.py"


rule tune_student:
    input:
        train="results/{exp}/data/train.npz",
        val="results/{exp}/data/val.npz",
        summary="results/{exp}/data/summary.json",
        teacher=teacher_file("model.h5"),
        workers=search_workers(
            "student", "results/{exp}/student/{variant}/workers/{worker}.json"
        ),
    output:
        hparams="results/{exp}/student/{variant}/hparams.json",
        trials=report(
            "results/{exp}/student/{variant}/trials.csv",
            caption="../report/student_trials.rst",
            category="2 Student",
            labels={
                "experiment": "{exp}",
                "variant": "{variant}",
                "figure": "search trials",
            },
        ),
    log:
        "logs/tune_student/{exp}/{variant}.log",
    benchmark:
        "benchmarks/tune_student/{exp}/{variant}.tsv"
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=4000,
        runtime=240,
    params:
        student=section("student", drop=("variants", "select")),
        variant=variant_cfg,
        budget=budget_cfg,
        input_precision=INPUT_PRECISION,
        state="results/{exp}/student/{variant}/tuning",
    script:
        "../scripts/tune_student.py"


rule fit_student:
    input:
        unpack(selected_student),
        hparams="results/{exp}/student/{variant}/hparams.json",
        trials="results/{exp}/student/{variant}/trials.csv",
        val="results/{exp}/data/val.npz",
    output:
        chosen="results/{exp}/student/{variant}/chosen.json",
    log:
        "logs/fit_student/{exp}/{variant}.log",
    benchmark:
        "benchmarks/fit_student/{exp}/{variant}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
    params:
        budget=budget_cfg,
        cache=synth_cache,
    script:
        "../scripts/fit_student.py"


rule train_student:
    input:
        unpack(deployed_student),
        hparams="results/{exp}/student/{variant}/hparams.json",
        val="results/{exp}/data/val.npz",
        test="results/{exp}/data/test.npz",
        summary="results/{exp}/data/summary.json",
        teacher=teacher_file("model.h5"),
        teacher_metrics=teacher_file("metrics.json"),
    output:
        model="results/{exp}/student/{variant}/model.h5",
        metrics="results/{exp}/student/{variant}/metrics.json",
        curves=report(
            "results/{exp}/student/{variant}/curves.png",
            caption="../report/student_curves.rst",
            category="2 Student",
            labels={
                "experiment": "{exp}",
                "variant": "{variant}",
                "figure": "training curves",
            },
        ),
    log:
        "logs/train_student/{exp}/{variant}.log",
    benchmark:
        "benchmarks/train_student/{exp}/{variant}.tsv"
    wildcard_constraints:
        exp=quantizer_exps("qkeras"),
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=4000,
        runtime=120,
    params:
        student=section("student", drop=("variants", "select")),
        variant=variant_cfg,
        budget=budget_cfg,
        input_precision=INPUT_PRECISION,
    script:
        "../scripts/train_student.py"


rule train_hgq_student:
    input:
        train="results/{exp}/data/train.npz",
        val="results/{exp}/data/val.npz",
        test="results/{exp}/data/test.npz",
        summary="results/{exp}/data/summary.json",
        logits="results/{exp}/teacher/logits.npz",
        teacher_metrics=teacher_file("metrics.json"),
    output:
        model="results/{exp}/student/{variant}/model.keras",
        metrics="results/{exp}/student/{variant}/metrics.json",
    log:
        "logs/train_hgq_student/{exp}/{variant}.log",
    benchmark:
        "benchmarks/train_hgq_student/{exp}/{variant}.tsv"
    wildcard_constraints:
        exp=quantizer_exps("hgq"),
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        student=section("student", drop=("variants", "select")),
        variant=variant_cfg,
        input_precision=INPUT_PRECISION,
    script:
        "../scripts/train_hgq_student.py"


rule plot_pareto:
    input:
        metrics=lambda wildcards: expand(
            "results/{{exp}}/student/{variant}/metrics.json",
            variant=variants(EXPERIMENTS[wildcards.exp]),
        ),
    output:
        plot=report(
            "results/{exp}/student/pareto.png",
            caption="../report/pareto.rst",
            category="2 Student",
            labels={"experiment": "{exp}", "variant": "all", "figure": "Pareto front"},
        ),
    log:
        "logs/plot_pareto/{exp}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        variants=lambda wildcards: list(variants(EXPERIMENTS[wildcards.exp])),
    script:
        "../scripts/plot_pareto.py"


rule select_student:
    input:
        hparams="results/{exp}/student/{variant}/hparams.json",
        trials="results/{exp}/student/{variant}/trials.csv",
    output:
        front="results/{exp}/student/{variant}/front.csv",
        selected="results/{exp}/student/{variant}/selected.json",
        plot=report(
            "results/{exp}/student/{variant}/front.png",
            caption="../report/front.rst",
            category="2 Student",
            labels={"experiment": "{exp}", "variant": "{variant}", "figure": "front"},
        ),
    log:
        "logs/select_student/{exp}/{variant}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        select=setting("student", "select"),
        targets=lambda wildcards: budget_cfg(wildcards)["targets"],
    script:
        "../scripts/select_student.py"


rule plot_budget:
    input:
        unpack(fitted_design),
        trials="results/{exp}/student/{variant}/trials.csv",
        hparams="results/{exp}/student/{variant}/hparams.json",
    output:
        plot=report(
            "results/{exp}/student/{variant}/budget.png",
            caption="../report/budget.rst",
            category="2 Student",
            labels={"experiment": "{exp}", "variant": "{variant}", "figure": "budget"},
        ),
    log:
        "logs/plot_budget/{exp}/{variant}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        target=lambda wildcards: budget_cfg(wildcards)["targets"][0],
    script:
        "../scripts/plot_budget.py"
