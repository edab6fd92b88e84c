rule board_protocol:
    input:
        unpack(ip_inputs),
        summary="results/{exp}/data/summary.json",
    output:
        json="results/{exp}/board/{variant}/{target}/protocol.json",
        header="results/{exp}/board/{variant}/{target}/protocol.h",
    log:
        "logs/board_protocol/{exp}/{variant}/{target}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        board=section("board"),
    script:
        "../scripts/board_protocol.py"


rule board_firmware:
    input:
        unpack(ip_inputs),
        protocol="results/{exp}/board/{variant}/{target}/protocol.json",
        model=student_model,
        metrics="results/{exp}/student/{variant}/metrics.json",
        test="results/{exp}/data/test.npz",
    output:
        firmware=directory("results/{exp}/board/{variant}/{target}/firmware"),
    log:
        "logs/board_firmware/{exp}/{variant}/{target}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        samples=setting("board", "firmware_samples"),
        input_precision=INPUT_PRECISION,
    script:
        "../scripts/board_firmware.py"


rule board_eval:
    input:
        unpack(board_inputs),
        unpack(timing_report),
        protocol="results/{exp}/board/{variant}/{target}/protocol.json",
        firmware="results/{exp}/board/{variant}/{target}/firmware",
        model=student_model,
        metrics="results/{exp}/student/{variant}/metrics.json",
        test="results/{exp}/data/test.npz",
        summary="results/{exp}/data/summary.json",
    output:
        result="results/{exp}/board/{variant}/{target}/{backend}.json",
    log:
        "logs/board_eval/{exp}/{variant}/{target}/{backend}.log",
    benchmark:
        "benchmarks/board_eval/{exp}/{variant}/{target}/{backend}.tsv"
    wildcard_constraints:
        backend="emulated|soc_sim|pynq",
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        board=section("board"),
        input_precision=INPUT_PRECISION,
        backend="{backend}",
    script:
        "../scripts/board_eval.py"


rule board_package:
    input:
        unpack(ip_inputs),
        unpack(package_hardware),
        unpack(timing_report),
        protocol="results/{exp}/board/{variant}/{target}/protocol.json",
        header="results/{exp}/board/{variant}/{target}/protocol.h",
        summary="results/{exp}/data/summary.json",
        firmware="results/{exp}/board/{variant}/{target}/firmware",
        model=student_model,
        metrics="results/{exp}/student/{variant}/metrics.json",
        test="results/{exp}/data/test.npz",
    output:
        package="results/{exp}/deploy/{variant}/{target}.zip",
    log:
        "logs/board_package/{exp}/{variant}/{target}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        input_precision=INPUT_PRECISION,
    script:
        "../scripts/board_package.py"


rule rtl_pnr:
    input:
        verilog="results/{exp}/rtl/{variant}/{target}/verilog",
        rtl="results/{exp}/rtl/{variant}/{target}/rtl.json",
    output:
        pnr="results/{exp}/rtl/{variant}/{target}/pnr.json",
    log:
        "logs/rtl_pnr/{exp}/{variant}/{target}.log",
        yosys="logs/rtl_pnr/{exp}/{variant}/{target}.yosys.log",
        nextpnr="logs/rtl_pnr/{exp}/{variant}/{target}.nextpnr.log",
    benchmark:
        "benchmarks/rtl_pnr/{exp}/{variant}/{target}.tsv"
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        target=target_cfg,
        timing=setting("rtl", "timing"),
        timing_slack=setting("rtl", "timing_slack"),
        seeds=setting("rtl", "pnr_seeds"),
        send_scores=setting("board", "send_scores"),
    script:
        "../scripts/rtl_pnr.py"
