// Colours for a terminal, and only for one: --no-color and NO_COLOR turn them
// off, FORCE_COLOR turns them on (also into a pipe), else a TTY that is not
// "dumb" gets them. Each stream decides for itself (stdout may be piped while
// stderr is a terminal).
import { styleText } from 'node:util';
import type { SessionStatus } from '../../shared/domain.ts';

type Format = Parameters<typeof styleText>[0];

export interface ColorEnv {
  noColorFlag: boolean;
  env: Record<string, string | undefined>;
  isTTY: boolean;
}

export function useColor({ noColorFlag, env, isTTY }: ColorEnv): boolean {
  if (noColorFlag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

export class Style {
  readonly enabled: boolean;
  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  paint(format: Format, text: string): string {
    return this.enabled ? styleText(format, text, { validateStream: false }) : text;
  }

  ok = (t: string) => this.paint('green', t);
  warn = (t: string) => this.paint('yellow', t);
  bad = (t: string) => this.paint('red', t);
  dim = (t: string) => this.paint('dim', t);
  bold = (t: string) => this.paint('bold', t);

  /** A session status in the colour of what it asks of the user. */
  status(status: SessionStatus | string, text: string = status): string {
    switch (status) {
      case 'done': return this.paint('green', text);
      case 'running': return this.paint('cyan', text);
      case 'waiting':
      case 'paused': return this.paint('yellow', text);
      case 'interrupted': return this.paint('magenta', text);
      case 'failed': return this.paint('red', text);
      default: return text;
    }
  }
}
