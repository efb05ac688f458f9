/** Splits streaming markdown into finished blocks and an unfinished tail, scanning only text it has not seen. */

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}#{1,6}(\s|$)/;
/** A display formula opened on a line of its own (`$$`, `\[`), with the delimiter that closes it. */
const MATH_OPEN: Record<string, string> = { $$: '$$', '\\[': '\\]' };

export interface SplitUpdate {
  /** The text did not extend the previous one (an edit): start over. */
  reset: boolean;
  /** Blocks completed by this update, in order. */
  added: string[];
  /** The unfinished remainder, re-rendered on each update. */
  tail: string;
}

/**
 * A block is finished once a blank line follows it outside a code fence or display formula, a fence
 * closes, or a heading line ends. Splitting can separate constructs that span blank lines (loose lists); marked keeps list numbering via
 * `start`, which is good enough for streaming.
 */
export class BlockSplitter {
  private text = '';
  /** Start of the first line not yet scanned. */
  private pos = 0;
  /** Start of the block being built. */
  private blockStart = 0;
  private fence: { char: string; len: number } | undefined;
  /** Inside a display formula, which may hold blank lines: the delimiter that ends it. */
  private mathClose: string | undefined;
  private hasContent = false;
  readonly blocks: string[] = [];

  update(text: string): SplitUpdate {
    let reset = false;
    if (!text.startsWith(this.text)) {
      this.text = '';
      this.pos = this.blockStart = 0;
      this.fence = undefined;
      this.mathClose = undefined;
      this.hasContent = false;
      this.blocks.length = 0;
      reset = true;
    }
    this.text = text;
    const added: string[] = [];
    const cut = (end: number) => {
      if (end > this.blockStart) {
        const block = text.slice(this.blockStart, end);
        if (block.trim() !== '') {
          added.push(block);
          this.blocks.push(block);
        }
      }
      this.blockStart = end;
      this.hasContent = false;
    };
    let nl: number;
    while ((nl = text.indexOf('\n', this.pos)) !== -1) {
      const start = this.pos;
      const line = text.slice(start, nl);
      const end = nl + 1;
      this.pos = end;
      if (this.fence) {
        const close = FENCE.exec(line);
        if (close?.[1]?.[0] === this.fence.char && close[1].length >= this.fence.len && line.trim() === close[1]) {
          this.fence = undefined;
          cut(end);
        }
        continue;
      }
      if (this.mathClose) {
        if (line.trimEnd().endsWith(this.mathClose)) this.mathClose = undefined;
        continue;
      }
      const open = FENCE.exec(line);
      if (open?.[1]) {
        if (this.hasContent) cut(start);
        this.fence = { char: open[1][0] ?? '`', len: open[1].length };
        this.hasContent = true;
      } else if (MATH_OPEN[line.trim()]) {
        this.mathClose = MATH_OPEN[line.trim()];
        this.hasContent = true;
      } else if (line.trim() === '') {
        if (this.hasContent) cut(end);
      } else if (HEADING.test(line)) {
        if (this.hasContent) cut(start);
        cut(end);
      } else {
        this.hasContent = true;
      }
    }
    return { reset, added, tail: text.slice(this.blockStart) };
  }
}
