// The transport-free half of the router: validate a request against the
// contract, run its handler, validate the response, and turn failures into
// `{code, message, hint}`. Shared by the Electron router and the in-process
// bridge the Chromium e2e tests use, so both enforce the same contract.
import {
  channels, type ChannelName, type IpcResult, type ParsedRequestOf, type ResponseOf,
} from '../../shared/ipc/index.ts';
import { toIpcError } from '../service/ipc-errors.ts';

export type ContractHandler<C extends ChannelName, Ctx> = (request: ParsedRequestOf<C>, ctx: Ctx) => Promise<ResponseOf<C>> | ResponseOf<C>;

export async function runContract<C extends ChannelName, Ctx>(
  name: C,
  payload: unknown,
  handler: ContractHandler<C, Ctx> | undefined,
  ctx: Ctx,
  log?: (line: string) => void,
): Promise<IpcResult<ResponseOf<C>>> {
  const def = channels[name];
  const parsed = def.request.safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, error: { code: 'invalid_request', message: `Invalid ${name} request${where}: ${issue?.message ?? 'wrong shape'}.` } };
  }
  if (!handler) return { ok: false, error: { code: 'not_implemented', message: `${name} is not available in this build.` } };
  try {
    const value = await handler(parsed.data as ParsedRequestOf<C>, ctx);
    const checked = def.response.safeParse(value);
    if (!checked.success) {
      log?.(`ipc ${name}: handler returned a value outside the contract: ${checked.error.message}`);
      return { ok: false, error: { code: 'internal', message: `Cairn produced an invalid ${name} response.`, hint: 'This is a bug in Cairn. Your data is safe.' } };
    }
    return { ok: true, value: checked.data as ResponseOf<C> };
  } catch (err) {
    const error = toIpcError(err);
    log?.(`ipc ${name}: ${error.code}: ${error.message}`);
    return { ok: false, error };
  }
}
