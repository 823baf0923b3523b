// The cell editor of the notebook page: CodeMirror 6 with TypeScript highlighting. The page server bundles
// this module with esbuild (server.ts) into /static/editor.js, which sets window.ednasEditor.
import { basicSetup, EditorView } from 'codemirror';
import { keymap } from '@codemirror/view';
import { Prec } from '@codemirror/state';
import { javascript } from '@codemirror/lang-javascript';

/**
 * An editor in `parent` holding `text`; Shift+Enter calls `run`, Ctrl/Cmd+S calls `save`.
 * Returns what page.js reads: getValue() (the current text) and the view.
 */
function create(parent, text, { run, save }) {
  const keys = keymap.of([
    {
      key: 'Shift-Enter',
      run: () => {
        run();
        return true;
      },
    },
    {
      key: 'Mod-s',
      run: () => {
        save();
        return true;
      },
      preventDefault: true,
    },
  ]);
  const view = new EditorView({
    doc: text,
    parent,
    extensions: [basicSetup, javascript({ typescript: true }), Prec.highest(keys), EditorView.lineWrapping],
  });
  return { view, getValue: () => view.state.doc.toString() };
}

window.ednasEditor = { create };
