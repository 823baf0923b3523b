// The notebook page: cells with prose, an editor (CodeMirror 6, editor.js), input controls and live
// output; Shift+Enter or Run runs a cell (an edited one with its new text), a control sends its new value,
// and every cell's new state comes back as events. One transport carries both: the page server's
// (`ednas notebook`: POST /api/NAME and server-sent events), or a live export's Web Worker (postMessage;
// the page is then the worker's host: it keeps what a restart needs and restarts it). Prose arrives as HTML
// made from escaped Markdown; everything else is set as text, or is output the library made.
'use strict';
const views = new Map();
window.editors = {};

/** The page server: actions and controls are POSTs carrying the page's secret; events are server-sent. */
function serverTransport() {
  const XSRF = document.querySelector('meta[name="ednas-xsrf"]').content;
  const events = new EventSource('/api/events');
  events.onerror = () => {
    document.getElementById('status').textContent = 'disconnected from the server';
  };
  return {
    async post(name, payload) {
      const r = await fetch(`/api/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-EDNAS-XSRF': XSRF },
        body: JSON.stringify(payload ?? {}),
      });
      const data = await r.json();
      if (!data.ok) throw new Error(data.error);
      return data;
    },
    on(event, handler) {
      events.addEventListener(event, (e) => handler(JSON.parse(e.data)));
    },
  };
}

/** How long (ms) running cells get to stop after an interrupt before the worker is restarted without them. */
const INTERRUPT_GRACE_MS = 3000;

/**
 * A live export: the cells run in a Web Worker of this page. The page's query parameters set cells as
 * `--set NAME=VALUE` does; input values and lazy mode survive a restart (the worker sends them after each
 * action); a cell that does not stop when interrupted is held back and the worker replaced.
 */
function workerTransport(script) {
  const handlers = {};
  const emit = (event, data) => {
    for (const h of handlers[event] ?? []) h(data);
  };
  const params = [...new URLSearchParams(location.search)];
  const query = new Map(params);
  // A setting given twice in the link: only the last counts, and that is said (once the page listens).
  setTimeout(() => {
    for (const [name, value] of query) {
      const times = params.filter(([n]) => n === name).length;
      if (times > 1)
        emit('problem', {
          message: `the link gives ?${name}= ${times} times: only the last, ?${name}=${value}, counts.`,
        });
    }
  });
  const title = document.title.replace(/ · EDNAS notebook$/, '');
  let kept = { edits: new Map(), inputValues: new Map(), lazyAll: document.body.dataset.lazy === 'true' };
  let worker;
  let nextId = 0;
  const replies = new Map();
  const busy = () => [...views.values()].filter((v) => v.state === 'running' || v.live).map((v) => v.name);
  function start(stopped) {
    worker = new Worker(script);
    worker.onmessage = ({ data: m }) => {
      if (m.type === 'opened') {
        emit('cells', m.cells);
        emit('idle', { idle: m.idle });
      } else if (m.type === 'cells') {
        for (const v of m.views) emit('cell', v);
        emit('idle', { idle: m.idle });
      } else if (m.type === 'failed') emit('problem', { message: `the notebook did not open: ${m.error}` });
      else if (m.type === 'problem') emit('problem', { message: m.message, once: m.once });
      else if (m.type === 'kept') kept = m.state;
      else if (m.type === 'reply') {
        replies.get(m.id)?.(m.error);
        replies.delete(m.id);
      }
    };
    worker.onerror = (e) => emit('problem', { message: `the notebook's worker failed: ${e.message}` });
    const rawSets = new Map([...query].filter(([n]) => !kept.inputValues.has(n)));
    worker.postMessage({
      type: 'open',
      file: title,
      sets: kept.inputValues,
      rawSets,
      edits: kept.edits,
      lazy: true,
      lazyAll: kept.lazyAll,
      stopped,
    });
  }
  function restart(names, why) {
    worker.terminate();
    for (const reply of replies.values()) reply('the notebook restarted');
    replies.clear();
    const message = `stopped: ${why}, so the notebook restarted without running it. Run it again with its Run button.`;
    start(new Map(names.map((n) => [n, message])));
    emit('restart', { stopped: names });
  }
  start(new Map());
  const controls = {
    async interrupt() {
      // Sent even when no cell shows as running: the views may lag a cell that has just started.
      worker.postMessage({ type: 'interrupt' });
      if (!busy().length) return { ok: true, outcome: 'idle' };
      const deadline = Date.now() + INTERRUPT_GRACE_MS;
      while (Date.now() < deadline) {
        if (!busy().length) return { ok: true, outcome: 'stopped' };
        await new Promise((r) => setTimeout(r, 50));
      }
      restart(busy(), `it did not stop within ${INTERRUPT_GRACE_MS / 1000} s of the interrupt`);
      return { ok: true, outcome: 'restarted' };
    },
    async restart() {
      restart([], '');
      return { ok: true };
    },
  };
  return {
    post(name, payload) {
      if (controls[name]) return controls[name]();
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        replies.set(id, (error) => (error ? reject(new Error(error)) : resolve({ ok: true, ...payload })));
        worker.postMessage({ type: 'act', action: name, payload: payload ?? {}, id });
      });
    },
    on(event, handler) {
      handlers[event] = [...(handlers[event] ?? []), handler];
    },
  };
}

