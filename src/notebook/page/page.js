// The notebook page: cells with prose, an editor (CodeMirror) and live output; Shift+Enter runs an
// edited cell on the server, server-sent events bring every cell's new state.
'use strict';
const cells = new Map();
window.editors = {};

function markdown(text) {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const inline = (s) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>').replace(/\*([^*]+)\*/g, '<i>$1</i>');
  return text.split(/\n\s*\n/).map((block) => {
    const h = /^(#{1,4})\s+(.*)$/.exec(block.trim());
    if (h) return `<h${h[1].length + 1}>${inline(h[2])}</h${h[1].length + 1}>`;
    return block.trim() ? `<p>${inline(block.trim())}</p>` : '';
  }).join('');
}

const XSRF = document.querySelector('meta[name="ednas-xsrf"]').content;

async function post(path, payload) {
  const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-EDNAS-XSRF': XSRF }, body: JSON.stringify(payload ?? {}) });
  const data = await r.json();
  if (!data.ok) throw new Error(data.error);
  return data;
}

function cellElement(view) {
  const el = document.createElement('article');
  el.className = 'cell';
  el.id = `cell-${view.name}`;
  el.innerHTML = `<div class="prose"></div><div class="head"><span class="name"></span><span class="badges"></span></div>
    <div class="editor"></div><div class="error"></div><div class="output"></div>`;
  el.querySelector('.prose').innerHTML = markdown(view.prose || '');
  el.querySelector('.name').textContent = view.name + (view.inputs.length ? ` ← ${view.inputs.join(', ')}` : '');
  const editor = CodeMirror(el.querySelector('.editor'), {
    value: view.text, mode: { name: 'javascript', typescript: true }, lineNumbers: false, viewportMargin: Infinity,
    extraKeys: { 'Shift-Enter': () => run(view.name), 'Ctrl-S': () => save(), 'Cmd-S': () => save() },
  });
  window.editors[view.name] = editor;
  document.getElementById('cells').appendChild(el);
  return el;
}

async function run(name) {
  const el = document.getElementById(`cell-${name}`);
  el.querySelector('.error').textContent = '';
  try {
    await post('/api/define', { name, text: window.editors[name].getValue() });
    el.classList.remove('edited');
  } catch (e) {
    el.querySelector('.error').textContent = e.message;
  }
}

async function save() {
  try {
    const r = await post('/api/save');
    document.getElementById('status').textContent = `saved to ${r.file}`;
  } catch (e) {
    document.getElementById('status').textContent = `not saved: ${e.message}`;
  }
}

function render(view) {
  let el = document.getElementById(`cell-${view.name}`);
  if (!el) el = cellElement(view);
  el.dataset.state = view.state;
  el.dataset.runs = String(view.runs);
  el.dataset.live = String(view.live);
  const badges = [`<span class="badge ${view.state}">${view.live ? 'live' : view.state}</span>`, `<span class="badge runs">runs ${view.runs}</span>`];
  if (view.cache) badges.push(`<span class="badge cache" title="@cache: the value is kept on disk, keyed by this cell's code and its inputs">${view.cached === 'hit' ? 'from cache' : 'cached'}</span>`);
  el.querySelector('.badges').innerHTML = badges.join('');
  el.querySelector('.error').textContent = view.state === 'rejected' ? view.error : '';
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
    Plotly.react(plot, f.data, ednasTheme(f.layout), { responsive: true }).then(() => { if (f.frames) Plotly.addFrames(plot, f.frames); });
  } else if (o['image/svg+xml']) out.innerHTML = o['image/svg+xml'];
  else if (o['text/html']) out.innerHTML = o['text/html'];
  else {
    out.innerHTML = '<pre></pre>';
    out.querySelector('pre').textContent = o['text/plain'];
  }
}

document.getElementById('intro').innerHTML = markdown(document.getElementById('intro').dataset.markdown);
document.getElementById('save').addEventListener('click', save);
document.getElementById('interrupt').addEventListener('click', async () => {
  const status = document.getElementById('status');
  status.textContent = 'interrupting';
  try {
    const r = await post('/api/interrupt');
    status.textContent = r.outcome === 'restarted' ? 'a cell did not stop: restarted without it' : 'interrupted';
  } catch (e) {
    status.textContent = `interrupt failed: ${e.message}`;
  }
});
document.getElementById('restart').addEventListener('click', async () => {
  document.getElementById('status').textContent = 'restarting';
  try {
    await post('/api/restart');
  } catch (e) {
    document.getElementById('status').textContent = `restart failed: ${e.message}`;
  }
});

function problem(message) {
  const el = document.createElement('div');
  el.className = 'problem';
  el.textContent = message;
  document.getElementById('problems').appendChild(el);
}
const events = new EventSource('/api/events');
events.addEventListener('cells', (e) => JSON.parse(e.data).forEach(render));
events.addEventListener('cell', (e) => render(JSON.parse(e.data)));
events.addEventListener('idle', (e) => {
  const { idle } = JSON.parse(e.data);
  document.body.dataset.idle = String(idle);
  document.getElementById('status').textContent = idle ? 'all cells up to date' : 'running';
});
events.addEventListener('problem', (e) => problem(JSON.parse(e.data).message));
events.addEventListener('restart', (e) => {
  const { stopped } = JSON.parse(e.data);
  problem(stopped.length ? `restarted without running ${stopped.join(', ')}` : 'restarted: every cell runs again');
});
events.onerror = () => { document.getElementById('status').textContent = 'disconnected from the server'; };
