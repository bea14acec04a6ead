# Sourced by the benchmark scripts: makes .venv-fixtures (the pinned Python packages of
# scripts/fixtures/requirements.txt) when it is missing or they changed, for writing the random networks.
. scripts/fixtures/fixture-venv.sh
fixture_venv scripts/fixtures/requirements.txt .venv-fixtures
