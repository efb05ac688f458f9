/**
 * A ReactiveController for a zoomable, pannable image: the wheel, a pinch, a double click and buttons or keys
 * zoom (about the pointer where there is one), a drag or the arrows pan; the host renders `transform`.
 */

import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const MIN_SCALE = 1;
export const MAX_SCALE = 8;
/** One step of + / − or of a wheel notch. */
export const ZOOM_STEP = 1.25;
/** Where a double click on a fitted image zooms to. */
const DOUBLE_CLICK_SCALE = 2.5;
/** How far an arrow key moves a zoomed image, in CSS pixels. */
export const PAN_STEP = 60;

interface Point {
  x: number;
  y: number;
}

export class ZoomPan implements ReactiveController {
  scale = MIN_SCALE;
  x = 0;
  y = 0;
  private readonly pointers = new Map<number, Point>();
  private pinch: { distance: number; scale: number } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The image as laid out at scale 1 (fitted to the screen), or undefined while there is none. */
    private readonly target: () => HTMLElement | null | undefined,
  ) {
    host.addController(this);
  }

  /** A gesture in progress when the viewer goes away must not carry over to the next time it opens. */
  hostDisconnected(): void {
    this.pointers.clear();
    this.pinch = undefined;
  }

  get zoomed(): boolean {
    return this.scale > MIN_SCALE;
  }

  /** The CSS transform for the image; translate first, so panning is in screen pixels. */
  get transform(): string {
    return `translate(${this.x}px, ${this.y}px) scale(${this.scale})`;
  }

  reset(): void {
    this.set(MIN_SCALE, 0, 0);
  }

  /**
   * Zooms by `factor` keeping `at` (a point on screen; the image's centre by default) where it is: the point's
   * offset from the image centre scales with the image, and the translation absorbs the difference.
   */
  zoomBy(factor: number, at?: Point): void {
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    if (next === this.scale) return;
    const c = this.centre();
    const px = at && c ? at.x - c.x : 0;
    const py = at && c ? at.y - c.y : 0;
    const k = next / this.scale;
    this.set(next, px - (px - this.x) * k, py - (py - this.y) * k);
  }

  panBy(dx: number, dy: number): void {
    if (this.zoomed) this.set(this.scale, this.x + dx, this.y + dy);
  }

  // The host binds these to the image's container.
  readonly onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    // Trackpad pinches arrive as wheel events with ctrlKey and small deltas: scale by the delta itself.
    const factor = Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.002));
    this.zoomBy(factor, { x: e.clientX, y: e.clientY });
  };

  readonly onDoubleClick = (e: MouseEvent): void => {
    if (this.zoomed) this.reset();
    else this.zoomBy(DOUBLE_CLICK_SCALE, { x: e.clientX, y: e.clientY });
  };

  readonly onPointerDown = (e: PointerEvent): void => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    // Capture keeps a drag going outside the image; a synthetic or finished pointer cannot be captured.
    try {
      if (e.currentTarget instanceof Element) e.currentTarget.setPointerCapture(e.pointerId);
    } catch {
      /* not an active pointer */
    }
    if (this.pointers.size === 2) this.pinch = { distance: this.spread(), scale: this.scale };
  };

  readonly onPointerMove = (e: PointerEvent): void => {
    const last = this.pointers.get(e.pointerId);
    if (!last) return;
    const now = { x: e.clientX, y: e.clientY };
    this.pointers.set(e.pointerId, now);
    if (this.pinch && this.pointers.size === 2) {
      const [a, b] = [...this.pointers.values()];
      const mid = a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : now;
      this.zoomBy((this.pinch.scale * this.spread()) / this.pinch.distance / this.scale, mid);
    } else if (this.pointers.size === 1) {
      this.panBy(now.x - last.x, now.y - last.y);
    }
  };

  readonly onPointerUp = (e: PointerEvent): void => {
    this.pointers.delete(e.pointerId);
    if (this.pointers.size < 2) this.pinch = undefined;
  };

  private spread(): number {
    const [a, b] = [...this.pointers.values()];
    return a && b ? Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)) : 1;
  }

  /** The image's centre on screen at the current transform's origin (its untransformed layout box). */
  private centre(): Point | undefined {
    const el = this.target();
    if (!el) return undefined;
    const r = el.getBoundingClientRect();
    // The box is transformed: undo the translation to find where scale 1 would put the centre.
    return { x: r.left + r.width / 2 - this.x, y: r.top + r.height / 2 - this.y };
  }

  /** Keeps some of the image on screen: it may move until its edge reaches the middle of the view. */
  private set(scale: number, x: number, y: number): void {
    const el = this.target();
    const w = el ? el.offsetWidth : 0;
    const h = el ? el.offsetHeight : 0;
    const limX = (w * scale) / 2;
    const limY = (h * scale) / 2;
    this.scale = scale;
    this.x = scale === MIN_SCALE ? 0 : Math.max(-limX, Math.min(limX, x));
    this.y = scale === MIN_SCALE ? 0 : Math.max(-limY, Math.min(limY, y));
    this.host.requestUpdate();
  }
}
