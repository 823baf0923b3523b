// The Markdown of a notebook's prose (doc comments), as HTML: headings, paragraphs, `code`, **bold** and
// *italics*, and "- " lists. Everything is escaped first, so prose can show no markup of its own. Rendered
// once here for the page and for exported HTML alike.
import { escapeHtml } from '../viz/html.ts';

const inline = (s: string) =>
  escapeHtml(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
    .replace(/\*([^*\s][^*]*)\*/g, '<i>$1</i>');

export function markdownHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const b = block.trim();
      if (!b) return '';
      const h = /^(#{1,4})\s+(.*)$/s.exec(b);
      if (h) return `<h${h[1].length + 1}>${inline(h[2])}</h${h[1].length + 1}>`;
      const lines = b.split('\n');
      if (lines.every((l) => /^\s*[-*]\s+/.test(l)))
        return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*]\s+/, ''))}</li>`).join('')}</ul>`;
      return `<p>${inline(b)}</p>`;
    })
    .join('');
}
