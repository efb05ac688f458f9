/** Entry point for Deno: `deno run --allow-net --allow-read --allow-write=./data --allow-env relay/main.deno.ts [options]`. */

import { denoFiles, hasClientBuild } from './adapters/deno/files.ts';
import { serveDeno } from './adapters/deno/serve.ts';
import { buildRelay } from './bootstrap.ts';
import { helpText, OPTIONS, parseConfig } from './config.ts';

// Read only Parley's own variables, so --allow-env can be narrowed to PARLEY_*.
const env: Record<string, string | undefined> = {};
for (const opt of OPTIONS) {
  env[opt.env] = Deno.env.get(opt.env);
  // Another tool's name (OPENAI_API_KEY) is read only where --allow-env grants it, so PARLEY_* stays enough.
  const alias = opt.envAlias;
  if (alias && Deno.permissions.querySync({ name: 'env', variable: alias }).state === 'granted')
    env[alias] = Deno.env.get(alias);
}

const parsed = parseConfig(Deno.args, env);
if (!parsed.ok) {
  console.error(`parley relay: ${parsed.error}`);
  Deno.exit(2);
}
if (parsed.help) {
  console.log(helpText('deno run --allow-net --allow-read --allow-write=./data --allow-env relay/main.deno.ts'));
  Deno.exit(0);
}
const { config } = parsed;
const staticDir = config.staticDir ?? new URL('../dist', import.meta.url).pathname;
const serveFiles = await hasClientBuild(staticDir);
if (config.staticDir && !serveFiles) {
  console.error(`parley relay: --static ${config.staticDir} has no index.html (run npm run build)`);
  Deno.exit(2);
}
const built = await buildRelay(config, serveFiles ? denoFiles(staticDir) : undefined);
if (typeof built === 'string') {
  console.error(`parley relay: ${built}`);
  Deno.exit(1);
}
const relay = built;
const server = serveDeno(relay, config);
const url = await server.url;
relay.logger.info('relay listening', {
  url,
  agent: config.agent,
  epoch: relay.epoch,
  client: serveFiles,
  runtime: 'deno',
});
console.log(`\n  Parley is running on Deno: ${url}/\n`);

const stop = () => void server.shutdown().then(() => Deno.exit(0));
Deno.addSignalListener('SIGINT', stop);
Deno.addSignalListener('SIGTERM', stop);
