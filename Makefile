# torch-practice: `make grade` for students, `make test` for the project's own tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install grade watch solutions test lint build readme bench clean

install: $(STAMP)

# Where torch and torchvision come from when set, e.g. the CPU-only build on a machine without a GPU:
#   make install TORCH_INDEX=https://download.pytorch.org/whl/cpu
# The pins of constraints.txt still hold (2.14.1+cpu is 2.14.1), so the second pip keeps that build.
TORCH_INDEX ?=

# Re-runs only when the dependency files change: `make install` is idempotent.
# pip shows what it downloads (torch with its CUDA libraries is about 5 GB): no --quiet.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing the pinned torch and the course's packages into $(VENV) (pip shows its progress)"
	$(if $(TORCH_INDEX),$(BIN)/python -m pip install --index-url $(TORCH_INDEX) -c constraints.txt torch torchvision)
	$(BIN)/python -m pip install -c constraints.txt -e '.[test]'
	touch $(STAMP)

# exit status 1 is the normal "not done yet": not a make error (2 bad input and 3 a grader error still are)
grade: $(STAMP)
	$(BIN)/practice grade || test $$? -eq 1

watch: $(STAMP)
	$(BIN)/practice watch

solutions: $(STAMP)
	$(BIN)/practice grade --solutions

test: $(STAMP)
	$(BIN)/python -m pytest

# ruff's rules and format live in pyproject.toml; `$(BIN)/ruff format .` fixes the format
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

build: $(STAMP)
	$(BIN)/practice build

# The lesson table of README.md, from grader/lessons.py and the suites' points.
readme: $(STAMP)
	$(BIN)/python -m grader.readme

bench: $(STAMP)
	$(BIN)/python benchmarks/cli_start.py
	$(BIN)/python benchmarks/grade_time.py
	$(BIN)/python benchmarks/load_time.py
	$(BIN)/python benchmarks/grade_vs_course.py
	$(BIN)/python benchmarks/cifar_gpu.py

clean:
	rm -rf $(VENV) .practice
