rule tune_teacher_worker:
    input:
        train="results/{exp}/data/train.npz",
        val="results/{exp}/data/val.npz",
        summary="results/{exp}/data/summary.json",
    output:
        trials="results/{exp}/teacher/workers/{worker}.json",
    log:
        "logs/tune_teacher_worker/{exp}/{worker}.log",
    benchmark:
        "benchmarks/tune_teacher_worker/{exp}/{worker}.tsv"
    wildcard_constraints:
        exp=pretrained_exps(False),
    conda:
        ENV
    # one thread each, so that the workers run at once on a 2-core machine (on a cluster: set-threads)
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
    params:
        teacher=section("teacher"),
        state="results/{exp}/teacher/tuning",
        worker=lambda wildcards: int(wildcards.worker),
    script:
        "../scripts/tune_teacher_worker.py"


rule tune_teacher:
    input:
        train="results/{exp}/data/train.npz",
        val="results/{exp}/data/val.npz",
        summary="results/{exp}/data/summary.json",
        workers=search_workers("teacher", "results/{exp}/teacher/workers/{worker}.json"),
    output:
        hparams="results/{exp}/teacher/hparams.json",
        trials=report(
            "results/{exp}/teacher/trials.csv",
            caption="../report/teacher_trials.rst",
            category="1 Teacher",
            labels={"experiment": "{exp}", "figure": "search trials"},
        ),
    log:
        "logs/tune_teacher/{exp}.log",
    benchmark:
        "benchmarks/tune_teacher/{exp}.tsv"
    wildcard_constraints:
        exp=pretrained_exps(False),
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=4000,
        runtime=240,
    params:
        teacher=section("teacher"),
        # keras-tuner's own state: not an output, so Snakemake does not delete it and a search resumes
        state="results/{exp}/teacher/tuning",
    script:
        "../scripts/tune_teacher.py"


rule train_teacher:
    input:
        hparams="results/{exp}/teacher/hparams.json",
        train="results/{exp}/data/train.npz",
        val="results/{exp}/data/val.npz",
        test="results/{exp}/data/test.npz",
        summary="results/{exp}/data/summary.json",
    output:
        model="results/{exp}/teacher/model.h5",
        metrics="results/{exp}/teacher/metrics.json",
        curves=report(
            "results/{exp}/teacher/curves.png",
            caption="../report/teacher_curves.rst",
            category="1 Teacher",
            labels={"experiment": "{exp}", "figure": "training curves"},
        ),
    log:
        "logs/train_teacher/{exp}.log",
    benchmark:
        "benchmarks/train_teacher/{exp}.tsv"
    wildcard_constraints:
        exp=pretrained_exps(False),
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=4000,
        runtime=120,
    params:
        teacher=section("teacher"),
    script:
        "../scripts/train_teacher.py"


rule import_teacher:
    input:
        pretrained=setting("teacher", "pretrained"),
        train="results/{exp}/data/train.npz",
        val="results/{exp}/data/val.npz",
        test="results/{exp}/data/test.npz",
        summary="results/{exp}/data/summary.json",
    output:
        model="results/{exp}/teacher/pretrained/model.h5",
        metrics="results/{exp}/teacher/pretrained/metrics.json",
        curves=report(
            "results/{exp}/teacher/pretrained/curves.png",
            caption="../report/teacher_curves.rst",
            category="1 Teacher",
            labels={"experiment": "{exp}", "figure": "training curves"},
        ),
    log:
        "logs/import_teacher/{exp}.log",
    wildcard_constraints:
        exp=pretrained_exps(True),
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        teacher=section("teacher"),
    script:
        "../scripts/import_teacher.py"


rule teacher_logits:
    input:
        teacher=teacher_file("model.h5"),
        train="results/{exp}/data/train.npz",
        val="results/{exp}/data/val.npz",
        test="results/{exp}/data/test.npz",
    output:
        logits="results/{exp}/teacher/logits.npz",
    log:
        "logs/teacher_logits/{exp}.log",
    benchmark:
        "benchmarks/teacher_logits/{exp}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/teacher_logits.py"
