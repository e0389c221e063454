import type { StateCreator } from 'zustand';
import type { BackupInfo } from '../../shared/domain.ts';
import type { BackupSession } from '../../shared/ipc/backups.ts';
import type { Api } from '../api.ts';
import { i18n } from '../i18n/i18n.ts';
import type { AppState, LoadState } from './app-store.ts';
import { asReason } from './ui-slice.ts';

export interface BackupsSlice {
  backups: {
    items: BackupInfo[]; load: LoadState; busy: string | null;
    /** The sessions inside one backup (read from the backup, not the live data), for the restore dialog. */
    contents: { backupId: string | null; load: LoadState; items: BackupSession[] };
  };
  loadBackups(): Promise<void>;
  loadBackupContents(id: string): Promise<void>;
  createBackup(): Promise<void>;
  verifyBackup(id: string): Promise<void>;
  /** `sessionIds` (new-session mode): those sessions of the backup; without, every one. */
  restoreBackup(id: string, mode: 'replace' | 'new-session', sessionIds?: string[]): Promise<boolean>;
  pruneBackups(): Promise<void>;
  upsertBackup(backup: BackupInfo): void;
}

const newestFirst = (a: BackupInfo, b: BackupInfo) => b.createdAt.localeCompare(a.createdAt);

export const createBackupsSlice = (api: Api): StateCreator<AppState, [], [], BackupsSlice> => (set, get) => {
  const busy = async (label: string, work: () => Promise<void>, failure: string) => {
    set((s) => ({ backups: { ...s.backups, busy: label } }));
    try {
      await work();
    } catch (error) {
      get().reportError(error, failure);
    } finally {
      set((s) => ({ backups: { ...s.backups, busy: null } }));
    }
  };
  return {
    backups: { items: [], load: { status: 'idle' }, busy: null, contents: { backupId: null, load: { status: 'idle' }, items: [] } },
    loadBackups: async () => {
      set((s) => ({ backups: { ...s.backups, load: { status: 'loading' } } }));
      try {
        const { items } = await api.backupsList({});
        set((s) => ({ backups: { ...s.backups, items: items.slice().sort(newestFirst), load: { status: 'ready' } } }));
      } catch (error) {
        set((s) => ({ backups: { ...s.backups, load: { status: 'error', error: asReason(error) } } }));
      }
    },
    loadBackupContents: async (id) => {
      set((s) => ({ backups: { ...s.backups, contents: { backupId: id, load: { status: 'loading' }, items: [] } } }));
      try {
        const { items } = await api.backupsSessions({ id });
        set((s) => (s.backups.contents.backupId === id ? { backups: { ...s.backups, contents: { backupId: id, load: { status: 'ready' }, items } } } : {}));
      } catch (error) {
        set((s) => (s.backups.contents.backupId === id ? { backups: { ...s.backups, contents: { backupId: id, load: { status: 'error', error: asReason(error) }, items: [] } } } : {}));
      }
    },
    upsertBackup: (backup) =>
      set((s) => ({ backups: { ...s.backups, items: [backup, ...s.backups.items.filter((b) => b.id !== backup.id)].sort(newestFirst) } })),
    createBackup: () =>
      busy('create', async () => {
        const b = await api.backupsCreate({});
        get().upsertBackup(b);
        get().pushToast({ kind: b.verified === 'failed' ? 'error' : 'success', message: i18n.t(b.verified === 'failed' ? 'backups.createdDamaged' : 'backups.createdOk') });
      }, i18n.t('backups.createFailed')),
    verifyBackup: (id) =>
      busy(id, async () => {
        const b = await api.backupsVerify({ id });
        get().upsertBackup(b);
        get().pushToast(b.verified === 'ok' ? { kind: 'success', message: i18n.t('backups.intact') } : { kind: 'error', message: i18n.t('backups.damaged'), hint: i18n.t('backups.damagedHint') });
      }, i18n.t('backups.verifyFailed')),
    restoreBackup: async (id, mode, sessionIds) => {
      let ok = false;
      await busy(id, async () => {
        const res = await api.backupsRestore({ id, mode, ...(sessionIds?.length ? { sessionIds } : {}) });
        const safety = res.safetyBackupId ? i18n.t('backups.safetyTaken') : '';
        get().pushToast({ kind: 'success', message: `${i18n.t('backups.restored', { count: res.restoredSessions.length })}${safety}` });
        ok = true;
        await Promise.all([get().loadSessions(), get().loadBackups()]);
      }, i18n.t('backups.restoreFailed'));
      return ok;
    },
    pruneBackups: () =>
      busy('prune', async () => {
        const { removed } = await api.backupsPrune({});
        get().pushToast({ kind: 'info', message: i18n.t('backups.pruned', { count: removed.length }) });
        await get().loadBackups();
      }, i18n.t('backups.pruneFailed')),
  };
};
