// Rewrites the configuration table in README.md from relay/config.ts's OPTIONS (run after `npm run build:relay`).
import { readFileSync, writeFileSync } from 'node:fs';

const { OPTIONS, DEFAULTS } = await import('../build/relay/config.js');
const shown = (o) => {
  const d = DEFAULTS[o.key];
  if (o.kind === 'secret' || d === undefined || (Array.isArray(d) && d.length === 0)) return '—';
  return `\`${Array.isArray(d) ? d.join(',') : d}\``;
};
const rows = OPTIONS.map((o) => `| \`--${o.flag}\` | \`${o.env}\` | ${shown(o)} | ${o.help} |`);
const table = ['| Flag | Environment | Default | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
const readme = readFileSync('README.md', 'utf8');
const start = '<!-- config-table:start -->';
const end = '<!-- config-table:end -->';
const i = readme.indexOf(start);
const j = readme.indexOf(end);
if (i === -1 || j === -1) throw new Error('README.md lacks the config-table markers');
writeFileSync('README.md', `${readme.slice(0, i + start.length)}\n\n${table}\n\n${readme.slice(j)}`);
console.log(`README.md: ${OPTIONS.length} options`);
