// `npm run dev`: compiles the relay, starts it with the demo agent on 8787, and runs Vite's dev
// server (hot reload) on 5173, which proxies /ws, /healthz and /auth to the relay.
import { spawn, spawnSync } from 'node:child_process';

const tsc = spawnSync('npx', ['tsc', '-p', 'relay/tsconfig.build.json'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const children = [
  spawn(process.execPath, ['build/relay/main.node.js', '--port', '8787', ...process.argv.slice(2)], {
    stdio: 'inherit',
  }),
  spawn('npx', ['vite', '--port', '5173', '--strictPort'], { stdio: 'inherit' }),
];
const stop = () => {
  for (const child of children) if (child.pid) child.kill('SIGTERM');
};
for (const child of children) child.on('exit', (code) => (stop(), process.exit(code ?? 0)));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
