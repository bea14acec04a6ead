"""Solves an MPS or LP file with SCIP and writes SCIP's own solution file.

The tests use it to check that `nnmip solution read` reads what SCIP writes. SCIP comes from PyPI's
pyscipopt wheel, which scripts/setup.sh unpacks into .tools/scip (put that folder on PYTHONPATH).

    python3 scripts/solvers/scip_solve.py MODEL.mps SOLUTION.sol [TIME_LIMIT_SECONDS]
"""
import sys

from pyscipopt import Model


def main() -> None:
    model_path, solution_path = sys.argv[1], sys.argv[2]
    model = Model()
    model.hideOutput()
    model.readProblem(model_path)
    if len(sys.argv) > 3:
        model.setParam("limits/time", float(sys.argv[3]))
    model.optimize()
    model.writeBestSol(solution_path)


if __name__ == "__main__":
    main()
