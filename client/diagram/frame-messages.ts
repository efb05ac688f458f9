/** The messages between the app and the diagram frame, and the checks each side runs on what it receives. */

export type DiagramTheme = 'default' | 'dark';

/** App → frame, over the port the app hands over once the frame has loaded. */
export interface RenderRequest {
  type: 'render';
  id: number;
  source: string;
  theme: DiagramTheme;
}

/** Frame → app: the SVG of one diagram, or why there is none. */
export type RenderReply =
  | { type: 'rendered'; id: number; svg: string; width: number; height: number }
  | { type: 'failed'; id: number; message: string };

/** The longest diagram source the frame will lay out (mermaid's own default limit is 50,000 characters). */
export const MAX_DIAGRAM_SOURCE = 50_000;
/** The largest SVG the app accepts back; a reply beyond it is shown as an error, not as an image. */
export const MAX_DIAGRAM_SVG = 4_000_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function parseRenderRequest(data: unknown): RenderRequest | undefined {
  if (!isRecord(data) || data['type'] !== 'render') return undefined;
  const { id, source, theme } = data;
  if (!isId(id) || typeof source !== 'string' || source.length > MAX_DIAGRAM_SOURCE) return undefined;
  if (theme !== 'default' && theme !== 'dark') return undefined;
  return { type: 'render', id, source, theme };
}

/** A reply to a request: the diagram, or a failure (also for a reply that is not a well-formed diagram). */
export function parseRenderReply(data: unknown): RenderReply | undefined {
  if (!isRecord(data) || !isId(data['id'])) return undefined;
  const id = data['id'];
  return (
    readReply(data, id) ?? { type: 'failed', id, message: 'The diagram renderer sent something that is not a diagram.' }
  );
}

function readReply(data: Record<string, unknown>, id: number): RenderReply | undefined {
  if (data['type'] === 'failed' && typeof data['message'] === 'string')
    return { type: 'failed', id, message: data['message'].slice(0, 2000) };
  const { svg, width, height } = data;
  if (data['type'] !== 'rendered' || typeof svg !== 'string' || !isSize(width) || !isSize(height)) return undefined;
  if (svg.length > MAX_DIAGRAM_SVG || !/^<svg[\s>]/.test(svg)) return undefined;
  return { type: 'rendered', id, svg, width, height };
}

export const isReady = (data: unknown): boolean => isRecord(data) && data['type'] === 'ready';
