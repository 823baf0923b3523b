// Jupyter's wire protocol (messaging 5.3): routing identities, the <IDS|MSG> delimiter, an HMAC-SHA256
// signature, then header, parent header, metadata and content as JSON.
import { createHmac, randomUUID } from 'node:crypto';

const DELIM = '<IDS|MSG>';
export const PROTOCOL_VERSION = '5.3';

export interface Header {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface Message<C = Record<string, unknown>> {
  identities: Buffer[];
  header: Header;
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
}

const sign = (key: string, parts: string[]) => {
  if (!key) return '';
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

export function parseMessage(frames: Buffer[], key: string): Message {
  const at = frames.findIndex((f) => f.toString() === DELIM);
  if (at < 0 || frames.length < at + 6) throw new Error('malformed Jupyter message: no <IDS|MSG> delimiter or missing parts');
  const parts = frames.slice(at + 2, at + 6).map((f) => f.toString());
  if (sign(key, parts) !== frames[at + 1].toString()) throw new Error('Jupyter message with a bad signature ignored');
  const [header, parent_header, metadata, content] = parts.map((p) => JSON.parse(p));
  return { identities: frames.slice(0, at), header, parent_header, metadata, content };
}

/** A message replying to (or caused by) `parent`, of `type`. */
export function reply<C>(parent: Message<unknown>, type: string, content: C, identities = parent.identities): Message<C> {
  return {
    identities,
    header: { msg_id: randomUUID(), msg_type: type, session: parent.header.session, username: parent.header.username, date: new Date().toISOString(), version: PROTOCOL_VERSION },
    parent_header: parent.header,
    metadata: {},
    content,
  };
}

export function serializeMessage(m: Message<unknown>, key: string): (Buffer | string)[] {
  const parts = [m.header, m.parent_header, m.metadata, m.content].map((p) => JSON.stringify(p));
  return [...m.identities, DELIM, sign(key, parts), ...parts];
}
