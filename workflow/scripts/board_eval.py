"""Rule board_eval: Algorithm 1 over the test set on the (emulated or simulated) board, answer by answer against
the model."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    if snakemake.params.backend == "soc_sim":
        from socflow.soc.sim import board_eval_soc_sim as board_eval
    else:
        from socflow.board.evaluate import board_eval

    board_eval(**job(snakemake))
