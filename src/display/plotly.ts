// plotly.min.js' source, for pages and reports that inline it: under Node read once from the installed
// package; in a browser the page hands it over (setPlotlySource), as a bundle cannot read node_modules.
import { packageText } from '#host';

let source: string | undefined;

/** The source a browser page loaded (under Node it is read from the package when first asked). */
export function setPlotlySource(text: string): void {
  source = text;
}

/** plotly.min.js, read once. */
export const plotlyJs = (): string => (source ??= packageText('plotly.js-dist-min/plotly.min.js', 'setPlotlySource'));
