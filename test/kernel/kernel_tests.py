"""jupyter_kernel_test's protocol checks against the EDNAS kernel: every reply and IOPub message validated
against the message spec's schemas, stdout and stderr, results and rich display data, errors, completion,
is_complete, inspection, history (tail, range, search), clear_output, and comms (comm_info, a widget's
comm_open and comm_msg messages, schemas added here for them).

Usage: EDNAS_KERNEL=NAME python3 -m unittest kernel_tests   (from this folder; JUPYTER_PATH finds the kernelspec)
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor"))

import jupyter_kernel_test  # noqa: E402
from jupyter_kernel_test import msgspec_v5  # noqa: E402
from jupyter_kernel_test.msgspec_v5 import validate_message  # noqa: E402

# The spec's comm messages, which msgspec_v5 leaves out (IOPub: the kernel opens, sends and closes).
msgspec_v5.schema_fragments["comm_open"] = {
    "properties": {"comm_id": {"type": "string"}, "target_name": {"type": "string"}, "data": {"type": "object"}, "target_module": {}},
    "required": ["comm_id", "target_name", "data"],
}
msgspec_v5.schema_fragments["comm_msg"] = {"properties": {"comm_id": {"type": "string"}, "data": {"type": "object"}}}
msgspec_v5.schema_fragments["comm_close"] = {"properties": {"comm_id": {"type": "string"}, "data": {"type": "object"}}}

TIMEOUT = 120


class EdnasKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("EDNAS_KERNEL", "ednas")
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = "console.log('hello, world')"
    code_stderr = "console.error('to stderr')"
    completion_samples = [{"text": "Math.cbr", "matches": {"cbrt"}}, {"text": "const value42 = 1;\nvalue4", "matches": {"value42"}}]
    complete_code_samples = ["1 + 1", "const a = 1;", "function f() { return 1; }"]
    incomplete_code_samples = ["function f() {", "const o = {", "[1, 2,"]
    code_generate_error = "throw new Error('boom')"
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "import { DARTS_V2_RNN } from 'ednas';\nDARTS_V2_RNN", "mime": "image/svg+xml"},
    ]
    code_display_data = [
        {"code": "import { display } from 'ednas';\ndisplay({ data: [{ type: 'bar', x: [1], y: [2] }], layout: {} });", "mime": "application/vnd.plotly.v1+json"},
        {"code": "import * as tslab from 'tslab';\ntslab.display.html('<b>tslab</b>');", "mime": "text/html"},
        {"code": "import { IntSlider } from 'ednas';\nimport { display as show } from 'ednas';\nshow(new IntSlider({ value: 1 }));", "mime": "application/vnd.jupyter.widget-view+json"},
    ]
    code_history_pattern = "6 * ?"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Math.max"
    code_page_something = "Math.max?"
    code_clear_output = "import { clearOutput } from 'ednas';\nconsole.log('before');\nclearOutput();"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The first cell starts the TypeScript checker and loads the library; the tests' own timeouts are short.
        cls.kc.execute_interactive("import * as ednas from 'ednas';", timeout=TIMEOUT)

    def test_comm_info(self):
        self.flush_channels()
        msg_id = self.kc.comm_info()
        reply = self.kc.get_shell_msg(timeout=jupyter_kernel_test.TIMEOUT)
        validate_message(reply, "comm_info_reply", msg_id)
        self.assertEqual(reply["content"]["status"], "ok")

    def test_widget_comm_messages(self):
        self.flush_channels()
        reply, output = self.execute_helper("import { Checkbox } from 'ednas';\nconst box = new Checkbox({ value: true, description: 'on' });\nbox.value = false;\nbox")
        self.assertEqual(reply["content"]["status"], "ok")
        types = [m["msg_type"] for m in output]
        self.assertEqual(types, ["comm_open", "comm_open", "comm_open", "comm_msg", "execute_result"])
        widget = output[2]["content"]
        self.assertEqual(widget["target_name"], "jupyter.widget")
        self.assertEqual(output[2]["metadata"], {"version": "2.1.0"})
        self.assertEqual(output[3]["content"], {"comm_id": widget["comm_id"], "data": {"method": "update", "state": {"value": False}, "buffer_paths": []}})
        msg_id = self.kc.comm_info(target_name="jupyter.widget")
        info = self.kc.get_shell_msg(timeout=jupyter_kernel_test.TIMEOUT)
        validate_message(info, "comm_info_reply", msg_id)
        self.assertEqual(info["content"]["comms"][widget["comm_id"]], {"target_name": "jupyter.widget"})


if __name__ == "__main__":
    unittest.main()