const live = document.querySelector('meta[name="ednas-live"]');
const transport = live ? workerTransport(live.content) : serverTransport();
const post = (name, payload) => transport.post(name, payload);

const cellEl = (name) => document.getElementById(`cell-${name}`);

function showError(name, message) {
  cellEl(name).querySelector('.error').textContent = message;
}

/** An input cell's control: its changes go to the server, which checks them and re-runs the readers. */
function inputControl(view) {
  const spec = view.input;
  const box = document.createElement('div');
  box.className = `input input-${spec.kind}`;
  const label = document.createElement('label');
  const caption = document.createElement('span');
  caption.className = 'input-label';
  caption.textContent = spec.label || view.name;
  label.appendChild(caption);
  let control;
  const send = async (value) => {
    showError(view.name, '');
    try {
      await post('input', { name: view.name, value });
    } catch (e) {
      showError(view.name, e.message);
    }
  };
  if (spec.kind === 'range' || spec.kind === 'number') {
    control = document.createElement('input');
    control.type = spec.kind;
    if (spec.min !== undefined) control.min = String(spec.min);
    if (spec.max !== undefined) control.max = String(spec.max);
    control.step = spec.step !== undefined ? String(spec.step) : 'any';
    const shown = document.createElement('output');
    control.addEventListener('input', () => {
      shown.textContent = control.value;
    });
    control.addEventListener('change', () => send(Number(control.value)));
    label.append(control, shown);
    box.update = (v) => {
      if (document.activeElement !== control) control.value = String(v);
      shown.textContent = String(v);
    };
  } else if (spec.kind === 'select') {
    control = document.createElement('select');
    spec.options.forEach((o, k) => {
      const opt = document.createElement('option');
      opt.value = String(k);
      opt.textContent = String(o);
      control.appendChild(opt);
    });
    control.addEventListener('change', () => send(spec.options[Number(control.value)]));
    label.appendChild(control);
    box.update = (v) => {
      control.value = String(spec.options.indexOf(v));
    };
  } else if (spec.kind === 'checkbox') {
    control = document.createElement('input');
    control.type = 'checkbox';
    control.addEventListener('change', () => send(control.checked));
    label.prepend(control);
    box.update = (v) => {
      control.checked = Boolean(v);
    };
  } else if (spec.kind === 'text') {
    control = document.createElement('input');
    control.type = 'text';
    if (spec.placeholder) control.placeholder = spec.placeholder;
    control.addEventListener('change', () => send(control.value));
    label.appendChild(control);
    box.update = (v) => {
      if (document.activeElement !== control) control.value = String(v);
    };
  } else if (spec.kind === 'file') {
    // Picked files go to the cells as bytes: only to a live export's worker, in this browser.
    control = document.createElement('input');
    control.type = 'file';
    control.multiple = true;
    if (spec.accept) control.accept = spec.accept;
    const shown = document.createElement('output');
    if (!live) {
      control.disabled = true;
      shown.textContent = 'files are picked in a live export (--export-live); here the cells read the disk';
    }
    control.addEventListener('change', async () => {
      const files = await Promise.all(
        [...control.files].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
      );
      send(files);
    });
    label.append(control, shown);
    box.update = (v) => {
      if (live) shown.textContent = v || 'none picked';
    };
  } else {
    control = document.createElement('button');
    control.textContent = spec.label || view.name;
    caption.textContent = '';
    control.addEventListener('click', () => send(Number(box.dataset.value) + 1));
    label.appendChild(control);
    box.update = (v) => {
      control.title = `clicked ${v} times`;
    };
  }
  control.className = 'input-control';
  box.appendChild(label);
  return box;
}

