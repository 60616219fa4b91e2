# aviary: `make submit` scores a folder of soundscapes; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
INPUT ?= test_soundscapes
OUTPUT ?= submission
BACKEND ?= auto
export ONNXRUNTIME_NODE_INSTALL_CUDA := skip

.PHONY: setup node-setup train-setup build submit audit models test test-node test-python train export-models fixtures bundle bench clean

setup: node-setup train-setup

node-setup: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The Python side, and the OpenVINO runtime library that the TypeScript backend loads.
train-setup: $(VENV)/.installed
$(VENV)/.installed: train/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q -r train/requirements.txt
	touch $@

build: node-setup
	npm run build

submit: setup build
	node dist/src/cli.js submit --input "$(INPUT)" --output "$(OUTPUT)" --backend "$(BACKEND)"

audit: setup build
	node dist/src/cli.js audit --input "$(INPUT)" --backend "$(BACKEND)"

test: setup
	$(MAKE) test-python
	$(MAKE) test-node

test-node: node-setup
	npm test

test-python: train-setup
	$(VPY) -m pytest -q train/tests

models: setup build
	node dist/src/cli.js models --check

# Speed as ratios measured in one run (docs/performance.md).
bench: setup build
	node dist/src/cli.js bench --backend "$(BACKEND)" --json bench.json

# One archive for a machine with no network: built JS, production node_modules, models/ and the
# OpenVINO libraries; see docs/offline.md.
bundle: setup build
	scripts/bundle.sh --no-build

# The model side: teacher, ablation, four students and docs/results.md (resumes finished runs),
# then the fold + export + checks into models/ and the PyTorch reference the shipped-model test
# compares against (test/fixtures/shipped-models/).
train: train-setup
	$(VPY) train/scripts/recipe.py

export-models: train-setup
	$(VPY) train/scripts/export_models.py
	$(VPY) train/scripts/make_shipped_reference.py

# Regenerates the committed test fixtures (front-end parity cases, tiny test models).
fixtures: train-setup
	$(VPY) train/scripts/make_fixtures.py
	$(VPY) train/scripts/make_tiny_model.py

clean:
	rm -rf dist
