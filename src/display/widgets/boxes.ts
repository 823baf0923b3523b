// Boxes lay widgets out: VBox one under another, HBox side by side. Their children are references to the
// children's models, which the front end resolves.
import { Widget, type CommonOptions } from './widget.ts';

type BoxOptions = Pick<CommonOptions, 'layout' | 'tooltip'> & {
  boxStyle?: '' | 'success' | 'info' | 'warning' | 'danger';
};

class Box extends Widget {
  constructor(model: string, children: Widget[], o: BoxOptions) {
    super(model, { children: [...children], box_style: o.boxStyle, tooltip: o.tooltip }, o);
  }

  get children(): readonly Widget[] {
    return this.synced.children as Widget[];
  }

  set children(children: readonly Widget[]) {
    void this.assign({ children: [...children] });
  }

  toString(): string {
    return `${this.modelName.replace(/Model$/, '')}(children=[${this.children.map(String).join(', ')}])`;
  }
}

/** Widgets one under another. */
export class VBox extends Box {
  constructor(children: Widget[] = [], o: BoxOptions = {}) {
    super('VBoxModel', children, o);
  }
}

/** Widgets side by side. */
export class HBox extends Box {
  constructor(children: Widget[] = [], o: BoxOptions = {}) {
    super('HBoxModel', children, o);
  }
}