function cellElement(view) {
  const el = document.createElement('article');
  el.className = 'cell';
  el.id = `cell-${view.name}`;
  el.innerHTML =
    '<div class="prose"></div><div class="head"><span class="name"></span><span class="badges"></span>' +
    `<button class="run" title="Run this cell (Shift+Enter)">Run</button></div>
    <div class="controls"></div><div class="editor"></div><div class="error"></div><div class="output"></div>`;
  el.querySelector('.prose').innerHTML = view.proseHtml || '';
  el.querySelector('.name').textContent = view.name + (view.inputs.length ? ` ← ${view.inputs.join(', ')}` : '');
  el.querySelector('.run').addEventListener('click', () => run(view.name));
  if (view.input) el.querySelector('.controls').appendChild(inputControl(view));
  const editor = window.ednasEditor.create(el.querySelector('.editor'), view.text, { run: () => run(view.name), save });
  window.editors[view.name] = editor;
  document.getElementById('cells').appendChild(el);
  return el;
}

/** Runs a cell: its edited text if it was edited, else as it is (a stale cell runs with its new inputs). */
async function run(name) {
  showError(name, '');
  const text = window.editors[name].getValue();
  try {
    if (text !== views.get(name)?.text) await post('define', { name, text });
    else await post('run', { name });
  } catch (e) {
    showError(name, e.message);
  }
}

async function save() {
  try {
    const r = await post('save');
    document.getElementById('status').textContent = `saved to ${r.file}`;
  } catch (e) {
    document.getElementById('status').textContent = `not saved: ${e.message}`;
  }
}

function render(view) {
  views.set(view.name, view);
  let el = cellEl(view.name);
  if (!el) el = cellElement(view);
  el.dataset.state = view.state;
  el.dataset.runs = String(view.runs);
  el.dataset.yields = String(view.yields);
  el.dataset.live = String(view.live);
  const badges = [
    `<span class="badge ${view.state}">${view.live ? 'live' : view.state}</span>`,
    `<span class="badge runs">runs ${view.runs}</span>`,
  ];
  if (view.lazy)
    badges.push(
      '<span class="badge lazy" title="@lazy: when its inputs change it waits (stale) until you run it">lazy</span>',
    );
  if (view.cache)
    badges.push(
      `<span class="badge cache" title="@cache: the value is kept on disk, keyed by this cell's code and its inputs">` +
        `${view.cached === 'hit' ? 'from cache' : 'cached'}</span>`,
    );
  el.querySelector('.badges').innerHTML = badges.join('');
  if (view.state === 'rejected') el.querySelector('.error').textContent = view.error;
  else if (view.state !== 'pending') el.querySelector('.error').textContent = '';
  const control = el.querySelector('.input');
  if (control && view.input) {
    control.dataset.value = String(view.input.value);
    control.update(view.input.value);
  }
  const out = el.querySelector('.output');
  const o = view.output;
  if (!o) return;
  if (o.plotly) {
    let plot = out.querySelector('.plot');
    if (!plot) {
      out.innerHTML = '<div class="plot"></div>';
      plot = out.querySelector('.plot');
    }
    const f = o.plotly;
    Plotly.react(plot, f.data, ednasTheme(f.layout), { responsive: true }).then(() => {
      if (f.frames) Plotly.addFrames(plot, f.frames);
    });
  } else if (o['image/svg+xml']) out.innerHTML = o['image/svg+xml'];
  else if (o['text/html']) out.innerHTML = o['text/html'];
  else {
    out.innerHTML = '<pre></pre>';
    out.querySelector('pre').textContent = o['text/plain'];
  }
}

