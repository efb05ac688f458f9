// Lighthouse (mobile preset, performance only) of the relay-served app: `npm run lighthouse [-- --runs 5]`
// (`-- --static DIR` serves another build instead of dist/).
// Lighthouse 13 needs Node >= 22.19 and this project runs on Node 20, so the script installs Node 22 and
// Lighthouse from the npm registry into a cache directory outside the repository the first time, and runs
// Lighthouse with that Node against the built relay (dist/ served as shipped, with precompressed assets). It
// prints every run and the medians. Kept out of `npm test`: it needs the registry once and takes a minute a run.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOOLS = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'parley-lighthouse');
const NODE22 = join(TOOLS, 'node_modules', '.bin', 'node');
const LIGHTHOUSE = join(TOOLS, 'node_modules', 'lighthouse', 'cli', 'index.js');
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

const staticArg = process.argv.indexOf('--static');
/** Another build to serve (for an A/B: e.g. a copy of dist/ without its precompressed files). */
const staticDir = staticArg > 0 ? process.argv[staticArg + 1] : undefined;
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
  console.error('lighthouse: --runs must be a whole number from 1 to 20');
  process.exit(2);
}
if (!existsSync(join(ROOT, 'build/relay/main.node.js')) || !existsSync(join(ROOT, 'dist/index.html'))) {
  console.error('lighthouse: run `npm run build` first');
  process.exit(2);
}

if (!existsSync(NODE22) || !existsSync(LIGHTHOUSE)) {
  console.log(`lighthouse: installing node@22 and lighthouse@13 into ${TOOLS} (once)`);
  mkdirSync(TOOLS, { recursive: true });
  execFileSync('npm', ['init', '-y'], { cwd: TOOLS, stdio: 'ignore' });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', 'node@22', 'lighthouse@13'], {
    cwd: TOOLS,
    stdio: 'inherit',
  });
}

/** The built relay on an ephemeral port, no history kept; resolves with its URL. */
function startRelay() {
  const proc = spawn(
    process.execPath,
    [
      'build/relay/main.node.js',
      '--port',
      '0',
      '--data-dir',
      'none',
      '--log-level',
      'warn',
      ...(staticDir ? ['--static', staticDir] : []),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /Parley is running: (http:\/\/\S+?)\/?(\s|$)/.exec(out);
      if (m) resolve({ url: `${m[1]}/`, stop: () => proc.kill('SIGTERM') });
    });
    proc.once('exit', (code) => reject(new Error(`relay exited with ${code}: ${out}`)));
  });
}

function lighthouse(url) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-lighthouse-'));
  try {
    const report = join(dir, 'report.json');
    const flags = [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
    ].join(' ');
    execFileSync(
      NODE22,
      [
        LIGHTHOUSE,
        url,
        '--only-categories=performance',
        '--output=json',
        `--output-path=${report}`,
        `--chrome-flags=${flags}`,
        '--quiet',
      ],
      { env: { ...process.env, CHROME_PATH: CHROMIUM }, stdio: 'inherit', input: '' },
    );
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const a = r.audits;
    return {
      score: Math.round(r.categories.performance.score * 100),
      fcp: a['first-contentful-paint'].numericValue,
      lcp: a['largest-contentful-paint'].numericValue,
      tbt: a['total-blocking-time'].numericValue,
      si: a['speed-index'].numericValue,
      cls: a['cumulative-layout-shift'].numericValue,
      kib: a['total-byte-weight'].numericValue / 1024,
      unusedJsKib: (a['unused-javascript'].details?.overallSavingsBytes ?? 0) / 1024,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const relay = await startRelay();
const results = [];
try {
  for (let i = 0; i < runs; i++) results.push(lighthouse(relay.url));
} finally {
  relay.stop();
}
const row = (name, r) =>
  `${name.padEnd(8)} ${String(r.score).padStart(5)} ${r.fcp.toFixed(0).padStart(7)} ${r.lcp.toFixed(0).padStart(7)} ` +
  `${r.tbt.toFixed(0).padStart(6)} ${r.si.toFixed(0).padStart(7)} ${r.cls.toFixed(3).padStart(6)} ` +
  `${r.kib.toFixed(1).padStart(8)} ${r.unusedJsKib.toFixed(1).padStart(10)}`;
console.log(`\nLighthouse ${runs} run(s), mobile preset, simulated throttling, ${relay.url}`);
console.log('run      score  FCP ms  LCP ms TBT ms   SI ms    CLS  bytes KiB unused JS KiB');
results.forEach((r, i) => console.log(row(`#${i + 1}`, r)));
const keys = Object.keys(results[0]);
console.log(row('median', Object.fromEntries(keys.map((k) => [k, median(results.map((r) => r[k]))]))));
