/**
 * Human-readable text on the wire (the DISCONNECT reason text, HELLO's consensus parameters): a
 * u32-length-prefixed UTF-8 string of at most MAX_DISCONNECT_TEXT_BYTES (or the caller's cap), well formed, without control characters (it ends
 * up in logs and on terminals, where newlines and escape sequences could forge lines).
 */
import type { Reader, Writer } from '../core/codec.js';
import { MAX_DISCONNECT_TEXT_BYTES } from './limits.js';
import { decodeFail, encodeFail, type Fail } from './wireChecks.js';

/** C0 controls, DEL and C1 controls. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_CHARS_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
/** UTF-8 continuation bytes look like 10xxxxxx. */
const CONTINUATION_MASK = 0xc0;
const CONTINUATION_BITS = 0x80;

const utf8 = new TextEncoder();
/** `fatal`: malformed UTF-8 is an error, not U+FFFD; `ignoreBOM`: keep a leading BOM so text round-trips byte for byte. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function checkText(text: string, byteLen: number, max: number, fail: Fail): void {
  if (byteLen > max) fail('P2P_TEXT_TOO_LONG', `text of ${byteLen} bytes exceeds ${max}`);
  if (CONTROL_CHARS.test(text)) fail('P2P_BAD_TEXT', 'text holds control characters');
}

/** Reads a text of at most `max` bytes (the DISCONNECT text's cap unless told). */
export function readText(r: Reader, max = MAX_DISCONNECT_TEXT_BYTES): string {
  const n = r.u32();
  if (n > max) decodeFail('P2P_TEXT_TOO_LONG', `text of ${n} bytes exceeds ${max}`);
  const bytes = r.fixed(n);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return decodeFail('P2P_BAD_TEXT', 'text is not well-formed UTF-8');
  }
  checkText(text, n, max, decodeFail);
  return text;
}

export function writeText(w: Writer, text: string, max = MAX_DISCONNECT_TEXT_BYTES): void {
  const bytes = utf8.encode(text);
  // TextEncoder turns a lone surrogate into U+FFFD: such a string would not come back as sent.
  if (strictUtf8.decode(bytes) !== text) encodeFail('P2P_BAD_TEXT', 'text is not well-formed UTF-16');
  checkText(text, bytes.length, max, encodeFail);
  w.bytes(bytes);
}

/**
 * Any string made fit for `writeText`: lone surrogates become U+FFFD, control characters become
 * spaces, and it is cut to MAX_DISCONNECT_TEXT_BYTES on a character boundary.
 */
export function sanitizeText(s: string): string {
  const bytes = utf8.encode(s.replace(CONTROL_CHARS_ALL, ' '));
  if (bytes.length <= MAX_DISCONNECT_TEXT_BYTES) return strictUtf8.decode(bytes);
  let end = MAX_DISCONNECT_TEXT_BYTES;
  while (end > 0 && (bytes[end]! & CONTINUATION_MASK) === CONTINUATION_BITS) end--;
  return strictUtf8.decode(bytes.subarray(0, end));
}
