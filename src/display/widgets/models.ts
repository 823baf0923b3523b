// The default state of every Jupyter widget model this library opens, as ipywidgets 8 sends it (widget
// protocol 2; the models of @jupyter-widgets/base 2.0.0, controls 2.0.0 and output 1.0.0): front ends
// build their views from these keys, so each model carries all of them (test/display/widgets.test.ts
// checks them against @jupyter-widgets/schema). Layout and style are widgets of their own, referenced.
export type State = Record<string, unknown>;

const BASE = {
  _model_module: '@jupyter-widgets/base',
  _model_module_version: '2.0.0',
  _view_module: '@jupyter-widgets/base',
  _view_module_version: '2.0.0',
};
const CONTROLS = {
  _model_module: '@jupyter-widgets/controls',
  _model_module_version: '2.0.0',
  _view_module: '@jupyter-widgets/controls',
  _view_module_version: '2.0.0',
};

const LAYOUT_KEYS = [
  'align_content',
  'align_items',
  'align_self',
  'border_bottom',
  'border_left',
  'border_right',
  'border_top',
  'bottom',
  'display',
  'flex',
  'flex_flow',
  'grid_area',
  'grid_auto_columns',
  'grid_auto_flow',
  'grid_auto_rows',
  'grid_column',
  'grid_gap',
  'grid_row',
  'grid_template_areas',
  'grid_template_columns',
  'grid_template_rows',
  'height',
  'justify_content',
  'justify_items',
  'left',
  'margin',
  'max_height',
  'max_width',
  'min_height',
  'min_width',
  'object_fit',
  'object_position',
  'order',
  'overflow',
  'padding',
  'right',
  'top',
  'visibility',
  'width',
] as const;

/** Keys every DOM widget of the controls has; `layout` and `style` are filled in with references. */
const domWidget = (model: string, view: string, extra: State): State => ({
  ...CONTROLS,
  _model_name: model,
  _view_name: view,
  _dom_classes: [],
  layout: null,
  tabbable: null,
  tooltip: null,
  ...extra,
});
const described = { description: '', description_allow_html: false, style: null };
const styleModel = (model: string, extra: State = {}): State => ({
  ...CONTROLS,
  _model_name: model,
  _view_module: '@jupyter-widgets/base',
  _view_name: 'StyleView',
  description_width: '',
  ...extra,
});
const slider = (model: string, view: string, extra: State) =>
  domWidget(model, view, {
    ...described,
    behavior: 'drag-tap',
    continuous_update: true,
    disabled: false,
    max: 100,
    min: 0,
    orientation: 'horizontal',
    readout: true,
    value: 0,
    ...extra,
  });
const textStyle = { background: null, font_size: null, text_color: null };
const fontStyle = {
  font_family: null,
  font_size: null,
  font_style: null,
  font_variant: null,
  font_weight: null,
  text_color: null,
  text_decoration: null,
};

export const MODELS: Record<string, () => State> = {
  LayoutModel: () => ({
    ...BASE,
    _model_name: 'LayoutModel',
    _view_name: 'LayoutView',
    ...Object.fromEntries(LAYOUT_KEYS.map((k) => [k, null])),
  }),
  DescriptionStyleModel: () => styleModel('DescriptionStyleModel'),
  SliderStyleModel: () => styleModel('SliderStyleModel', { handle_color: null }),
  CheckboxStyleModel: () => styleModel('CheckboxStyleModel', { background: null }),
  ButtonStyleModel: () => ({
    ...styleModel('ButtonStyleModel', { button_color: null, ...fontStyle }),
    description_width: undefined,
  }),
  TextStyleModel: () => styleModel('TextStyleModel', textStyle),
  HTMLStyleModel: () => styleModel('HTMLStyleModel', textStyle),
  LabelStyleModel: () => styleModel('LabelStyleModel', { background: null, ...fontStyle }),
  ProgressStyleModel: () => styleModel('ProgressStyleModel', { bar_color: null }),
  IntSliderModel: () => slider('IntSliderModel', 'IntSliderView', { readout_format: 'd', step: 1 }),
  FloatSliderModel: () => slider('FloatSliderModel', 'FloatSliderView', { readout_format: '.2f', step: 0.1 }),
  DropdownModel: () =>
    domWidget('DropdownModel', 'DropdownView', { ...described, _options_labels: [], disabled: false, index: null }),
  CheckboxModel: () =>
    domWidget('CheckboxModel', 'CheckboxView', { ...described, disabled: false, indent: true, value: false }),
  ButtonModel: () =>
    domWidget('ButtonModel', 'ButtonView', {
      button_style: '',
      description: '',
      disabled: false,
      icon: '',
      style: null,
    }),
  TextModel: () =>
    domWidget('TextModel', 'TextView', {
      ...described,
      continuous_update: true,
      disabled: false,
      placeholder: '\u200b',
      value: '',
    }),
  HTMLModel: () => domWidget('HTMLModel', 'HTMLView', { ...described, placeholder: '\u200b', value: '' }),
  LabelModel: () => domWidget('LabelModel', 'LabelView', { ...described, placeholder: '\u200b', value: '' }),
  IntProgressModel: () =>
    domWidget('IntProgressModel', 'ProgressView', {
      ...described,
      bar_style: '',
      max: 100,
      min: 0,
      orientation: 'horizontal',
      value: 0,
    }),
  VBoxModel: () => domWidget('VBoxModel', 'VBoxView', { box_style: '', children: [] }),
  HBoxModel: () => domWidget('HBoxModel', 'HBoxView', { box_style: '', children: [] }),
  OutputModel: () => ({
    _model_module: '@jupyter-widgets/output',
    _model_module_version: '1.0.0',
    _model_name: 'OutputModel',
    _view_module: '@jupyter-widgets/output',
    _view_module_version: '1.0.0',
    _view_name: 'OutputView',
    _dom_classes: [],
    layout: null,
    msg_id: '',
    outputs: [],
    tabbable: null,
    tooltip: null,
  }),
};

/** The style model each control references. */
export const STYLE_OF: Record<string, string> = {
  IntSliderModel: 'SliderStyleModel',
  FloatSliderModel: 'SliderStyleModel',
  DropdownModel: 'DescriptionStyleModel',
  CheckboxModel: 'CheckboxStyleModel',
  ButtonModel: 'ButtonStyleModel',
  TextModel: 'TextStyleModel',
  HTMLModel: 'HTMLStyleModel',
  LabelModel: 'LabelStyleModel',
  IntProgressModel: 'ProgressStyleModel',
};

/** A model's full default state (keys whose value is undefined are left out). */
export function defaultState(model: string): State {
  const make = MODELS[model];
  if (!make) throw new Error(`no widget model ${model}`);
  return Object.fromEntries(Object.entries(make()).filter(([, v]) => v !== undefined));
}

/** camelCase option names to the models' snake_case keys. */
export const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
