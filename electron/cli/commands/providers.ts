// `cairn providers list|add|test`: provider profiles shared with the desktop app.
import { ProviderProfileSchema, type ProviderProfile } from '../../../shared/domain.ts';
import { testConnection } from '../../engine/provider/connection-test.ts';
import { describeKeySource } from '../../engine/provider/keys.ts';
import { saveSettings } from '../cli-settings.ts';
import type { CliContext } from '../cli-context.ts';
import { CliError, type ExitCode } from '../cli-error.ts';

export interface ProviderOptions {
  name?: string;
  baseUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  header?: string[];
  default?: boolean;
}

function headers(list: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf('=');
    if (i <= 0) throw new CliError(2, 'invalid_input', `--header ${h}: use name=value.`);
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

export async function providersCommand(ctx: CliContext, action: string, name: string | undefined, opts: ProviderOptions): Promise<ExitCode> {
  const settings = ctx.settings;
  switch (action) {
    case 'list': {
      const items = settings.providers.map((p) => ({ name: p.name, baseUrl: p.baseUrl, model: p.model, key: describeKeySource(p.keySource), default: settings.defaultProvider === p.name }));
      if (ctx.json) ctx.emitJson(items);
      else if (items.length === 0) ctx.print('No providers configured: runs use the built-in simulator. Add one with: cairn providers add --name DeepSeek --base-url https://api.deepseek.com/v1 --model deepseek-chat --api-key-env DEEPSEEK_API_KEY');
      else items.forEach((p) => ctx.print(`${p.default ? '*' : ' '} ${p.name}  ${p.model}  ${p.baseUrl}  key: ${p.key}`));
      return 0;
    }
    case 'add': {
      const parsed = ProviderProfileSchema.safeParse({
        name: opts.name ?? name, baseUrl: opts.baseUrl, model: opts.model, headers: headers(opts.header),
        keySource: opts.apiKeyEnv ? { kind: 'env', variable: opts.apiKeyEnv } : { kind: 'none' }, simulator: false,
      });
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new CliError(2, 'invalid_input', `Invalid provider: ${i?.path.join('.')}: ${i?.message}.`, 'Needs --name, --base-url (https://…/v1) and --model; keys come from --api-key-env VAR, never from the command line.');
      }
      const providers = [...settings.providers.filter((p) => p.name !== parsed.data.name), parsed.data];
      saveSettings(ctx.loaded, { ...settings, providers, defaultProvider: opts.default || !settings.defaultProvider ? parsed.data.name : settings.defaultProvider });
      if (ctx.json) ctx.emitJson({ added: parsed.data.name });
      else ctx.print(`Saved provider ${parsed.data.name}. Test it with: cairn providers test ${parsed.data.name}`);
      return 0;
    }
    case 'test': {
      const target = name ?? opts.name;
      let profile: ProviderProfile | undefined = settings.providers.find((p) => p.name === target);
      if (!target) profile = ctx.simulatorProfile(await ctx.simulator());
      if (!profile) throw new CliError(2, 'not_found', `No provider named "${target}".`, 'See cairn providers list.');
      const r = await testConnection(profile, { env: process.env });
      if (ctx.json) ctx.emitJson(r);
      else {
        ctx.print(`${r.ok ? 'OK' : 'FAILED'}: ${r.message}`);
        if (r.hint) ctx.print(`  ${r.hint}`);
        if (r.models.length) ctx.print(`  models: ${r.models.slice(0, 20).join(', ')}${r.models.length > 20 ? ', …' : ''}`);
      }
      return r.ok ? 0 : 3;
    }
    default:
      throw new CliError(2, 'invalid_input', `Unknown providers action "${action}".`, 'Use list, add or test.');
  }
}
