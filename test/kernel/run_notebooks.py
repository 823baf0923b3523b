"""Executes notebooks with nbclient (the real Jupyter client) on a given kernel and saves the results.

Usage: python3 run_notebooks.py KERNEL_NAME OUT_DIR NOTEBOOK...
Prints {"notebook": seconds, ...} as JSON; a failing cell fails the run (exit status 1).
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient


def main():
    kernel, out_dir, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    times = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name=kernel, timeout=600, resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        t0 = time.time()
        try:
            client.execute()
        finally:
            times[os.path.basename(path)] = round(time.time() - t0, 1)
            nbformat.write(nb, os.path.join(out_dir, os.path.basename(path)))
    print(json.dumps(times))


if __name__ == "__main__":
    main()
