rule prepare_data:
    input:
        source=dataset_source,
    output:
        train="results/{exp}/data/train.npz",
        val="results/{exp}/data/val.npz",
        test="results/{exp}/data/test.npz",
        scaler="results/{exp}/data/scaler.json",
        summary="results/{exp}/data/summary.json",
    log:
        "logs/prepare_data/{exp}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        dataset=section("dataset"),
        split=section("split"),
        normalize=section("normalize"),
    script:
        "../scripts/prepare_data.py"
