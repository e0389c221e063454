import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AppProvider } from '../../../renderer/app/context.tsx';
import { linkCitations, SafeMarkdown } from '../../../renderer/components/safe-markdown.tsx';
import { FakeCairn } from '../fake-api.ts';

afterEach(() => {
  cleanup();
  delete (window as unknown as { __pwned?: unknown }).__pwned;
});

function renderMd(text: string, fake = new FakeCairn()) {
  const utils = render(<AppProvider api={fake.api()}><SafeMarkdown text={text} /></AppProvider>);
  return { ...utils, fake };
}

const pwned = () => (window as unknown as { __pwned?: unknown }).__pwned;

describe('SafeMarkdown', () => {
  it('shows <img onerror> as text and creates no image', () => {
    const { container } = renderMd('Before <img src=x onerror="window.__pwned=1"> after');
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect(container.querySelector('[onerror]')).toBeNull();
    expect(pwned()).toBeUndefined();
  });

  it('shows <script> as text and runs nothing', () => {
    const { container } = renderMd('<script>window.__pwned = 1</script>\n\nText after.');
    expect(container.querySelector('script')).toBeNull();
    expect(container.textContent).toContain('<script>window.__pwned = 1</script>');
    expect(pwned()).toBeUndefined();
  });

  it('drops javascript: links and never fetches images', () => {
    const { container } = renderMd('[click me](javascript:window.__pwned=1) and ![chart](https://tracker.example/pixel.png)');
    for (const a of Array.from(container.querySelectorAll('a'))) expect(a.getAttribute('href') ?? '').not.toMatch(/^javascript:/i);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText('[image: chart]')).toBeTruthy();
    fireEvent.click(screen.getByText('click me'));
    expect(pwned()).toBeUndefined();
  });

  it('hands an external link to main, which confirms it in a native dialog (no in-page dialog the page could fake)', async () => {
    const { fake } = renderMd('See [the regulator](https://example.org/rules).');
    fireEvent.click(screen.getByRole('link', { name: 'the regulator' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(fake.callsOf('appOpenExternal')).toEqual([{ url: 'https://example.org/rules' }]));
  });

  it('renders GitHub-flavoured tables', () => {
    const { container } = renderMd('| Figure | Value |\n|---|---|\n| Revenue | 1.2M |');
    expect(container.querySelector('table')).not.toBeNull();
    expect(screen.getByRole('cell', { name: '1.2M' })).toBeTruthy();
  });
});

describe('linkCitations', () => {
  it('links valid citations to chunks and marks unknown ones', () => {
    const out = linkCitations('A [p. 12], B [p. 3] and [p. 12] again; [p. 12](keep) untouched.', [
      { label: '[p. 12]', chunkIndex: 4, valid: true },
      { label: 'p. 3', chunkIndex: null, valid: false },
    ]);
    expect(out).toBe('A [p. 12](#cairn-chunk-4), B [p. 3](#cairn-missing) and [p. 12](#cairn-chunk-4) again; [p. 12](keep) untouched.');
  });

  it('marks each citation whose quote is not in the passage it cites, occurrence by occurrence', () => {
    const text = '"Pay in 30 days" [p. 12]. "Deliver weekly" [p. 12].';
    const out = linkCitations(text, [
      { label: 'p. 12', chunkIndex: 4, valid: true, quoteCheck: 'verified' },
      { label: 'p. 12', chunkIndex: 4, valid: true, quoteCheck: 'unverified' },
    ]);
    expect(out).toBe('"Pay in 30 days" [p. 12](#cairn-chunk-4). "Deliver weekly" [p. 12](#cairn-chunk-4-unverified).');
    render(<AppProvider api={new FakeCairn().api()}><SafeMarkdown text={out} /></AppProvider>);
    const [verified, unverified] = screen.getAllByRole('button', { name: 'p. 12' });
    expect(verified?.className).toBe('citation');
    expect(unverified?.className).toBe('citation citation-unverified');
    expect(unverified?.title).toMatch(/quoted text was not found in this passage/);
  });
});
