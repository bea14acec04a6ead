# Sourced by the benchmark scripts: makes .venv-fixtures (the pinned Python packages of
# scripts/fixtures/requirements.txt) when it is missing, for writing the random networks.
if [ ! -x .venv-fixtures/bin/python ]; then
  python3 -m venv .venv-fixtures
  .venv-fixtures/bin/pip install -q -r scripts/fixtures/requirements.txt
fi
