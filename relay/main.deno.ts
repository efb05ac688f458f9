/** Entry point for Deno: `deno run --allow-net --allow-read --allow-env relay/main.deno.ts [options]`. */

import { denoFiles, hasClientBuild } from './adapters/deno/files.ts';
import { serveDeno } from './adapters/deno/serve.ts';
import { createAgent } from './agents/create.ts';
import { helpText, OPTIONS, parseConfig } from './config.ts';
import { createLogger } from './core/logger.ts';
import { Relay } from './core/relay.ts';
import { createRedisBackend } from './redis/create.ts';

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
  console.log(helpText('deno run --allow-net --allow-read --allow-env relay/main.deno.ts'));
  Deno.exit(0);
}
const { config } = parsed;
const staticDir = config.staticDir ?? new URL('../dist', import.meta.url).pathname;
const serveFiles = await hasClientBuild(staticDir);
if (config.staticDir && !serveFiles) {
  console.error(`parley relay: --static ${config.staticDir} has no index.html (run npm run build)`);
  Deno.exit(2);
}
const logger = createLogger(config.logLevel);
const agent = createAgent(config, logger);
let backend;
if (config.redisUrl) {
  try {
    const replay = { maxEvents: config.replayMaxEvents, maxAgeMs: config.replayMaxAgeSec * 1000 };
    backend = await createRedisBackend(config.redisUrl, { agent, logger, now: Date.now }, replay);
  } catch (err) {
    console.error(`parley relay: --redis-url: ${err instanceof Error ? err.message : String(err)}`);
    Deno.exit(1);
  }
}
const relay = new Relay({
  config,
  logger,
  agent,
  ...(backend ? { backend } : {}),
  ...(serveFiles ? { files: denoFiles(staticDir) } : {}),
});
const server = serveDeno(relay);
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
