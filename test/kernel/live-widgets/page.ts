// A small live-widgets page (bundled by the front-end test with esbuild, served by the Jupyter server
// itself): a kernel over @jupyterlab/services, and ipywidgets 8's own views (@jupyter-widgets/html-manager)
// on comms to it, as JupyterLab's widget manager does. `window.live.run(code)` runs a cell and draws its
// widgets; the test moves them and asks the kernel what it saw.
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from '@jupyterlab/services';
import { HTMLManager } from '@jupyter-widgets/html-manager';
import { shims } from '@jupyter-widgets/base';

const WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json';

class LiveManager extends HTMLManager {
  constructor(private readonly kernel: Kernel.IKernelConnection) {
    super();
    kernel.registerCommTarget(this.comm_target_name, async (comm, msg) => {
      await this.handle_comm_open(new shims.services.Comm(comm), msg);
    });
  }

  async _create_comm(target: string, id: string, data?: any, metadata?: any, buffers?: any): Promise<any> {
    const comm = this.kernel.createComm(target, id);
    if (data || metadata) comm.open(data, metadata, buffers);
    return new shims.services.Comm(comm);
  }

  async _get_comm_info(): Promise<any> {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }
}

async function start(kernelName: string) {
  const settings = ServerConnection.makeSettings({ baseUrl: `${location.origin}/`, wsUrl: `ws://${location.host}/` });
  const kernel = await new KernelManager({ serverSettings: settings }).startNew({ name: kernelName });
  const manager = new LiveManager(kernel);
  const out = document.getElementById('out')!;
  /** Runs a cell; draws its widget views; resolves with its text result or error. */
  async function run(code: string): Promise<string> {
    const future = kernel.requestExecute({ code, stop_on_error: false });
    let text = '';
    const views: Promise<void>[] = [];
    future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
      const content = msg.content as { data?: Record<string, any>; ename?: string; evalue?: string };
      if (content.ename) text = `${content.ename}: ${content.evalue}`;
      const data = content.data;
      if (!data) return;
      if (data[WIDGET_VIEW]) {
        const el = document.createElement('div');
        el.className = 'live-output';
        out.appendChild(el);
        views.push(
          manager
            .get_model(data[WIDGET_VIEW].model_id)
            .then((model) => manager.display_view(manager.create_view(model), el)),
        );
      } else if (msg.header.msg_type === 'execute_result') text = String(data['text/plain'] ?? '');
    };
    await future.done;
    await Promise.all(views);
    return text;
  }
  return { run, shutdown: () => kernel.shutdown() };
}

(window as any).startLive = start;
