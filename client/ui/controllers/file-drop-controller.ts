/** A ReactiveController that takes files dropped on or pasted into its host, and says while a drag is over it. */

import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class FileDropController implements ReactiveController {
  /** True while files are dragged over the host (to show a drop target). */
  dragging = false;
  private depth = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onFiles: (files: File[], pasted: boolean) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('dragenter', this.onDragEnter);
    this.host.addEventListener('dragover', this.onDragOver);
    this.host.addEventListener('dragleave', this.onDragLeave);
    this.host.addEventListener('drop', this.onDrop);
    this.host.addEventListener('paste', this.onPaste);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('dragenter', this.onDragEnter);
    this.host.removeEventListener('dragover', this.onDragOver);
    this.host.removeEventListener('dragleave', this.onDragLeave);
    this.host.removeEventListener('drop', this.onDrop);
    this.host.removeEventListener('paste', this.onPaste);
  }

  private setDragging(on: boolean): void {
    if (on === this.dragging) return;
    this.dragging = on;
    this.host.requestUpdate();
  }

  private readonly onDragEnter = (e: DragEvent): void => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.depth++;
    this.setDragging(true);
  };

  private readonly onDragOver = (e: DragEvent): void => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    // Without preventDefault on dragover the browser would open the file instead of dropping it here.
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };

  private readonly onDragLeave = (): void => {
    // dragleave fires for every child crossed; count enters and leaves rather than comparing targets.
    this.depth = Math.max(0, this.depth - 1);
    if (this.depth === 0) this.setDragging(false);
  };

  private readonly onDrop = (e: DragEvent): void => {
    this.depth = 0;
    this.setDragging(false);
    const files = [...(e.dataTransfer?.files ?? [])];
    if (!files.length) return;
    e.preventDefault();
    this.onFiles(files, false);
  };

  private readonly onPaste = (e: ClipboardEvent): void => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (!files.length) return;
    // Copying from a web page can carry both text and an image: keep the text, attach nothing then.
    if (e.clipboardData?.types.includes('text/plain')) return;
    e.preventDefault();
    this.onFiles(files, true);
  };
}
