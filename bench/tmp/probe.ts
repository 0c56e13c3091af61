import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { SwitchboardClient, Worker } from '../../client';
import { spawnDaemon, startRedis } from '../lib';
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
async function main() {
  const redis = await startRedis();
  const daemon = await spawnDaemon(mkdtempSync(join(tmpdir(), 'sb-p-')), ['--redis', redis.url]);
  const C = Number(process.env.C ?? 8), JOBS = 20000, PF = Number(process.env.PF ?? 49);
  const clients = await Promise.all(Array.from({ length: C + 1 }, () => SwitchboardClient.connect({ url: daemon.url, token: daemon.token })));
  const r = new IORedis(redis.url);
  const redisPid = Number((await r.info('server')).match(/process_id:(\d+)/)![1]);
  for (let i = 0; i < JOBS; i += 100) await Promise.all(Array.from({ length: 100 }, (_, k) => clients[0]!.call('queue.enqueue', { queue: 'p', payload: { n: i + k } }, { batch: true })));
  await r.config('RESETSTAT');
  const c0 = [cpu(process.pid), cpu(daemon.child.pid!), cpu(redisPid)];
  const t0 = performance.now();
  let done = 0; let ws: Worker[] = []; const tick = setInterval(() => process.stdout.write(`${Math.round(performance.now() - t0)}ms ${done}\n`), 250);
  await new Promise<void>((res) => { ws = clients.slice(1).map((c) => new Worker(c, 'p', () => { if (++done === JOBS) res(); }, { prefetch: PF }).start()); });
  const el = performance.now() - t0; clearInterval(tick);
  const c1 = [cpu(process.pid), cpu(daemon.child.pid!), cpu(redisPid)];
  console.log(`C=${C} PF=${PF}: ${Math.round(JOBS / (el / 1000))} jobs/s; cpu ms bench ${c1[0]! - c0[0]!} daemon ${c1[1]! - c0[1]!} redis ${c1[2]! - c0[2]!} of ${Math.round(el)} ms`);
  console.log((await r.info('commandstats')).split('\n').filter((l) => /calls=/.test(l)).join('\n'));
  await Promise.all(ws.map((w) => w.stop())); for (const c of clients) c.close(); await r.quit();
  daemon.child.kill('SIGTERM'); await daemon.exited; await redis.stop();
}
void main();
