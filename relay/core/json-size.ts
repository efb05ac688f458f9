/** The size of values once serialized as JSON in UTF-8, which is what limits on frames and buffers count. */

/** UTF-8 size of a string; JSON.stringify output never holds a lone surrogate, so pairs are all it meets. */
export function utf8Bytes(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/** Bytes `value` takes serialized as JSON, in UTF-8. */
export const valueBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value));
