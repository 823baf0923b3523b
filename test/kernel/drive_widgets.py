"""Drives the EDNAS kernel's comms and widgets through jupyter_client, acting as a widget front end would
(update, request_state and custom comm messages, comm_open to targets, comm_close, comm_info), plus tslab's
own display API, and prints what it saw as JSON.

Usage: python3 drive_widgets.py KERNEL_NAME LOG_FILE   (JUPYTER_PATH must point at the kernelspec)
"""
import json
import sys
import time
import uuid
from queue import Empty

from kernel_session import started_kernel

TIMEOUT = 180


def run(kc, code):
    """Executes code; the reply and every IOPub message of the request as (type, content, metadata)."""
    seen = []
    reply = kc.execute_interactive(code, timeout=TIMEOUT, output_hook=lambda m: seen.append((m["msg_type"], m["content"], m["metadata"])))
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"cell failed: {code}\n{reply['content']}")
    return {"reply": reply["content"], "iopub": seen}


def value(kc, code):
    """The text of a cell's result."""
    r = run(kc, code)
    results = [c for t, c, _ in r["iopub"] if t == "execute_result"]
    return results[0]["data"]["text/plain"] if results else None


def send_shell(kc, msg_type, content):
    """Sends a message on shell as a front end does; returns the IOPub messages parented to it, up to its idle,
    and whatever came back on shell in the next half second (comm messages get no reply)."""
    msg = kc.session.msg(msg_type, content)
    kc.shell_channel.send(msg)
    seen = []
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        m = kc.get_iopub_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
        seen.append((m["msg_type"], m["content"], m["metadata"]))
    replies = []
    try:
        while True:
            replies.append(kc.get_shell_msg(timeout=0.5)["msg_type"])
    except Empty:
        pass
    return {"iopub": seen, "shell_replies": replies}


def comm_msg(kc, comm_id, data):
    return send_shell(kc, "comm_msg", {"comm_id": comm_id, "data": data})


def update(kc, comm_id, state):
    return comm_msg(kc, comm_id, {"method": "update", "state": state, "buffer_paths": []})


def spin_id(kc):
    """The model id of the widget `spin` of the kernel."""
    return value(kc, "spin.modelId").strip("'")


def click(kc, comm_id):
    return comm_msg(kc, comm_id, {"method": "custom", "content": {"event": "click"}})


def comm_info(kc, target=None):
    kc.comm_info(target_name=target)
    return kc.get_shell_msg(timeout=TIMEOUT)["content"]


def opened(r):
    """The comm_open messages of a request, as {model name or target: content}."""
    return [c for t, c, _ in r["iopub"] if t == "comm_open"]


def model_id(r):
    return [c for t, c, _ in r["iopub"] if t == "execute_result"][0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]


