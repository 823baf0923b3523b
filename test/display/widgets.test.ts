// The widget layer without a kernel: a fake comm host records what would go to the front end. Every model's
// state matches @jupyter-widgets/schema (keys, types, defaults), front-end updates are checked and
// observed, the policy explorer redraws, and the search control pauses, resumes and stops a real search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { installKernelHook, type Comm, type CommData, type CommHost } from '../../src/display/hook.ts';
import { mimeBundle } from '../../src/display/mime.ts';
import { MODELS, defaultState } from '../../src/display/widgets/models.ts';
import {
  Button,
  Checkbox,
  Dropdown,
  FloatSlider,
  HTML,
  IntSlider,
  Output,
  Text,
  VBox,
  policyExplorer,
  searchControl,
  type Widget,
} from '../../src/display/widgets/index.ts';
import { WIDGET_FALLBACK } from '../../src/display/widgets/widget.ts';
import { Search } from '../../src/cnn/search.ts';
import { RnnSearch } from '../../src/rnn/search.ts';
import { RNN_SEARCH_PRESETS } from '../../src/rnn/config.ts';
import { readPtb } from '../../src/data/ptb.ts';
import { PTB_SAMPLE } from '../../src/data/locate.ts';
import { onBackend } from '../helpers/backends.ts';
import { TINY_SEARCH, tinyImages } from '../helpers/tiny.ts';

type Sent = {
  type: 'open' | 'msg' | 'close';
  id: string;
  target?: string;
  data: CommData;
  metadata?: Record<string, unknown>;
};

/** A comm host that records messages and lets the test play the front end. */
function fakeFrontEnd() {
  const sent: Sent[] = [];
  const comms = new Map<string, { onMessage: ((d: CommData, b: Uint8Array[]) => unknown)[] }>();
  let next = 0;
  const host: CommHost = {
    open(target, data, o = {}) {
      const id = (++next).toString(16).padStart(32, '0');
      const handlers: ((d: CommData, b: Uint8Array[]) => unknown)[] = [];
      comms.set(id, { onMessage: handlers });
      sent.push({ type: 'open', id, target, data, metadata: o.metadata });
      const comm: Comm = {
        id,
        targetName: target,
        send: (d) => {
          sent.push({ type: 'msg', id, data: d });
        },
        close: (d = {}) => {
          sent.push({ type: 'close', id, data: d });
        },
        onMessage: (h) => {
          handlers.push(h);
        },
        onClose: () => {},
      };
      return comm;
    },
    registerTarget() {},
    unregisterTarget() {},
  };
  /** A message from the front end to the widget, as a kernel delivers it. */
  const deliver = async (w: Widget, data: CommData) => {
    for (const h of comms.get(w.modelId)!.onMessage) await h(data, []);
  };
  return { host, sent, deliver };
}

function withFrontEnd() {
  const fe = fakeFrontEnd();
  installKernelHook({ display: () => {}, comms: fe.host });
  return fe;
}

const schema = createRequire(import.meta.url)('@jupyter-widgets/schema/jupyterwidgetmodels.latest.json') as {
  model: { name: string; module: string; version: string };
  attributes: { name: string; type: string; default: unknown; allow_none?: boolean }[];
}[];

test('every model opens with the state @jupyter-widgets/schema gives it (ipywidgets 8, protocol 2)', () => {
  for (const name of Object.keys(MODELS)) {
    const spec = schema.find((m) => m.model.name === name);
    assert.ok(spec, `${name} is in the schema`);
    const state = defaultState(name);
    assert.deepEqual(Object.keys(state).sort(), spec.attributes.map((a) => a.name).sort(), `${name}: the same keys`);
    assert.equal(state._model_module, spec.model.module);
    assert.equal(state._model_module_version, spec.model.version);
    for (const a of spec.attributes) {
      if (a.type === 'reference') continue;
      assert.deepEqual(state[a.name], a.default, `${name}.${a.name}`);
    }
  }
});

