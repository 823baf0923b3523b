// Jupyter widgets from TypeScript: the controls, boxes and Output of ipywidgets 8 and EDNAS' own widgets.
export { Widget, WIDGET_TARGET, WIDGET_VIEW_MIME, WIDGET_PROTOCOL_VERSION } from './widget.ts';
export type { Change, Observer, CommonOptions } from './widget.ts';
export { IntSlider, FloatSlider, Dropdown, Checkbox, Button, Text, HTML, Label, IntProgress } from './controls.ts';
export { VBox, HBox } from './boxes.ts';
export { Output } from './output.ts';
export { PolicyExplorer, policyExplorer, policyView } from './policy-explorer.ts';
export type { PolicySource, PolicyHistory } from './policy-explorer.ts';
export { SearchControl, searchControl } from './search-control.ts';
export type { ControlState } from './search-control.ts';