def wait_for(kc, code, expected, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if value(kc, code) == expected:
            return True
        time.sleep(0.3)
    return False


def main():
    name, log = sys.argv[1], sys.argv[2]
    out = {}
    with started_kernel(name, TIMEOUT, log) as (km, kc):
        # tslab's public API, unchanged.
        out["tslab"] = run(kc, "import * as tslab from 'tslab';\ntslab.display.html('<b>x</b>');\nconst d = tslab.newDisplay();\nd.text('first');\nd.text('second');\n"
                               "tslab.display.png(new Uint8Array([137, 80, 78, 71]));\ntslab.display.markdown('*m*');\ntslab.display.raw('application/json', '{\"a\":1}');\ntslab.versions.tslab")
        out["clear"] = run(kc, "import { clearOutput } from 'ednas';\nconsole.log('gone');\nclearOutput({ wait: true });\nconsole.log('kept');")

        # A slider: its comm_open (layout and style first), its view, then a front-end update read back in code.
        out["slider"] = run(kc, "import { IntSlider, FloatSlider, Dropdown, Checkbox, Button, Text, HTML, Output, VBox, HBox, registerCommTarget, searchControl, policyExplorer } from 'ednas';\n"
                                "const s = new IntSlider({ value: 42, min: 0, max: 100, description: 'n' });\nconst seen: number[] = [];\ns.observe((c) => { seen.push(c.new as number); });\ns")
        slider = model_id(out["slider"])
        out["update"] = update(kc, slider, {"value": 7})
        out["after_update"] = value(kc, "JSON.stringify([s.value, seen])")
        out["clamped"] = update(kc, slider, {"value": 1000})
        out["after_clamp"] = value(kc, "s.value")
        out["kernel_set"] = run(kc, "s.value = 3;")
        out["request_state"] = comm_msg(kc, slider, {"method": "request_state"})

        out["button"] = run(kc, "const b = new Button({ description: 'Go' });\nlet clicks = 0;\nb.onClick(() => { clicks++; });\nb")
        out["click"] = click(kc, model_id(out["button"]))
        out["clicks"] = value(kc, "clicks")
        # A callback that never returns: a click, then Jupyter's interrupt (SIGINT) ends it; the kernel answers.
        run(kc, "const spin = new Button({ description: 'Spin' });\nspin.onClick(() => { while (true) {} });\nspin.onClick(() => { clicks += 10; });")
        spin = kc.session.msg("comm_msg", {"comm_id": spin_id(kc), "data": {"method": "custom", "content": {"event": "click"}}})
        kc.shell_channel.send(spin)
        time.sleep(1.5)
        km.interrupt_kernel()
        spun = []
        deadline = time.time() + 30
        while time.time() < deadline:
            m = kc.get_iopub_msg(timeout=30)
            if m["parent_header"].get("msg_id") != spin["header"]["msg_id"]:
                continue
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
            spun.append((m["msg_type"], m["content"]))
        out["spin"] = spun
        out["after_spin"] = value(kc, "clicks")
        out["dropdown"] = run(kc, "const dd = new Dropdown({ options: [['Adam', 'adam'], ['SGD', 'sgd']], value: 'adam', description: 'optimiser' });\n"
                                  "let picked = '';\ndd.observe((c) => { picked = String(c.new); });\ndd")
        update(kc, model_id(out["dropdown"]), {"index": 1})
        out["after_dropdown"] = value(kc, "JSON.stringify([dd.value, dd.label, picked])")
        out["text"] = run(kc, "const t = new Text({ value: 'a', description: 'name' });\nlet submitted = '';\nt.onSubmit((w) => { submitted = w.value; });\nt")
        text = model_id(out["text"])
        update(kc, text, {"value": "typed"})
        comm_msg(kc, text, {"method": "custom", "content": {"event": "submit"}})
        out["after_text"] = value(kc, "submitted")
        out["checkbox"] = run(kc, "const cb = new Checkbox({ value: false, description: 'on' });\ncb")
        out["bad_checkbox"] = update(kc, model_id(out["checkbox"]), {"value": "yes"})
        out["after_checkbox"] = value(kc, "cb.value")
        out["output"] = run(kc, "const o = new Output();\no.appendText('captured\\n');\nconst box = new VBox([new HBox([new FloatSlider({ value: 0.5, max: 1, step: 0.01 }), cb]), new HTML({ value: '<b>bold</b>' }), o]);\nbox")

        # comm_info: every open comm, or those of one target.
        out["comm_info_all"] = comm_info(kc)
        out["comm_info_widgets"] = comm_info(kc, "jupyter.widget")
        out["comm_info_none"] = comm_info(kc, "no.such.target")
        # The front end closes the slider's comm: it is gone from comm_info.
        send_shell(kc, "comm_close", {"comm_id": slider, "data": {}})
        out["comm_info_after_close"] = comm_info(kc, "jupyter.widget")

        # Comms the front end opens: to an unknown target (closed at once), to a target a cell registered.
        unknown = uuid.uuid4().hex
        out["open_unknown"] = send_shell(kc, "comm_open", {"comm_id": unknown, "target_name": "jupyter.widget.control", "data": {}})
        out["open_unknown_id"] = unknown
        run(kc, "registerCommTarget('ednas.echo', (comm, data) => {\n  comm.onMessage((d) => comm.send({ echo: d }));\n  comm.send({ opened: data });\n});")
        echo = uuid.uuid4().hex
        out["open_echo"] = send_shell(kc, "comm_open", {"comm_id": echo, "target_name": "ednas.echo", "data": {"hello": 1}})
        out["echo"] = comm_msg(kc, echo, {"ping": 2})
        out["comm_info_echo"] = comm_info(kc, "ednas.echo")
        send_shell(kc, "comm_close", {"comm_id": echo, "data": {}})
        out["comm_info_echo_closed"] = comm_info(kc, "ednas.echo")

        # The search control over a running search: start, pause at the next step, resume, stop.
        run(kc, "import { initBackend, readCifar10, resolveCifar10, Search, SEARCH_PRESETS } from 'ednas';\nawait initBackend('wasm');\n"
                "const search = new Search({ ...SEARCH_PRESETS.quick.config, epochs: 500, limit: 200, weightSteps: 4, policySteps: 2, batchSize: 16, policyBatchSize: 16 }, readCifar10(resolveCifar10().dir).train);")
        out["control"] = run(kc, "const control = searchControl(search);\ncontrol")
        buttons = [c["comm_id"] for c in opened(out["control"]) if c["data"]["state"]["_model_name"] == "ButtonModel"]
        start, pause, resume, stop = buttons
        out["start"] = click(kc, start)
        out["started"] = wait_for(kc, "search.steps.length > 0", "true")
        out["pause"] = click(kc, pause)
        out["paused"] = wait_for(kc, "control.state", "'paused'")
        held = value(kc, "search.steps.length")
        time.sleep(2)
        out["held_steps"] = [held, value(kc, "search.steps.length")]
        click(kc, resume)
        out["resumed"] = wait_for(kc, f"search.steps.length > {held}", "true")
        out["stop"] = click(kc, stop)
        out["stopped"] = wait_for(kc, "control.state", "'stopped'")
        out["after_stop"] = value(kc, "JSON.stringify([search.epoch < 500, search.sampleChild().genotype.normal.length === 8])")

        # The policy explorer over that search: moving its slider and dropdown redraws its view. One more
        # epoch first, so the history has two (the stop may come before the first epoch ends).
        run(kc, "await search.runEpoch();")
        out["explorer"] = run(kc, "const explorer = policyExplorer(search);\nexplorer")
        models = {c["data"]["state"]["_model_name"]: c["comm_id"] for c in opened(out["explorer"])}
        out["explorer_epoch"] = update(kc, models["IntSliderModel"], {"value": 0})
        out["explorer_cell"] = update(kc, models["DropdownModel"], {"index": 1})
        out["explorer_state"] = value(kc, "JSON.stringify([explorer.epoch.value, explorer.cell.value])")

        kc.shutdown()
        kc.get_control_msg(timeout=TIMEOUT)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
