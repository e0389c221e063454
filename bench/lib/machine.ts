// The machine a run came from, so figures from two runs can be compared honestly.
import { execFileSync } from 'node:child_process';
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  platform: string;
  kernel: string;
  node: string;
  tmpDir: string;
  filesystem: string;
  diskFreeGb: number;
  diskTotalGb: number;
  chromium: string | null;
}

/** The filesystem type of the mount holding `dir`, from /proc/self/mounts (longest matching mount point). */
function filesystemOf(dir: string): string {
  try {
    let best = { point: '', type: 'unknown', device: '' };
    for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
      const [device = '', point = '', type = ''] = line.split(' ');
      const inside = dir === point || dir.startsWith(point.endsWith('/') ? point : `${point}/`);
      if (inside && point.length >= best.point.length) best = { point, type, device };
    }
    return `${best.type} (${best.device} on ${best.point})`;
  } catch {
    return 'unknown (no /proc/self/mounts)';
  }
}

function chromiumVersion(): string | null {
  for (const name of [process.env.CHROMIUM_PATH, 'chromium', 'chromium-browser']) {
    if (!name) continue;
    try {
      return execFileSync(name, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
    } catch {
      // not this one
    }
  }
  return null;
}

export function describeMachine(): MachineInfo {
  const tmp = os.tmpdir();
  const fs = statfsSync(tmp);
  const gb = (n: number) => Math.round((n / 1024 ** 3) * 10) / 10;
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: gb(os.totalmem()),
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    node: process.versions.node,
    tmpDir: tmp,
    filesystem: filesystemOf(tmp),
    diskFreeGb: gb(fs.bavail * fs.bsize),
    diskTotalGb: gb(fs.blocks * fs.bsize),
    chromium: chromiumVersion(),
  };
}
