// WCAG AA for the palette of both themes: every text/background pair the CSS
// uses must reach 4.5:1 (normal text). Parsed from the stylesheet itself, so a
// colour change that breaks contrast fails here.
import { describe, expect, it } from 'vitest';

// Vitest's CSS pipeline hands renderer tests an empty string for CSS imports, and this
// project has no Node typings (it is the DOM project), so read the file through Node directly.
type ReadFile = { readFileSync(path: string, encoding: 'utf8'): string };
const nodeProcess = (globalThis as unknown as { process: { cwd(): string; getBuiltinModule(name: string): unknown } }).process;
const css = (nodeProcess.getBuiltinModule('node:fs') as ReadFile).readFileSync(`${nodeProcess.cwd()}/renderer/styles/app.css`, 'utf8');

function variables(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-fA-F]{3,6})/g)) out[m[1]!] = m[2]!;
  return out;
}

function luminance(hex: string): number {
  const h = hex.length === 4 ? hex.slice(1).split('').map((c) => c + c).join('') : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const light = variables(/:root\s*\{([^}]*)\}/.exec(css)![1]!);
const dark = { ...light, ...variables(/:root\[data-theme="dark"\]\s*\{([^}]*)\}/.exec(css)![1]!) };
const darkBySystem = { ...light, ...variables(/:root:not\(\[data-theme="light"\]\)\s*\{([^}]*)\}/.exec(css)![1]!) };

const PAIRS: [string, string][] = [
  ['text', 'bg'], ['text', 'surface'], ['text', 'surface-2'], ['text', 'accent-soft'], ['muted', 'bg'], ['muted', 'surface'],
  ['accent', 'surface'], ['accent', 'bg'], ['accent', 'accent-soft'], ['accent', 'info-soft'], ['accent-text', 'accent'],
  ['danger', 'surface'], ['danger', 'danger-soft'], ['warning-text', 'warning-soft'], ['ok', 'ok-soft'], ['ok', 'surface'],
  ['sim', 'sim-soft'], ['text', 'info-soft'], ['surface', 'danger'],
];

describe.each([['light', light], ['dark', dark]] as const)('%s theme', (_name, palette) => {
  it.each(PAIRS)('%s on %s reaches 4.5:1', (fg, bg) => {
    expect(palette[fg], `--${fg}`).toBeDefined();
    expect(palette[bg], `--${bg}`).toBeDefined();
    expect(contrast(palette[fg]!, palette[bg]!)).toBeGreaterThanOrEqual(4.5);
  });
});

it('the OS dark theme and the dark setting use the same palette', () => {
  expect(darkBySystem).toEqual(dark);
});
