/** Entry point for Node: `node build/relay/main.node.js [options]`. */

import { fileURLToPath } from 'node:url';
import { hasClientBuild, nodeFiles } from './adapters/node/files.ts';
import { serveNode } from './adapters/node/serve.ts';
import { buildRelay } from './bootstrap.ts';
import { helpText, parseConfig } from './config.ts';

const parsed = parseConfig(process.argv.slice(2), process.env);
if (!parsed.ok) {
  console.error(`parley relay: ${parsed.error}`);
  process.exit(2);
}
if (parsed.help) {
  console.log(helpText('node build/relay/main.node.js'));
  process.exit(0);
}
const { config } = parsed;
// The default static root is the repo's dist/, found relative to this file in both source and build layouts.
const staticDir = config.staticDir ?? fileURLToPath(new URL('../../dist', import.meta.url));
const serveFiles = await hasClientBuild(staticDir);
if (config.staticDir && !serveFiles) {
  console.error(`parley relay: --static ${config.staticDir} has no index.html (run npm run build)`);
  process.exit(2);
}
const built = await buildRelay(config, serveFiles ? nodeFiles(staticDir) : undefined);
if (typeof built === 'string') {
  console.error(`parley relay: ${built}`);
  process.exit(1);
}
const relay = built;
let server;
try {
  server = await serveNode(relay, config);
} catch (err) {
  console.error(`parley relay: cannot listen: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
relay.logger.info('relay listening', {
  url: server.url,
  agent: config.agent,
  epoch: relay.epoch,
  client: serveFiles,
  shared: config.redisUrl ? 'redis' : 'none',
});
console.log(
  `\n  Parley is running: ${server.url}/${serveFiles ? '' : '  (no client build found: run npm run build)'}\n`,
);

const shutdown = (signal: string) => {
  relay.logger.info('relay stopping', { signal });
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
