"""Drives the EDNAS kernel through jupyter_client on what a clumsy or hostile client sends, and prints what
it saw as JSON: a message with a bad signature, a burst of 20,000 lines (with jupyter_client and with
nbclient), input() with and without allow_stdin, another HMAC scheme, user_expressions and history.

Usage: python3 drive_hardening.py KERNEL_NAME LOG_FILE   (JUPYTER_PATH must point at the kernelspec)
"""
import json
import sys

import nbformat
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session
from nbclient import NotebookClient

from kernel_session import started_kernel

TIMEOUT = 180
BURST = "for (let i = 0; i < 20000; i++) console.log('line ' + i);"


def run(kc, code, **kw):
    seen = []
    reply = kc.execute_interactive(code, timeout=TIMEOUT, output_hook=lambda m: seen.append((m["msg_type"], m["content"])), **kw)
    return {"reply": reply["content"], "iopub": seen}


def stream_text(r, name="stdout"):
    return "".join(c["text"] for t, c in r["iopub"] if t == "stream" and c["name"] == name)


def main():
    name, log = sys.argv[1], sys.argv[2]
    out = {}
    with started_kernel(name, TIMEOUT, log) as (km, kc):
        # A request signed with another key: ignored, logged, never shown in a cell.
        bad = Session(key=b"not-the-key", signature_scheme="hmac-sha256", username="intruder")
        bad.send(kc.shell_channel.socket, "execute_request", {"code": "console.log('intruder')", "silent": False})
        out["after_bad_signature"] = run(kc, "console.log('after'); 1 + 1")

        burst = run(kc, BURST)
        out["burst_lines"] = stream_text(burst).count("\n")
        out["burst_messages"] = len([1 for t, _ in burst["iopub"] if t == "stream"])

        asked = []

        def answer(msg):
            asked.append(msg["content"])
            kc.input("world")

        out["input"] = run(kc, "import { input } from 'ednas';\nconst who = await input('name? ');\nconst secret = await input('secret? ', { password: true });\n`hello ${who} ${secret.length}`", allow_stdin=True, stdin_hook=answer)
        out["input_requests"] = asked
        out["input_refused"] = run(kc, "await input('name? ')", allow_stdin=False)

        out["user_expressions"] = run(kc, "const q = 5;", user_expressions={"double": "q * 2", "broken": "q("})["reply"]
        kc.history(hist_access_type="tail", n=3, output=True, raw=True)
        out["history_output"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        run(kc, "q + 1")
        run(kc, "q + 1")
        kc.history(hist_access_type="search", pattern="q + *", unique=True, n=10)
        out["history_unique"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        kc.history(hist_access_type="range", session=0, start=1, stop=3)
        out["history_range"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        kc.comm_info()
        out["comm_info"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]

    # Another HMAC scheme from the connection file.
    km = KernelManager(kernel_name=name)
    km.session.signature_scheme = "hmac-sha512"
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        out["sha512"] = run(kc, "6 * 7")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    # The burst through nbclient, as nbconvert runs a notebook.
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(BURST))
    NotebookClient(nb, kernel_name=name, timeout=TIMEOUT).execute()
    out["nbclient_burst_lines"] = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.output_type == "stream").count("\n")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
