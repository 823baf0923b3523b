// Comms and widgets over the real protocol, driven by jupyter_client as a widget front end (drive_widgets.py):
// tslab's display API, a widget's comm_open and state, front-end updates read back in code, callbacks,
// custom events, request_state, comm_info, comm_open to unknown and registered targets, comm_close, the
// search control over a running search (start, pause at the next step, resume, stop) and the policy explorer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jupyterSkip, kernelEnvironment, PYTHON } from '../helpers/jupyter.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { WIDGET_FALLBACK } from '../../src/display/widgets/widget.ts';

type Msg = [string, Record<string, any>, Record<string, any>];
type Sent = { iopub: Msg[]; shell_replies: string[] };
const of = (r: { iopub: Msg[] }, type: string) => r.iopub.filter(([t]) => t === type).map(([, c]) => c);
const VIEW = 'application/vnd.jupyter.widget-view+json';

test("comms and Jupyter widgets over the protocol, and tslab's display API", { skip: jupyterSkip() }, async () => {
  const env = await kernelEnvironment();
  const dir = tempDir();
  const log = join(dir, 'kernel.log');
  const p = spawnSync(PYTHON, [fileURLToPath(new URL('./drive_widgets.py', import.meta.url)), env.EDNAS_KERNEL!, log], {
    env,
    cwd: dir,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(
    p.status,
    0,
    `signal ${p.signal}: ${p.stderr.slice(-4000)}\nkernel log: ${readFileSync(log, 'utf8').slice(-2000)}`,
  );
  const d = JSON.parse(p.stdout) as Record<string, any>;

  // tslab.display.* and newDisplay(): display_data, then update_display_data of the same display_id.
  const shown = of(d.tslab, 'display_data');
  assert.deepEqual(shown[0], { data: { 'text/html': '<b>x</b>' }, metadata: {}, transient: {} });
  assert.equal(shown[1].data['text/plain'], 'first');
  const id = shown[1].transient.display_id;
  assert.match(id, /^[0-9a-f]{16}$/);
  assert.deepEqual(of(d.tslab, 'update_display_data'), [
    { data: { 'text/plain': 'second' }, metadata: {}, transient: { display_id: id } },
  ]);
  assert.equal(
    shown[2].data['image/png'],
    Buffer.from([137, 80, 78, 71]).toString('base64'),
    'binary data goes base64',
  );
  assert.equal(shown[3].data['text/markdown'], '*m*');
  assert.equal(shown[4].data['application/json'], '{"a":1}');
  assert.match(of(d.tslab, 'execute_result')[0].data['text/plain'], /^'1\.\d+\.\d+'$/, 'tslab.versions');
  assert.deepEqual(
    d.clear.iopub.map(([t]: Msg) => t).filter((t: string) => t !== 'execute_input' && t !== 'status'),
    ['stream', 'clear_output', 'stream'],
  );
  assert.deepEqual(of(d.clear, 'clear_output'), [{ wait: true }]);

  // The slider: layout, then style, then the slider itself, each a comm_open of target jupyter.widget with
  // protocol version 2.1.0 and its whole state; the cell's result is the widget's view.
  const opens = of(d.slider, 'comm_open');
  assert.deepEqual(
    opens.map((c) => c.data.state._model_name),
    ['LayoutModel', 'SliderStyleModel', 'IntSliderModel'],
  );
  for (const c of opens) {
    assert.equal(c.target_name, 'jupyter.widget');
    assert.match(c.comm_id, /^[0-9a-f]{32}$/);
    assert.deepEqual(c.data.buffer_paths, []);
  }
  assert.deepEqual(
    d.slider.iopub.filter(([t]: Msg) => t === 'comm_open').map(([, , m]: Msg) => m),
    opens.map(() => ({ version: '2.1.0' })),
  );
  const state = opens[2].data.state;
  assert.equal(state.value, 42);
  assert.equal(state.description, 'n');
  assert.equal(state._model_module, '@jupyter-widgets/controls');
  assert.equal(state._model_module_version, '2.0.0');
  assert.equal(state.layout, `IPY_MODEL_${opens[0].comm_id}`);
  assert.equal(state.style, `IPY_MODEL_${opens[1].comm_id}`);
  const result = of(d.slider, 'execute_result')[0].data;
  assert.deepEqual(result[VIEW], { version_major: 2, version_minor: 0, model_id: opens[2].comm_id });
  assert.equal(result['text/plain'], `IntSlider(value=42)\n${WIDGET_FALLBACK}`);

  // A front-end update: no reply on shell, busy and idle, the value and the callback in code.
  assert.deepEqual(d.update.shell_replies, []);
  assert.deepEqual(
    d.update.iopub.map(([t, c]: Msg) => `${t}:${c.execution_state ?? ''}`),
    ['status:busy'],
  );
  assert.equal(d.after_update, "'[7,[7]]'");
  // Out of range: clamped, and the front end is told the value the model holds.
  assert.deepEqual(of(d.clamped, 'comm_msg'), [
    { comm_id: opens[2].comm_id, data: { method: 'update', state: { value: 100 }, buffer_paths: [] } },
  ]);
  assert.equal(d.after_clamp, '100');
  assert.deepEqual(of(d.kernel_set, 'comm_msg')[0].data, { method: 'update', state: { value: 3 }, buffer_paths: [] });
  const full = of(d.request_state, 'comm_msg')[0].data;
  assert.equal(full.method, 'update');
  assert.deepEqual(Object.keys(full.state).sort(), Object.keys(state).sort(), 'request_state: the whole state');
  assert.equal(full.state.value, 3);

  assert.equal(d.clicks, '1', 'a click ran the callback');
  // A callback that never returns is ended by an interrupt; the callbacks after it run and the kernel answers.
  assert.deepEqual(
    (d.spin as unknown as [string, any][]).filter(([t]) => t === 'stream').map(([, c]) => c.text),
    ['KeyboardInterrupt: a click callback of the button "Spin" was interrupted\n'],
  );
  assert.equal(d.after_spin, '11');
  assert.equal(of(d.dropdown, 'comm_open').at(-1)!.data.state._options_labels.join(), 'Adam,SGD');
  assert.equal(d.after_dropdown, '\'["sgd","SGD","sgd"]\'', 'the front end sends an index; value and label follow');
  assert.equal(d.after_text, "'typed'");
  assert.equal(d.after_checkbox, 'false', 'a value of the wrong type is refused');
  assert.deepEqual(of(d.bad_checkbox, 'comm_msg')[0].data.state, { value: false });
  assert.match(of(d.bad_checkbox, 'stream')[0]?.text ?? '', /Checkbox\.value: value must be true or false/);
  const output = of(d.output, 'comm_open').find((c) => c.data.state._model_name === 'OutputModel')!;
  assert.equal(output.data.state._model_module, '@jupyter-widgets/output');
  const appended = of(d.output, 'comm_msg').find((c) => c.comm_id === output.comm_id)!.data.state;
  assert.deepEqual(appended.outputs, [{ output_type: 'stream', name: 'stdout', text: 'captured\n' }]);

  // comm_info lists the open comms, filtered by target.
  const all = d.comm_info_all.comms as Record<string, { target_name: string }>;
  assert.equal(d.comm_info_all.status, 'ok');
  assert.equal(all[opens[2].comm_id].target_name, 'jupyter.widget');
  assert.ok(Object.keys(all).length >= 10);
  assert.deepEqual(Object.keys(d.comm_info_widgets.comms).sort(), Object.keys(all).sort());
  assert.deepEqual(d.comm_info_none.comms, {});
  assert.ok(!(opens[2].comm_id in d.comm_info_after_close.comms), 'closed by the front end');

  // Front-end comms: an unknown target is closed at once; a registered one answers.
  assert.deepEqual(of(d.open_unknown, 'comm_close'), [{ comm_id: d.open_unknown_id, data: {} }]);
  assert.deepEqual(d.open_unknown.shell_replies, []);
  assert.deepEqual(of(d.open_echo, 'comm_msg')[0].data, { opened: { hello: 1 } });
  assert.deepEqual(of(d.echo, 'comm_msg')[0].data, { echo: { ping: 2 } });
  assert.deepEqual(Object.values(d.comm_info_echo.comms), [{ target_name: 'ednas.echo' }]);
  assert.deepEqual(d.comm_info_echo_closed.comms, {});

  // The search control: Start runs the search in the background, Pause holds it at its next step (no steps
  // while paused), Resume goes on, Stop ends it and leaves it usable; its status reaches the front end.
  const models = of(d.control, 'comm_open').map((c) => c.data.state._model_name);
  assert.deepEqual(
    models.filter((m) => m.endsWith('Model') && !m.includes('Style') && m !== 'LayoutModel'),
    [
      'ButtonModel',
      'ButtonModel',
      'ButtonModel',
      'ButtonModel',
      'IntProgressModel',
      'HTMLModel',
      'HBoxModel',
      'VBoxModel',
    ],
  );
  assert.ok(
    d.started && d.paused && d.resumed && d.stopped,
    JSON.stringify({ started: d.started, paused: d.paused, resumed: d.resumed, stopped: d.stopped }),
  );
  assert.equal(d.held_steps[0], d.held_steps[1], 'no step while paused');
  assert.ok(
    of(d.start, 'comm_msg').some((c) => c.data.state?.disabled === false),
    'Start enables Pause and Stop',
  );
  assert.equal(d.after_stop, "'[true,true]'");

  // The policy explorer redraws for another epoch and the reduction cell.
  const explorerModels = of(d.explorer, 'comm_open').map((c) => c.data.state._model_name);
  for (const m of ['IntSliderModel', 'DropdownModel', 'HTMLModel', 'HBoxModel', 'VBoxModel'])
    assert.ok(explorerModels.includes(m), m);
  const redraw = (r: Sent) =>
    of(r, 'comm_msg')
      .map((c) => c.data.state?.value)
      .find((v) => typeof v === 'string' && v.includes('<svg')) as string;
  assert.match(redraw(d.explorer_epoch), /after epoch 0/);
  assert.match(redraw(d.explorer_cell), /argmax reduce cell/);
  assert.equal(d.explorer_state, '\'[0,"reduce"]\'');
});
