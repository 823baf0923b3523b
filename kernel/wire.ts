// Jupyter's wire protocol (messaging 5.3): routing identities, the <IDS|MSG> delimiter, an HMAC
// signature in the connection file's scheme (hmac-sha256 unless it says another hmac-<hash>), then header,
// parent header, metadata and content as JSON, then any binary buffers.
import { createHmac, getHashes, randomUUID, timingSafeEqual } from 'node:crypto';

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
  buffers?: Buffer[];
}

/** Signs the four JSON parts of a message; an empty key means unsigned messages (as Jupyter allows). */
export type Signer = (parts: string[]) => string;

export class SignatureSchemeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureSchemeError';
  }
}

export function signer(scheme: string | undefined, key: string): Signer {
  const m = /^hmac-([a-z0-9-]+)$/i.exec(scheme ?? 'hmac-sha256');
  const hash = m?.[1].toLowerCase();
  if (!hash || !getHashes().includes(hash)) {
    throw new SignatureSchemeError(
      `the connection file's signature_scheme ${JSON.stringify(scheme)} is not one this kernel can compute; ` +
        `use hmac-sha256 (or hmac- and one of ${getHashes()
          .filter((h) => /^(sha|md5)/.test(h))
          .join(', ')})`,
    );
  }
  if (!key) return () => '';
  return (parts) => {
    const h = createHmac(hash, key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  };
}

export class BadMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadMessageError';
  }
}

export function parseMessage(frames: Buffer[], sign: Signer): Message {
  const at = frames.findIndex((f) => f.toString() === DELIM);
  if (at < 0 || frames.length < at + 6)
    throw new BadMessageError('malformed Jupyter message: no <IDS|MSG> delimiter or missing parts');
  const parts = frames.slice(at + 2, at + 6).map((f) => f.toString());
  const expected = Buffer.from(sign(parts));
  const given = frames[at + 1];
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new BadMessageError('Jupyter message with a bad signature ignored');
  let json: unknown[];
  try {
    json = parts.map((p) => JSON.parse(p));
  } catch {
    throw new BadMessageError('Jupyter message whose parts are not JSON ignored');
  }
  const [header, parent_header, metadata, content] = json as [
    Header,
    Header,
    Record<string, unknown>,
    Record<string, unknown>,
  ];
  if (typeof header?.msg_type !== 'string' || typeof content !== 'object' || content === null)
    throw new BadMessageError('Jupyter message without a msg_type or content ignored');
  return {
    identities: frames.slice(0, at),
    header,
    parent_header,
    metadata: metadata ?? {},
    content,
    buffers: frames.slice(at + 6),
  };
}

/** A message replying to (or caused by) `parent`, of `type`. */
export function reply<C>(
  parent: Message<unknown>,
  type: string,
  content: C,
  identities = parent.identities,
): Message<C> {
  return {
    identities,
    header: {
      msg_id: randomUUID(),
      msg_type: type,
      session: parent.header.session,
      username: parent.header.username,
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    },
    parent_header: parent.header,
    metadata: {},
    content,
  };
}

export function serializeMessage(m: Message<unknown>, sign: Signer): (Buffer | string)[] {
  const parts = [m.header, m.parent_header, m.metadata, m.content].map((p) => JSON.stringify(p));
  return [...m.identities, DELIM, sign(parts), ...parts, ...(m.buffers ?? [])];
}
