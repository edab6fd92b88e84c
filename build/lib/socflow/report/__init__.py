"""The results (rules of report.smk): the paper's Table I and the figures."""
