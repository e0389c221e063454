// Numbers as the CLI prints them.
export function money(usd: number): string {
  return usd < 0.01 && usd > 0 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function tokens(n: number): string {
  return n >= 1_000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
