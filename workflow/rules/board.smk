rule board_eval:
    input:
        unpack(board_inputs),
        test="results/{exp}/data/test.npz",
        scaler="results/{exp}/data/scaler.json",
    output:
        result="results/{exp}/board/{variant}/{target}/{backend}.json",
    log:
        "logs/board_eval/{exp}/{variant}/{target}/{backend}.log",
    wildcard_constraints:
        backend="emulated|pynq",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        board=section("board"),
        target=target_cfg,
    script:
        "../scripts/not_implemented.py"
