"""The HGQ2 students (student.quantizer: hgq): per-weight widths learned with a resource term (EBOPs) in the loss.

HGQ2 runs on Keras 3 and lives in its own folder of packages (.venv-hgq, `make install`), so its code runs in a
child process with that folder first on its path (:mod:`socflow.hgq.env`); the workflow's own process, the DAG
and every QKeras stage keep Keras 2 (tf_keras) and QKeras 0.9.0.
"""
