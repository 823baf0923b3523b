// Figures in dark themes: plotly's default layout is dark text on white. In a dark page (the OS setting,
// or JupyterLab's dark theme) figures get a transparent background, light text and dim grid lines.
// The same function runs in reports and notebook outputs, as page script.
export const THEME_SCRIPT =
  `function ednasTheme(layout) {
  var b = document.body;
  var dark = b && b.getAttribute('data-jp-theme-light') === 'false' ||
    (!b || !b.hasAttribute('data-jp-theme-light')) && window.matchMedia && ` +
  `matchMedia('(prefers-color-scheme: dark)').matches;
  if (!dark) return layout;
  var axis = function (a) { return Object.assign({ gridcolor: '#444', zerolinecolor: '#555' }, a || {}); };
  return Object.assign({}, layout, { paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', ` +
  `font: { color: '#ddd' },
    xaxis: axis(layout.xaxis), yaxis: axis(layout.yaxis) });
}`;
