import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeCairn } from '../fake-api.ts';
import { makeSettings, OPENAI } from '../fixtures.ts';
import { renderApp } from '../render-app.tsx';

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

function withDocs() {
  const fake = new FakeCairn();
  fake.pickPaths = ['/docs/lease.pdf', '/docs/broken.docx'];
  fake.previews.set('/docs/broken.docx', {
    path: '/docs/broken.docx', name: 'broken.docx', ok: false, pages: null, sample: '', tokens: 0, chunks: 0, warnings: [],
    error: { code: 'unreadable', message: 'broken.docx is not a valid Word document (zip header missing).', hint: 'Open it in Word and save it again, or export it as PDF.' },
  });
  return fake;
}

async function addDocs() {
  fireEvent.click(await screen.findByRole('button', { name: 'Add documents…' }));
  return screen.findAllByTestId('document-preview');
}

describe('New analysis', () => {
  it('previews each picked document and names per-file errors', async () => {
    renderApp(withDocs(), { view: 'new' });
    const cards = await addDocs();
    expect(cards).toHaveLength(2);
    expect(cards[0]!.textContent).toContain('4 pages');
    expect(cards[0]!.textContent).toContain('3.2k tokens');
    expect(cards[0]!.textContent).toContain('3 chunks');
    expect(cards[0]!.textContent).toContain('The parties agree');
    expect(within(cards[1]!).getByRole('alert').textContent).toContain('not a valid Word document');
    expect(cards[1]!.textContent).toContain('save it again');
    fireEvent.click(screen.getByRole('button', { name: 'Remove broken.docx' }));
    expect(screen.getAllByTestId('document-preview')).toHaveLength(1);
  });

  it('templates fill the task', async () => {
    renderApp(new FakeCairn(), { view: 'new' });
    const task = (await screen.findByLabelText('Task')) as HTMLTextAreaElement;
    expect(task.value).toMatch(/^Summarise/);
    fireEvent.click(screen.getByRole('radio', { name: 'Risks' }));
    expect(task.value).toMatch(/^Identify the risks/);
    fireEvent.click(screen.getByRole('radio', { name: 'Custom' }));
    expect(task.value).toBe('');
    for (const name of ['Summary', 'Obligations', 'Key figures', 'Question']) expect(screen.getByRole('radio', { name })).toBeTruthy();
  });

  it('an edited preset task runs as a custom task; a question is sent without the instruction', async () => {
    const fake = withDocs();
    renderApp(fake, { view: 'new' });
    await addDocs();
    fireEvent.click(screen.getByRole('radio', { name: 'Risks' }));
    const task = screen.getByLabelText('Task') as HTMLTextAreaElement;
    fireEvent.change(task, { target: { value: 'Identify the data-protection risks only.' } });
    expect(screen.getByTestId('task-edited').textContent).toMatch(/runs as a custom task/);
    await waitFor(() => expect(button('Estimate cost and time').disabled).toBe(false));
    fireEvent.click(button('Estimate cost and time'));
    await screen.findByTestId('estimate');
    expect(fake.callsOf('sessionsEstimate').at(-1)).toMatchObject({ template: 'custom', task: 'Identify the data-protection risks only.' });

    fireEvent.click(screen.getByRole('radio', { name: 'Question' }));
    const question = screen.getByRole('textbox', { name: 'Question' }) as HTMLTextAreaElement;
    expect(question.value).toBe('');
    expect(button('Estimate cost and time').disabled).toBe(true);
    fireEvent.change(question, { target: { value: 'When can the customer terminate?' } });
    fireEvent.click(button('Estimate cost and time'));
    await screen.findByTestId('estimate');
    expect(fake.callsOf('sessionsEstimate').at(-1)).toMatchObject({ template: 'question', task: 'When can the customer terminate?' });

    fireEvent.click(screen.getByRole('radio', { name: 'Obligations' }));
    expect(screen.queryByTestId('task-edited')).toBeNull();
    fireEvent.click(button('Estimate cost and time'));
    await screen.findByTestId('estimate');
    expect(fake.callsOf('sessionsEstimate').at(-1)).toMatchObject({ template: 'obligations', task: expect.stringMatching(/^Extract every obligation/) });
  });

  it('counts pages and chunks in the singular and plural', async () => {
    const fake = new FakeCairn();
    fake.pickPaths = ['/docs/one.md'];
    fake.previews.set('/docs/one.md', { path: '/docs/one.md', name: 'one.md', ok: true, pages: 1, sample: 'x', tokens: 90, chunks: 1, warnings: [], error: null });
    renderApp(fake, { view: 'new' });
    const [card] = await addDocs();
    expect(card!.textContent).toContain('1 page');
    expect(card!.textContent).not.toContain('1 pages');
    expect(card!.textContent).toContain('1 chunk');
    expect(card!.textContent).not.toContain('1 chunks');
  });

  it('estimates before starting, then starts with the chosen provider, model and budget', async () => {
    const fake = withDocs();
    fake.settings = makeSettings({ defaultProvider: 'OpenAI' });
    renderApp(fake, { view: 'new' });
    await addDocs();
    await waitFor(() => expect((screen.getByLabelText('Provider') as HTMLSelectElement).value).toBe('OpenAI'));
    expect((screen.getByLabelText('Model') as HTMLInputElement).value).toBe(OPENAI.model);
    fireEvent.change(screen.getByLabelText('Budget in USD (optional)'), { target: { value: '2.5' } });
    expect(button('Start analysis').disabled).toBe(true);
    fireEvent.click(button('Estimate cost and time'));
    const estimate = await screen.findByTestId('estimate');
    expect(estimate.textContent).toContain('12');
    expect(estimate.textContent).toContain('about $0.12');
    expect(estimate.textContent).toContain('about 1 min 35 s');
    expect(button('Start analysis').disabled).toBe(false);
    fireEvent.change(screen.getByLabelText('Name (optional)'), { target: { value: 'Lease 2026' } });
    expect(button('Start analysis').disabled).toBe(true);
    fireEvent.click(button('Estimate cost and time'));
    await screen.findByTestId('estimate');
    fireEvent.click(button('Start analysis'));
    expect(await screen.findByRole('heading', { name: 'Lease 2026', level: 1 })).toBeTruthy();
    expect(fake.callsOf('sessionsCreate')).toEqual([{
      task: expect.stringMatching(/^Summarise/), template: 'summary', providerName: 'OpenAI', model: OPENAI.model,
      documents: ['/docs/lease.pdf'], budgetUsd: 2.5, start: true, name: 'Lease 2026',
    }]);
  });

  it('labels the simulator and rejects a bad budget', async () => {
    renderApp(withDocs(), { view: 'new' });
    await addDocs();
    await waitFor(() => expect(screen.getByText(/Answers will come from the built-in simulator/)).toBeTruthy());
    fireEvent.change(screen.getByLabelText('Budget in USD (optional)'), { target: { value: '-3' } });
    expect(screen.getByText(/Enter a positive amount/)).toBeTruthy();
    expect(button('Estimate cost and time').disabled).toBe(true);
  });

  it('shows estimate and start errors with their fixes', async () => {
    const fake = withDocs();
    fake.failNext('sessionsEstimate', { code: 'no-price', message: 'The price table has no entry for sim-1.', hint: 'Open Settings → Prices to add one.' });
    fake.failNext('sessionsCreate', { code: 'auth', message: 'No API key is stored for OpenAI.', hint: 'Open Settings → Providers to add the key.' });
    renderApp(fake, { view: 'new' });
    await addDocs();
    await waitFor(() => expect(button('Estimate cost and time').disabled).toBe(false));
    fireEvent.click(button('Estimate cost and time'));
    const noEstimate = await screen.findByRole('alert', { name: 'No estimate' });
    expect(within(noEstimate).getByRole('button', { name: 'Open Settings → Prices' })).toBeTruthy();
    fireEvent.click(button('Estimate cost and time'));
    await screen.findByTestId('estimate');
    fireEvent.click(button('Start analysis'));
    const failed = await screen.findByRole('alert', { name: 'The analysis did not start' });
    expect(failed.textContent).toContain('No API key is stored for OpenAI.');
    fireEvent.click(within(failed).getByRole('button', { name: 'Open Settings → Providers' }));
    expect(await screen.findByRole('heading', { name: 'Providers and keys' })).toBeTruthy();
  });

  it('without providers, points to Settings → Providers', async () => {
    const fake = new FakeCairn();
    fake.settings = makeSettings({ providers: [], defaultProvider: null });
    renderApp(fake, { view: 'new' });
    const panel = await screen.findByRole('alert', { name: 'No provider configured' });
    expect(within(panel).getByRole('button', { name: 'Open Settings → Providers' })).toBeTruthy();
  });

  it('reports a preview failure and a drop the shell cannot resolve', async () => {
    const fake = withDocs();
    fake.failNext('documentsPreview', { code: 'engine-down', message: 'The engine is restarting.', hint: 'Try again in a few seconds.' });
    renderApp(fake, { view: 'new' });
    fireEvent.click(await screen.findByRole('button', { name: 'Add documents…' }));
    expect((await screen.findByRole('alert', { name: 'Documents could not be added' })).textContent).toContain('The engine is restarting.');
    const file = new File(['x'], 'dropped.pdf');
    fireEvent.drop(screen.getByTestId('dropzone'), { dataTransfer: { files: [file] } });
    expect((await screen.findByRole('alert', { name: 'Documents could not be added' })).textContent).toContain('Dropped files cannot be read here.');
  });
});
