/**
 * The live region on a terminal (stderr), drawn with log-update: `draw` replaces the region,
 * `event` prints a line above it (it stays in the scrollback), `close` leaves the last frame in
 * place. Lines are wrapped to the view's width (at most 80 columns) with a hanging indent.
 */
import { createLogUpdate } from 'log-update';
import { MAX_WIDTH } from './liveView.js';

/** Terminal size when the stream does not say (log-update's own defaults). */
const DEFAULT_COLUMNS = 80;
const DEFAULT_ROWS = 24;
const INDENT = '    ';

/** `line` cut at spaces into pieces of at most `width` columns; continuations indented. */
export function wrapLine(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  let prefix = '';
  while ([...prefix + rest].length > width) {
    const room = width - prefix.length;
    const cut = rest.lastIndexOf(' ', room);
    const at = cut > 0 ? cut : room;
    out.push(prefix + rest.slice(0, at));
    rest = rest.slice(at).replace(/^ +/, '');
    prefix = INDENT;
  }
  out.push(prefix + rest);
  return out;
}

/** Colour on a terminal unless NO_COLOR is set (to anything but the empty string: no-color.org). */
export function colorWanted(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return isTTY && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

export type Frame = (width: number, height: number) => string[];

export class LiveTerminal {
  private readonly update: ReturnType<typeof createLogUpdate>;
  private frame: Frame | null = null;
  private closed = false;
  private readonly onResize = (): void => this.redraw();

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.update = createLogUpdate(stream);
    stream.on('resize', this.onResize);
  }

  get width(): number {
    return Math.min(this.stream.columns ?? DEFAULT_COLUMNS, MAX_WIDTH);
  }

  private get height(): number {
    return this.stream.rows ?? DEFAULT_ROWS;
  }

  /** Prints `line` above the region (wrapped), then draws the region again. */
  event(line: string): void {
    const text = line.split('\n').flatMap((l) => wrapLine(l, this.width)).join('\n');
    if (this.closed || !this.frame) { this.stream.write(text + '\n'); return; }
    this.update.persist(text);
    this.redraw();
  }

  draw(frame: Frame): void {
    this.frame = frame;
    this.redraw();
  }

  private redraw(): void {
    if (this.closed || !this.frame) return;
    this.update(this.frame(this.width, this.height).join('\n'));
  }

  /** Leaves the last frame on the screen; later lines print below it. */
  close(): void {
    if (this.closed) return;
    this.redraw();
    this.closed = true;
    this.stream.off('resize', this.onResize);
    this.update.done();
  }
}
