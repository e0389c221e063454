import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCairn } from '../fake-api.ts';
import { renderApp } from '../render-app.tsx';

afterEach(() => {
  delete document.documentElement.dataset.theme;
});

const card = (name: string) => screen.getByRole('listitem', { name: `Provider ${name}` });

describe('Settings: providers and keys', () => {
  it('lists providers, labels the simulator, and tests a connection', async () => {
    const fake = new FakeCairn();
    renderApp(fake, { view: 'settings' });
    await screen.findByRole('listitem', { name: 'Provider Simulator' });
    expect(within(card('Simulator')).getByText('Simulator', { selector: '.badge' })).toBeTruthy();
    expect(within(card('OpenAI')).queryByText('Simulator', { selector: '.badge' })).toBeNull();
    fireEvent.click(within(card('Simulator')).getByRole('button', { name: 'Test connection' }));
    expect((await within(card('Simulator')).findByTestId('provider-test-result')).textContent).toContain('Connected.');
    fake.providerTest = { ok: false, models: [], message: 'The API key was rejected by OpenAI (401).', hint: 'Replace the key below.' };
    fireEvent.click(within(card('OpenAI')).getByRole('button', { name: 'Test connection' }));
    const result = await within(card('OpenAI')).findByRole('alert');
    expect(result.textContent).toContain('rejected by OpenAI (401)');
    expect(result.textContent).toContain('Replace the key below.');
  });

  it('adds a provider after validating it', async () => {
    const fake = new FakeCairn();
    renderApp(fake, { view: 'settings', section: 'providers' });
    fireEvent.click(await screen.findByRole('button', { name: 'Add provider' }));
    const form = screen.getByRole('form', { name: 'Add provider' });
    fireEvent.change(within(form).getByLabelText('Profile name'), { target: { value: 'Local' } });
    fireEvent.change(within(form).getByLabelText('Base URL'), { target: { value: 'not a url' } });
    fireEvent.change(within(form).getByLabelText('Default model'), { target: { value: 'llama3' } });
    fireEvent.change(within(form).getByLabelText('API key from'), { target: { value: 'none' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/^baseUrl:/);
    expect(fake.callsOf('providersSave')).toHaveLength(0);
    fireEvent.change(within(form).getByLabelText('Base URL'), { target: { value: 'http://127.0.0.1:11434/v1' } });
    fireEvent.change(within(form).getByLabelText(/Extra headers/), { target: { value: 'X-Team: analysts' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(await screen.findByRole('listitem', { name: 'Provider Local' })).toBeTruthy();
    expect(fake.callsOf('providersSave')).toEqual([{ profile: { name: 'Local', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3', headers: { 'X-Team': 'analysts' }, keySource: { kind: 'none' }, simulator: false } }]);
  });

  it('edits a provider to read its key from an environment variable', async () => {
    const fake = new FakeCairn();
    renderApp(fake, { view: 'settings' });
    await screen.findByRole('listitem', { name: 'Provider OpenAI' });
    fireEvent.click(within(card('OpenAI')).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit provider OpenAI' });
    fireEvent.change(within(form).getByLabelText('API key from'), { target: { value: 'env' } });
    fireEvent.change(within(form).getByLabelText('Variable name'), { target: { value: 'OPENAI_API_KEY' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(await within(await screen.findByRole('listitem', { name: 'Provider OpenAI' })).findByText('OPENAI_API_KEY')).toBeTruthy();
  });

  it('keys are write-only: sent once, cleared, never shown back', async () => {
    const fake = new FakeCairn();
    const { container } = renderApp(fake, { view: 'settings' });
    await screen.findByRole('listitem', { name: 'Provider OpenAI' });
    expect(within(card('OpenAI')).getByTestId('key-status').textContent).toBe('No key stored yet.');
    const input = within(card('OpenAI')).getByLabelText('API key for OpenAI') as HTMLInputElement;
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: 'sk-secret-123' } });
    fireEvent.click(within(card('OpenAI')).getByRole('button', { name: 'Save key' }));
    await waitFor(() => expect(within(card('OpenAI')).getByTestId('key-status').textContent).toBe('A key is stored for this provider.'));
    expect(fake.callsOf('keysSet')).toEqual([{ profile: 'OpenAI', key: 'sk-secret-123' }]);
    const replace = within(card('OpenAI')).getByLabelText('Replace API key for OpenAI') as HTMLInputElement;
    expect(replace.value).toBe('');
    expect(container.innerHTML).not.toContain('sk-secret-123');
    fireEvent.click(within(card('OpenAI')).getByRole('button', { name: 'Delete key' }));
    await waitFor(() => expect(within(card('OpenAI')).getByTestId('key-status').textContent).toBe('No key stored yet.'));
  });

  it('warns when the OS keyring is unavailable', async () => {
    const fake = new FakeCairn();
    fake.encryptionAvailable = false;
    renderApp(fake, { view: 'settings' });
    expect((await screen.findByTestId('keyring-warning')).textContent).toContain('basic_text');
  });

  it('a rejected key save says why', async () => {
    const fake = new FakeCairn();
    fake.failNext('keysSet', { code: 'keyring-unavailable', message: 'The OS keyring refused to store the key.', hint: 'Use an environment variable instead.' });
    renderApp(fake, { view: 'settings' });
    await screen.findByRole('listitem', { name: 'Provider OpenAI' });
    fireEvent.change(within(card('OpenAI')).getByLabelText('API key for OpenAI'), { target: { value: 'sk-x' } });
    fireEvent.click(within(card('OpenAI')).getByRole('button', { name: 'Save key' }));
    expect((await screen.findByTestId('toast')).textContent).toContain('Key not stored: The OS keyring refused to store the key.');
  });
});

describe('Settings: prices, engine, general', () => {
  it('edits the price table', async () => {
    const fake = new FakeCairn();
    renderApp(fake, { view: 'settings', section: 'prices' });
    fireEvent.click(await screen.findByRole('button', { name: 'Add price' }));
    fireEvent.change(screen.getByLabelText('Model of price row 1'), { target: { value: 'gpt-4.1-mini' } });
    fireEvent.change(screen.getByLabelText('Input price of gpt-4.1-mini'), { target: { value: '0.4' } });
    expect((screen.getByRole('button', { name: 'Save prices' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Output price of gpt-4.1-mini'), { target: { value: '1.6' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save prices' }));
    await waitFor(() => expect(fake.callsOf('settingsSet')).toHaveLength(1));
    expect(fake.callsOf('settingsSet')[0]).toEqual({ prices: [{ model: 'gpt-4.1-mini', inputPerMTok: 0.4, outputPerMTok: 1.6, setAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }] });
  });

  it('saves checkpoint interval, retry policy, resume policy and auto-resume', async () => {
    const fake = new FakeCairn();
    renderApp(fake, { view: 'settings', section: 'engine' });
    fireEvent.change(await screen.findByLabelText('Checkpoint interval for streamed text (ms)'), { target: { value: '500' } });
    fireEvent.change(screen.getByLabelText('Retry attempts per step'), { target: { value: '0' } });
    expect((screen.getByRole('button', { name: 'Save engine settings' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Retry attempts per step'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('radio', { name: /Continue from the partial text/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Resume interrupted sessions automatically/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save engine settings' }));
    await waitFor(() => expect(fake.callsOf('settingsSet')).toEqual([{
      checkpointIntervalMs: 500, retry: { maxAttempts: 5, baseMs: 1_000, capMs: 60_000, stallMs: 60_000 }, resumePolicy: 'continue', autoResume: true,
    }]));
  });

  it('theme follows the system by default and the setting overrides it', async () => {
    const fake = new FakeCairn();
    renderApp(fake, { view: 'settings', section: 'general' });
    const theme = (await screen.findByLabelText('Theme')) as HTMLSelectElement;
    expect(theme.value).toBe('system');
    expect(document.documentElement.dataset.theme).toBeUndefined();
    fireEvent.change(theme, { target: { value: 'dark' } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    fireEvent.change(screen.getByLabelText('Theme'), { target: { value: 'system' } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
  });

  it('shows the data directory and saves a new one', async () => {
    const fake = new FakeCairn();
    renderApp(fake, { view: 'settings', section: 'general' });
    expect(await screen.findByText('/home/analyst/.local/share/cairn')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Data directory/), { target: { value: '/data/cairn' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save data directory' }));
    await waitFor(() => expect(fake.callsOf('settingsSet')).toEqual([{ dataDir: '/data/cairn' }]));
  });

  it('Copy diagnostics asks main for the report and copies it through main', async () => {
    const fake = new FakeCairn();
    renderApp(fake, { view: 'settings', section: 'general' });
    fireEvent.click(await screen.findByRole('button', { name: 'Copy diagnostics' }));
    await waitFor(() => expect(fake.callsOf('appCopyText')).toEqual([{ text: 'Cairn 0.1.0 on linux' }]));
    expect(fake.callsOf('appDiagnostics')).toHaveLength(1);
    expect(await screen.findByText(/Diagnostics copied/)).toBeTruthy();
  });

  it('shows a settings-file warning and a load error', async () => {
    const fake = new FakeCairn();
    fake.settingsWarning = 'settings.json was unreadable and was moved to settings.json.corrupt-2026; defaults are in use.';
    fake.failNext('providersList', { code: 'io', message: 'Settings could not be read.' });
    renderApp(fake, { view: 'settings' });
    expect((await screen.findByRole('alert', { name: 'Settings could not be loaded' })).textContent).toContain('Settings could not be read.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect((await screen.findByTestId('settings-warning')).textContent).toContain('corrupt-2026');
  });
});