test('widgets open their layout and style first, then themselves, and render as a widget view', () => {
  const fe = withFrontEnd();
  try {
    const s = new IntSlider({
      value: 5,
      max: 10,
      description: 'n',
      style: { handleColor: 'red' },
      layout: { width: '300px' },
    });
    assert.deepEqual(
      fe.sent.map((m) => [m.type, m.target, (m.data.state as CommData)._model_name]),
      [
        ['open', 'jupyter.widget', 'LayoutModel'],
        ['open', 'jupyter.widget', 'SliderStyleModel'],
        ['open', 'jupyter.widget', 'IntSliderModel'],
      ],
    );
    assert.ok(fe.sent.every((m) => (m.metadata as CommData).version === '2.1.0'));
    const state = fe.sent[2].data.state as CommData;
    assert.equal(state.layout, `IPY_MODEL_${fe.sent[0].id}`);
    assert.equal((fe.sent[0].data.state as CommData).width, '300px');
    assert.equal((fe.sent[1].data.state as CommData).handle_color, 'red');
    assert.deepEqual(mimeBundle(s), {
      'text/plain': `IntSlider(value=5)\n${WIDGET_FALLBACK}`,
      'application/vnd.jupyter.widget-view+json': { version_major: 2, version_minor: 0, model_id: s.modelId },
    });
    const h = new HTML({ value: '<b>x</b>' });
    const box = new VBox([s, h]);
    assert.deepEqual((fe.sent.at(-1)!.data.state as CommData).children, [
      `IPY_MODEL_${s.modelId}`,
      `IPY_MODEL_${h.modelId}`,
    ]);
    assert.match(String(box), /VBox\(children=\[IntSlider\(value=5\), HTML/);
  } finally {
    installKernelHook(undefined);
  }
});

test('front-end updates are checked, kept and observed; code changes go to the front end', async () => {
  const fe = withFrontEnd();
  try {
    const s = new FloatSlider({ value: 0.5, min: 0, max: 1, step: 0.01 });
    const seen: unknown[] = [];
    const stop = s.observe((c) => {
      seen.push([c.name, c.old, c.new]);
    });
    await fe.deliver(s, { method: 'update', state: { value: 0.25 }, buffer_paths: [] });
    assert.equal(s.value, 0.25);
    await fe.deliver(s, { method: 'update', state: { value: 7 }, buffer_paths: [] });
    assert.equal(s.value, 1, 'clamped');
    assert.deepEqual(
      fe.sent.at(-1)!.data,
      { method: 'update', state: { value: 1 }, buffer_paths: [] },
      'the front end is corrected',
    );
    await fe.deliver(s, { method: 'update', state: { _model_name: 'Evil', layout: 'IPY_MODEL_x' }, buffer_paths: [] });
    assert.equal(
      s.wireState(['_model_name'])._model_name,
      'FloatSliderModel',
      "private keys are not the front end's to change",
    );
    s.value = 0.75;
    assert.deepEqual(fe.sent.at(-1)!.data, { method: 'update', state: { value: 0.75 }, buffer_paths: [] });
    stop();
    s.value = 0.1;
    assert.deepEqual(seen, [
      ['value', 0.5, 0.25],
      ['value', 0.25, 1],
      ['value', 1, 0.75],
    ]);
    await fe.deliver(s, { method: 'request_state' });
    assert.equal(
      Object.keys(fe.sent.at(-1)!.data.state as CommData).length,
      Object.keys(defaultState('FloatSliderModel')).length,
    );

    const d = new Dropdown({
      options: [
        ['one', { n: 1 }],
        ['two', { n: 2 }],
      ],
      index: 0,
    });
    const values: unknown[] = [];
    d.observe((c) => {
      values.push(c.new);
    });
    await fe.deliver(d, { method: 'update', state: { index: 1 }, buffer_paths: [] });
    assert.deepEqual(d.value, { n: 2 }, 'any value: the front end only knows labels and an index');
    assert.equal(d.label, 'two');
    assert.deepEqual(values, [{ n: 2 }]);
    await fe.deliver(d, { method: 'update', state: { index: 9 }, buffer_paths: [] });
    assert.equal(d.index, 1, 'an index out of range is refused');
    d.setOptions(['a', 'b', 'c'] as unknown as { n: number }[]);
    assert.equal(d.index, 0);

    const b = new Button({ description: 'Go' });
    let clicks = 0;
    b.onClick(() => {
      clicks++;
    });
    b.onClick(() => {
      throw new Error('one bad callback');
    });
    await fe.deliver(b, { method: 'custom', content: { event: 'click' } });
    await b.click();
    assert.equal(clicks, 2, 'a failing callback does not stop the others');

    const t = new Text({ value: 'a' });
    let submitted = '';
    t.onSubmit((w) => {
      submitted = w.value;
    });
    await fe.deliver(t, { method: 'update', state: { value: 'typed' }, buffer_paths: [] });
    await fe.deliver(t, { method: 'custom', content: { event: 'submit' } });
    assert.equal(submitted, 'typed');
    const c = new Checkbox();
    await fe.deliver(c, { method: 'update', state: { value: 'yes' }, buffer_paths: [] });
    assert.equal(c.value, false);
    const h = new HTML({ value: 'x' });
    await fe.deliver(h, { method: 'update', state: { value: '<script>' }, buffer_paths: [] });
    assert.equal(h.value, 'x', 'an HTML widget is not written by the front end');
    const o = new Output();
    o.append({ data: [], layout: {} });
    o.appendText('line\n');
    assert.deepEqual(
      o.outputs.map((r) => r.output_type),
      ['display_data', 'stream'],
    );
    o.clear();
    assert.equal(o.outputs.length, 0);
  } finally {
    installKernelHook(undefined);
  }
});

test('outside a kernel a widget holds its value and shows as text', () => {
  const s = new IntSlider({ value: 3 });
  s.value = 200;
  assert.equal(s.value, 100);
  assert.deepEqual(mimeBundle(s), { 'text/plain': 'IntSlider(value=100)' });
  assert.throws(() => new IntSlider({ value: 0.5 }), /IntSlider takes integers/);
  assert.throws(() => new Dropdown({ options: ['a'], value: 'b' }), /not one of its options/);
});

test('the policy explorer shows any epoch and cell of a search: heatmaps and the argmax cell', async () => {
  await onBackend('cpu', async () => {
    const fe = withFrontEnd();
    try {
      const search = new Search({ ...TINY_SEARCH, weightSteps: 1, policySteps: 2, policyLr: 0.5 }, tinyImages(40, 1));
      await search.runEpoch();
      await search.runEpoch();
      const ex = policyExplorer(search);
      assert.equal(ex.epoch.value, 2);
      assert.equal(ex.epoch.max, 2);
      assert.match(ex.view.value, /after epoch 2/);
      assert.equal((ex.view.value.match(/<svg/g) ?? []).length, 3, 'two heatmaps and a cell diagram');
      await fe.deliver(ex.epoch, { method: 'update', state: { value: 0 }, buffer_paths: [] });
      assert.match(ex.view.value, /after epoch 0/);
      assert.match(ex.view.value, /0\.14</, 'the uniform policy: 1/7 per operation');
      await fe.deliver(ex.cell, { method: 'update', state: { index: 1 }, buffer_paths: [] });
      assert.match(ex.view.value, /argmax reduce cell/);
      await search.runEpoch().catch(() => {});
      search.policyHistory.push({ ...search.policyHistory.at(-1)!, epoch: 3 });
      ex.epoch.value = 2;
      ex.refresh();
      assert.equal(ex.epoch.max, 3);
      search.dispose();

      const ptb = readPtb(PTB_SAMPLE);
      const rnn = new RnnSearch(
        {
          ...RNN_SEARCH_PRESETS['ptb-quick'].config,
          hidden: 4,
          batchSize: 2,
          bptt: 3,
          policyBatchSize: 2,
          epochs: 1,
          weightSteps: 1,
          policySteps: 1,
        },
        ptb.train.subarray(0, 400),
        ptb.vocabulary.size,
      );
      const rx = policyExplorer(rnn.policyHistory);
      assert.deepEqual(rx.cell.value, 'recurrent');
      assert.match(rx.view.value, /Activation policy per edge, recurrent cell/);
      assert.match(rx.view.value, /argmax recurrent cell/);
      rnn.dispose();
      assert.throws(() => policyExplorer([]), /at least one entry/);
    } finally {
      installKernelHook(undefined);
    }
  });
});

test('the search control starts, pauses at the next step, resumes and stops a search', async () => {
  await onBackend('cpu', async () => {
    const search = new Search({ ...TINY_SEARCH, epochs: 400, weightSteps: 2, policySteps: 1 }, tinyImages(40, 2));
    const control = searchControl(search);
    const states: string[] = [];
    control.onState((s) => states.push(s));
    assert.equal(control.state, 'ready');
    assert.equal(control.pauseButton.disabled, true);
    const run = control.start();
    while (search.steps.length < 3) await new Promise((r) => setTimeout(r, 5));
    await control.pauseButton.click();
    while ((control.state as string) !== 'paused') await new Promise((r) => setTimeout(r, 5));
    const held = search.steps.length;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(search.steps.length, held, 'no step while paused');
    assert.equal(control.resumeButton.disabled, false);
    control.resume();
    while (search.steps.length === held) await new Promise((r) => setTimeout(r, 5));
    await control.stop();
    await run;
    assert.equal(control.state, 'stopped');
    assert.ok(search.epoch < 400);
    assert.match(control.status.value, /stopped during epoch/);
    assert.deepEqual([...new Set(states)], ['running', 'paused', 'stopped']);
    // Paused, then stopped: the held step never runs.
    void control.start();
    while (search.steps.length === held) await new Promise((r) => setTimeout(r, 5));
    control.pause();
    while ((control.state as string) !== 'paused') await new Promise((r) => setTimeout(r, 5));
    await control.stop();
    assert.equal(control.state, 'stopped');
    search.dispose();
  });
});
