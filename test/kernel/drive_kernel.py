"""Drives the EDNAS kernel through jupyter_client (the real Jupyter client) and prints what it saw as JSON.

Usage: python3 drive_kernel.py KERNEL_NAME   (JUPYTER_PATH must point at the kernelspec's share/jupyter)
"""
import json
import sys
import time


from kernel_session import started_kernel

TIMEOUT = 120


def run(kc, code, interrupt_after=None, km=None, output_hook_extra=None, **kw):
    """Executes code; returns the reply content and every IOPub message (type, content) of the request."""
    seen = []
    state = {"interrupted": False}

    def hook(msg):
        seen.append((msg["msg_type"], msg["content"]))
        if output_hook_extra:
            output_hook_extra(msg)
        if interrupt_after and not state["interrupted"] and interrupt_after(msg):
            km.interrupt_kernel()
            state["interrupted"] = True

    reply = kc.execute_interactive(code, timeout=TIMEOUT, output_hook=hook, **kw)
    return {"reply": reply["content"], "iopub": seen}


def interrupted(km, kc, code, ready, wait=0.0):
    """Runs code and interrupts it as a front end does, once its output shows `ready` and `wait` s more; the run
    and the milliseconds from the interrupt request to the error message."""
    times = {}

    def hook(msg):
        if "asked" not in times and msg["msg_type"] == "stream" and ready in msg["content"].get("text", ""):
            time.sleep(wait)
            times["asked"] = time.monotonic()
            km.interrupt_kernel()
        if msg["msg_type"] == "error":
            times["error"] = time.monotonic()

    r = run(kc, code, output_hook_extra=hook)
    r["ms"] = (times["error"] - times["asked"]) * 1000 if "error" in times and "asked" in times else None
    return r


def main():
    name = sys.argv[1]
    out = {}
    t0 = time.time()
    with started_kernel(name, TIMEOUT) as (km, kc):
        out["start_s"] = time.time() - t0
        kc.kernel_info()
        out["kernel_info"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        out["define"] = run(kc, "const x: number = 41;\nconsole.log('defined x');")
        out["value"] = run(kc, "x + 1")
        out["runtime_error"] = run(kc, "throw new RangeError('boom ' + x);")
        out["after_runtime_error"] = run(kc, "x * 2")
        out["type_error"] = run(kc, "const y: string = x;")
        out["after_type_error"] = run(kc, "`x is ${x}`")
        # Two cells sent at once (Run All): the first fails, the second is aborted and shows no count.
        kc.execute("await new Promise((r) => setTimeout(r, 500));\nthrow new Error('first');")
        kc.execute("x + 1000")
        out["aborted"] = [kc.get_shell_msg(timeout=TIMEOUT)["content"] for _ in range(2)]
        out["stderr"] = run(kc, "console.error('to stderr')")
        out["import"] = run(kc, "import * as ednas from 'ednas';\nimport { rewardFigure, DARTS_V2_RNN } from 'ednas';\nawait ednas.initBackend('wasm');\nednas.OP_NAMES.length")
        out["figure"] = run(kc, "rewardFigure([{ epoch: 1, mean_reward: 0.1, baseline: 0.1, entropy: 40 }, { epoch: 2, mean_reward: 0.2, baseline: 0.15, entropy: 39 }])")
        out["rnn_genotype"] = run(kc, "DARTS_V2_RNN")
        code = "ednas.RnnSe"
        kc.complete(code, len(code))
        out["complete"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        code = "ednas.sampleChild"
        kc.inspect(code, len(code) - 2)
        out["inspect"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        kc.is_complete("function f() {")
        out["is_complete_open"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        kc.is_complete("const z = 1;")
        out["is_complete_done"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        kc.history(hist_access_type="tail", n=3)
        out["history"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        # A long training cell, interrupted once its live progress shows, then the same objects used again.
        run(kc, "const ptb = ednas.readPtb(ednas.PTB_SAMPLE);\nconst search = new ednas.RnnSearch({ ...ednas.RNN_SEARCH_PRESETS['ptb-quick'].config, hidden: 8, batchSize: 4, bptt: 5, policyBatchSize: 4, epochs: 1000 }, ptb.train, ptb.vocabulary.size);")
        out["interrupted"] = run(
            kc,
            "for (let e = 0; e < 1000; e++) await search.runEpoch({ onEvent: ednas.liveProgress() });",
            interrupt_after=lambda m: m["msg_type"] in ("display_data", "update_display_data") and m["content"].get("transient", {}).get("display_id", "").startswith("ednas-progress"),
            km=km,
        )
        out["after_interrupt"] = run(kc, "const before = search.steps.length;\nconst r = await search.weightStep();\n[before > 0, search.steps.length === before, Number.isFinite(r.loss), search.epoch]")
        # Interrupts within a second of the request: a cell awaiting forever, and a loop that runs after an await.
        out["awaiting"] = interrupted(km, kc, "console.log('waiting');\nawait new Promise(() => {});", "waiting")
        out["busy_after_await"] = interrupted(
            km, kc, "console.log('spinning');\nawait new Promise((r) => setTimeout(r, 100));\nlet turns = 0;\nwhile (true) turns++;", "spinning", wait=0.5
        )
        out["after_busy"] = run(kc, "turns > 0")
        out["silent"] = run(kc, "x + 100", silent=True)
        run(kc, "(globalThis as any).__probe = 7;")
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=TIMEOUT)
        out["after_restart"] = run(kc, "(globalThis as any).__probe === undefined")
        # jupyter_client sends shutdown_request on the control channel; the reply comes back there.
        kc.shutdown()
        out["shutdown"] = kc.get_control_msg(timeout=TIMEOUT)["content"]
        deadline = time.time() + 20
        while km.is_alive() and time.time() < deadline:
            time.sleep(0.1)
        out["alive_after_shutdown"] = km.is_alive()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