document.getElementById('save')?.addEventListener('click', save);
const STATUS_AFTER_INTERRUPT = {
  idle: 'nothing was running',
  stopped: 'interrupted',
  restarted: 'a cell did not stop: restarted without it',
};
document.getElementById('interrupt').addEventListener('click', async () => {
  const status = document.getElementById('status');
  status.textContent = 'interrupting';
  try {
    const r = await post('interrupt');
    status.textContent = STATUS_AFTER_INTERRUPT[r.outcome] ?? r.outcome;
  } catch (e) {
    status.textContent = `interrupt failed: ${e.message}`;
  }
});
document.getElementById('restart').addEventListener('click', async () => {
  document.getElementById('status').textContent = 'restarting';
  try {
    await post('restart');
  } catch (e) {
    document.getElementById('status').textContent = `restart failed: ${e.message}`;
  }
});
document.getElementById('lazy').addEventListener('change', async (e) => {
  try {
    await post('lazy', { lazy: e.target.checked });
    document.body.dataset.lazy = String(e.target.checked);
  } catch (err) {
    document.getElementById('status').textContent = `lazy mode not changed: ${err.message}`;
  }
});
document.getElementById('run-stale').addEventListener('click', () =>
  post('run-stale').catch((e) => {
    document.getElementById('status').textContent = e.message;
  }),
);

/** Shows a problem; one marked `once` (a link's left-out setting, said again at each restart) only once. */
function problem(message, once) {
  const shown = document.getElementById('problems');
  if (once && [...shown.children].some((p) => p.textContent === message)) return;
  const el = document.createElement('div');
  el.className = 'problem';
  el.textContent = message;
  shown.appendChild(el);
  return el;
}
// A cell's news is drawn once the messages already come are read, the latest view of each cell only: on a
// slow or busy machine the views of a live cell come faster than its plots redraw, and drawing each one would
// queue the page behind them (a click on Interrupt waited for the search to end). A timer, not an animation
// frame, which a busy or hidden page may not give. `views` is current at once, for Interrupt.
const toDraw = new Map();
let idleToShow;
let drawAsked = false;
function drawSoon(update) {
  update();
  if (drawAsked) return;
  drawAsked = true;
  setTimeout(() => {
    drawAsked = false;
    const drawn = [...toDraw.values()];
    toDraw.clear();
    for (const v of drawn) render(v);
    if (idleToShow !== undefined) showIdle(idleToShow);
    idleToShow = undefined;
  }, 0);
}
// A notebook's cells (at the start and after a restart) replace whatever news of the old run waits to be drawn.
transport.on('cells', (cells) =>
  drawSoon(() => {
    toDraw.clear();
    for (const v of cells) {
      views.set(v.name, v);
      toDraw.set(v.name, v);
    }
  }),
);
transport.on('cell', (view) =>
  drawSoon(() => {
    views.set(view.name, view);
    toDraw.set(view.name, view);
  }),
);
transport.on('idle', ({ idle }) =>
  drawSoon(() => {
    idleToShow = idle;
  }),
);
function showIdle(idle) {
  document.body.dataset.idle = String(idle);
  if (idle) for (const notice of document.querySelectorAll('#problems .restart.plain')) notice.remove();
  const count = (state) => [...views.values()].filter((v) => v.state === state).length;
  const [failed, stale] = [count('rejected'), count('stale')];
  const news = [
    failed && `${failed} cell${failed > 1 ? 's' : ''} with an error`,
    stale && `${stale} stale cell${stale > 1 ? 's' : ''}: run them when you are ready`,
  ].filter(Boolean);
  document.getElementById('status').textContent = idle ? news.join('; ') || 'all cells up to date' : 'running';
}
transport.on('problem', ({ message, once }) => problem(message, once));
// A restart replaces the last one's notice. A plain one goes once the cells are idle again; one that held cells
// back stays until the next restart.
transport.on('restart', ({ stopped }) => {
  for (const old of document.querySelectorAll('#problems .restart')) old.remove();
  const notice = stopped.length
    ? `restarted without running ${stopped.join(', ')}`
    : 'restarted: every cell runs again';
  problem(notice).classList.add('restart', ...(stopped.length ? [] : ['plain']));
});
