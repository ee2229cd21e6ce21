#!/usr/bin/env node
// The benchmark runner behind test-fixtures/bench/run (which checks the tools and builds the jar first).
//
// For each size it generates (or reuses) a synthetic Signal Desktop profile, then runs every stage as a
// whole process, several times, under GNU time, and records wall time, CPU time (user + system) and peak
// RSS; the median run is reported. Stages are named entries; a stage whose command or format this build
// of chat-archive lacks (judged from `chat-archive --help` and `export --help`) is skipped with "not
// available in this build", so stages light up as they land.
//
// Writes target/bench/results.json (every run) and the generated part of docs/performance.md (between
// the bench markers; text outside them is kept). --smoke writes to target/bench/smoke/ instead and checks
// that what it wrote parses.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseOptions, usageError } from '../node/args.mjs';

const fail = usageError('bench');

function parseArgs(argv) {
  const opts = { sizes: [10000, 100000, 1000000], runs: 3, smoke: false, jfr: false, stages: null, seed: 1 };
  parseOptions(argv, fail, (a, v) => {
    switch (a) {
      case '--root': opts.root = v(); break;
      case '--sizes': opts.sizes = v().split(',').map((s) => Number(s.replace(/k$/i, '000').replace(/m$/i, '000000'))); break;
      case '--runs': opts.runs = Number(v()); break;
      case '--stages': opts.stages = v().split(','); break;
      case '--seed': opts.seed = Number(v()); break;
      case '--smoke': opts.smoke = true; break;
      case '--jfr': opts.jfr = true; break;
      case '--doc': opts.doc = v(); break;
      case '--jar': opts.jar = path.resolve(v()); break;
      case '--build-note': opts.buildNote = v(); break;
      case '-h': case '--help':
        process.stdout.write('usage: test-fixtures/bench/run [--sizes 10k,100k,1m] [--runs N] [--stages a,b] [--jfr] [--smoke]\n'
          + '                             [--jar PATH --build-note TEXT] [--doc FILE]\n');
        process.exit(0);
        break;
      default: return false;
    }
    return true;
  });
  if (opts.smoke) {
    opts.sizes = [10000];
    opts.runs = 1;
  }
  if (opts.sizes.some((n) => !Number.isInteger(n) || n < 1)) fail('--sizes takes positive integers (10k, 1m allowed)');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const root = opts.root;
// --jar measures another build (say so with --build-note); by default the one this checkout builds.
const jar = opts.jar ?? path.join(root, 'exporter-cli', 'target', 'chat-archive.jar');
const node = process.execPath;
const benchDir = path.join(root, 'target', 'bench', opts.smoke ? 'smoke' : '');
const profilesDir = path.join(root, 'target', 'bench', 'profiles');
const workDir = path.join(benchDir, 'work');
const docFile = opts.doc ?? (opts.smoke ? path.join(benchDir, 'performance.md') : path.join(root, 'docs', 'performance.md'));
// The JVM options the launcher uses on this machine (exporter-cli/java-options), unless BENCH_JAVA_OPTS gives others
// ('' for none).
const launcherOpts = () => {
  const r = spawnSync(path.join(root, 'exporter-cli', 'java-options'), [], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n').join(' ') : '';
};
const javaOpts = (process.env.BENCH_JAVA_OPTS ?? launcherOpts()).split(/\s+/).filter(Boolean);
// And, as the launcher, the class-data archive of the jar measured (exporter-cli/cds-archive makes it when it is
// missing or older than the jar, before anything is timed); not when BENCH_JAVA_OPTS gives the options.
if (process.env.BENCH_JAVA_OPTS === undefined && fs.existsSync(jar)) {
  const cds = spawnSync(path.join(root, 'exporter-cli', 'cds-archive'), [jar], { encoding: 'utf8' });
  if (cds.status === 0) javaOpts.push(...cds.stdout.split('\n').filter(Boolean));
}
fs.mkdirSync(workDir, { recursive: true });
const log = (s) => process.stderr.write(`${s}\n`);

// --- what this build of chat-archive can do ----------------------------------------------------------------
function help(args) {
  const r = spawnSync('java', ['-jar', jar, ...args], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}
const mainHelp = help(['--help']);
const exportHelp = help(['export', '--help']);
const commands = new Set((mainHelp.split(/^Commands:\s*$/m)[1] ?? '').split('\n')
  .map((l) => /^ {2}([a-z][a-z-]*)\b/.exec(l)?.[1]).filter(Boolean));
// "Available: json (...), html, pdf. Default: json." in the --format description.
const availableText = (/Available:([\s\S]*?)(Default:|\n\s*-)/.exec(exportHelp)?.[1] ?? '').replace(/\([^)]*\)/g, '');
const formats = new Set(availableText.split(/[\s,.;]+/).filter((w) => /^[a-z]+$/.test(w)));
const hasFormat = (f) => formats.has(f);

// --- measuring one process ----------------------------------------------------------------------------------
function parseTime(text) {
  const get = (label) => new RegExp(`${label}: (.*)`).exec(text)?.[1]?.trim();
  const wallText = get('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)');
  const wall = wallText.split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
  return {
    wall,
    cpu: Number(get('User time \\(seconds\\)')) + Number(get('System time \\(seconds\\)')),
    rssMiB: Number(get('Maximum resident set size \\(kbytes\\)')) / 1024,
    exit: Number(get('Exit status')),
  };
}

/** Runs argv under GNU time; returns the measurement plus the process's stdout and stderr. */
function measure(argv, { cwd = root } = {}) {
  const timeFile = path.join(workDir, 'time.txt');
  fs.rmSync(timeFile, { force: true });
  const r = spawnSync('/usr/bin/time', ['-v', '-o', timeFile, ...argv], {
    cwd, encoding: 'utf8', maxBuffer: 256 << 20,
  });
  if (!fs.existsSync(timeFile)) throw new Error(`${argv[0]} could not be run: ${r.error?.message ?? r.stderr}`);
  const m = parseTime(fs.readFileSync(timeFile, 'utf8'));
  if (m.exit !== 0) {
    // First line: exit code and the program's last words (no paths of this machine: it ends up in the doc).
    const last = (r.stderr ?? '').trim().split('\n').filter((l) => !/^\s*at |^Command exited/.test(l)).pop() ?? '';
    throw new Error(`exit ${m.exit}: ${last.replaceAll(root, '.')}\n${(r.stderr ?? '').slice(-2000)}`);
  }
  return { ...m, stdout: r.stdout, stderr: r.stderr };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

// --- profiles ----------------------------------------------------------------------------------------------
function profileFor(n) {
  const dir = path.join(profilesDir, `signal-${n}${opts.seed === 1 ? '' : `-s${opts.seed}`}`);
  const summaryFile = `${dir}.json`;
  if (fs.existsSync(summaryFile) && fs.existsSync(path.join(dir, 'sql', 'db.sqlite'))) {
    return { dir, summary: JSON.parse(fs.readFileSync(summaryFile, 'utf8')), generatedNow: null };
  }
  log(`generating a profile with ${n.toLocaleString('en')} messages …`);
  fs.rmSync(dir, { recursive: true, force: true });
  const m = measure([node, path.join(root, 'test-fixtures', 'node', 'make-large-profile.mjs'),
    '--messages', String(n), '--seed', String(opts.seed), '--out', dir]);
  fs.writeFileSync(summaryFile, m.stdout);
  return { dir, summary: JSON.parse(m.stdout), generatedNow: { wall: m.wall, cpu: m.cpu, rssMiB: m.rssMiB } };
}

// --- stages ------------------------------------------------------------------------------------------------
// Each stage: name, what it measures, available() (with a reason when not), and run(ctx, i) that returns a
// measurement (and optional extra figures). ctx.out is a fresh output folder per run.
const java = (...args) => ['java', ...javaOpts, '-jar', jar, ...args];
const exportArgs = (ctx, out, formatList, extra = []) => java('export', ctx.profile.dir, '--out', out, '--force', '-q',
  ...(formatList ? ['--format', formatList] : []), ...extra);

/** Stages measure one thing each: the export's automatic index build is left to the index stage. */
const noIndex = () => (exportHelp.includes('--no-index') ? ['--no-index'] : []);

function countJsonl(dir) {
  let lines = 0;
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.jsonl')) continue;
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
  }
  return lines;
}

const SEARCH_QUERIES = [
  'beach', 'Kaffee', 'Привет', '桜', 'नमस्ते', 'สวัสดี', 'שבת', 'رحلة', '"see you there"', 'invoice',
  'from:me meeting', 'has:image', 'has:attachment notes', 'after:2023-06 trail', 'before:2022 tickets',
  'forecast Friday', 'Straße', 'Γεια', '你好', 'ラーメン', 'dried socks', 'quarterly numbers', 'calendar',
  'Congrats', 'late', 'proud', 'family photo', 'Count', 'salamander', 'https',
];

const stages = [
  {
    name: 'baseline', label: 'baseline: Node + @signalapp/sqlcipher → JSON Lines (table scan)',
    available: () => true,
    run: (ctx, out) => {
      const m = measure([node, path.join(root, 'test-fixtures', 'node', 'baseline-export.mjs'),
        '--profile', ctx.profile.dir, '--out', `${out}.jsonl`, '--order', 'rowid']);
      const r = JSON.parse(m.stdout);
      fs.rmSync(`${out}.jsonl`, { force: true });
      return { ...m, messages: r.messages, outputBytes: r.bytes };
    },
  },
  {
    name: 'baseline-ordered', label: 'baseline, conversation by conversation in timeline order',
    available: () => true,
    run: (ctx, out) => {
      const m = measure([node, path.join(root, 'test-fixtures', 'node', 'baseline-export.mjs'),
        '--profile', ctx.profile.dir, '--out', `${out}.jsonl`, '--order', 'conversation']);
      const r = JSON.parse(m.stdout);
      fs.rmSync(`${out}.jsonl`, { force: true });
      return { ...m, messages: r.messages, outputBytes: r.bytes };
    },
  },
  {
    name: 'export-json', label: 'chat-archive export → archive store (JSON)',
    available: () => (commands.has('export') ? true : 'no export command'),
    run: (ctx, out) => {
      const m = measure(exportArgs(ctx, out, null, noIndex()));
      const archive = JSON.parse(fs.readFileSync(path.join(out, 'archive.json'), 'utf8'));
      const lines = countJsonl(path.join(out, 'conversations'));
      if (lines !== archive.counts.messages) throw new Error(`export wrote ${lines} lines, archive.json says ${archive.counts.messages}`);
      ctx.lastArchive = out;
      return { ...m, messages: archive.counts.messages, outputBytes: dirBytes(out) };
    },
    keepOutput: true,
  },
  {
    name: 'html', label: 'HTML render (export --format json,html)',
    available: () => (hasFormat('html') ? true : 'not available in this build'),
    run: (ctx, out) => ({ ...measure(exportArgs(ctx, out, 'json,html', noIndex())), messages: ctx.profile.summary.messages }),
    note: 'includes reading the database and writing the store; subtract the export-json row for HTML alone',
  },
  {
    name: 'index', label: 'search index build',
    available: () => (commands.has('index') || hasFormat('index') ? true : 'not available in this build'),
    run: (ctx, out) => {
      if (commands.has('index')) {
        requireArchive(ctx);
        return { ...measure(java('index', ctx.lastArchive, '--rebuild', '-q')), messages: ctx.profile.summary.messages };
      }
      return { ...measure(exportArgs(ctx, out, 'json,index')), messages: ctx.profile.summary.messages };
    },
  },
  {
    name: 'search', label: '100 mixed search queries (one process each, latency as the command reports it; then all 100 in one process with --queries-file)',
    available: () => (commands.has('search') ? true : 'not available in this build'),
    runs: 1,
    run: (ctx) => {
      requireArchive(ctx);
      const latencies = [];
      const walls = [];
      let last;
      for (let q = 0; q < 100; q += 1) {
        last = measure(java('search', ctx.lastArchive, SEARCH_QUERIES[q % SEARCH_QUERIES.length]));
        walls.push(last.wall);
        const ms = /in ([\d.,]+) ms/.exec(`${last.stdout}${last.stderr}`)?.[1];
        if (ms !== undefined) latencies.push(Number(ms.replace(/,/g, '')));
      }
      // The same 100 queries in one process (the index opened once, the JVM warm after the first), where the
      // build has --queries-file: latency as the command reports it, the first query included.
      let warm = {};
      if (help(['search', '--help']).includes('--queries-file')) {
        const file = path.join(workDir, 'queries.txt');
        fs.writeFileSync(file, `${Array.from({ length: 100 }, (_, q) => SEARCH_QUERIES[q % SEARCH_QUERIES.length]).join('\n')}\n`);
        const m = measure(java('search', ctx.lastArchive, '--queries-file', file));
        const p = /p50 ([\d.]+) ms, p99 ([\d.]+) ms/.exec(m.stderr);
        if (p) warm = { warmP50ms: Number(p[1]), warmP99ms: Number(p[2]), warmWall: m.wall };
      }
      return { ...last, wall: median(walls), queries: 100,
        p50ms: latencies.length ? percentile(latencies, 50) : null,
        p99ms: latencies.length ? percentile(latencies, 99) : null,
        processP50ms: percentile(walls, 50) * 1000, processP99ms: percentile(walls, 99) * 1000, ...warm };
    },
  },
  {
    name: 'pdf', label: 'PDF of one conversation (the one nearest 20,000 messages)',
    available: () => (hasFormat('pdf') ? true : 'not available in this build'),
    run: (ctx, out) => {
      const conv = [...ctx.profile.summary.conversations]
        .sort((a, b) => Math.abs(a.messages - 20000) - Math.abs(b.messages - 20000))[0];
      const m = measure(exportArgs(ctx, out, 'json,pdf', ['--conversation', conv.id, ...noIndex()]));
      const pages = countPdfPages(out) ?? Number(/([\d,]+) pages/.exec(`${m.stdout}${m.stderr}`)?.[1]?.replace(/,/g, ''));
      return { ...m, messages: conv.messages, pages, pagesPerSecond: pages ? pages / m.wall : null };
    },
  },
  {
    name: 'backup-rerun', label: 'backup re-run with no change',
    available: () => (commands.has('backup') ? true : 'not available in this build'),
    run: (ctx, out) => {
      const target = path.join(workDir, `backup-${ctx.size}`);
      if (!fs.existsSync(target)) measure(java('backup', ctx.profile.dir, '--archive', target, '-q'));
      return { ...measure(java('backup', ctx.profile.dir, '--archive', target, '-q')), messages: ctx.profile.summary.messages };
    },
  },
  {
    name: 'backup-after-1000', label: 'backup after 1,000 new messages (and 10 changes to older ones) in 8 conversations',
    note: 'a full backup of the profile is made first (not timed); each run backs up a copy of the profile with add-messages.mjs applied into a fresh copy of that backup, written to disk (sync) before the run',
    available: () => (commands.has('backup') ? true : 'not available in this build'),
    run: (ctx, out) => {
      const base = path.join(workDir, `backup-base-${ctx.size}`);
      if (!fs.existsSync(base)) measure(java('backup', ctx.profile.dir, '--archive', base, '-q'));
      const changed = path.join(workDir, `profile-plus-1000-${ctx.size}`);
      if (!fs.existsSync(changed)) {
        // The database and config are copied; attachment files are shared (backup only reads them).
        fs.mkdirSync(changed, { recursive: true });
        fs.cpSync(path.join(ctx.profile.dir, 'sql'), path.join(changed, 'sql'), { recursive: true });
        fs.copyFileSync(path.join(ctx.profile.dir, 'config.json'), path.join(changed, 'config.json'));
        fs.symlinkSync(path.join(ctx.profile.dir, 'attachments.noindex'), path.join(changed, 'attachments.noindex'));
        const added = measure([node, path.join(root, 'test-fixtures', 'node', 'add-messages.mjs'), '--profile', changed,
          '--key', ctx.profile.summary.key, '--messages', '1000', '--conversations', '8', '--changes', '10']);
        ctx.added = JSON.parse(added.stdout);
      }
      fs.cpSync(base, out, { recursive: true });
      // The copy is set-up, not the backup's work: write it out first, or the backup's own syncs wait for the
      // gigabyte of copied pages still in memory.
      spawnSync('sync');
      const m = measure(java('backup', changed, '--archive', out, '-q'));
      const conversations = /Conversations: ([\d,]+) read and merged, ([\d,]+) unchanged/.exec(m.stdout);
      return { ...m, messages: ctx.profile.summary.messages + 1000,
        conversationsRead: conversations ? Number(conversations[1].replace(/,/g, '')) : undefined };
    },
  },
];

function requireArchive(ctx) {
  if (!ctx.lastArchive || !fs.existsSync(ctx.lastArchive)) {
    const out = path.join(workDir, `archive-${ctx.size}`);
    measure(exportArgs(ctx, out, null));
    ctx.lastArchive = out;
  }
}
function dirBytes(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}
function countPdfPages(dir) {
  let pages = 0;
  let files = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.pdf')) {
        files += 1;
        const count = /\/Type\s*\/Pages[^>]*?\/Count\s+(\d+)/.exec(fs.readFileSync(p, 'latin1'))?.[1];
        if (count) pages += Number(count);
      }
    }
  };
  walk(dir);
  return files && pages ? pages : null;
}

// --- JFR ---------------------------------------------------------------------------------------------------
// Sampling every 2 ms instead of the profile setting's 10/20 ms, so a run of a few seconds still gives
// thousands of samples.
const JFR_PERIOD = '2ms';

async function profileExport(ctx) {
  const jfrFile = path.join(benchDir, `export-${ctx.size}.jfr`);
  const out = path.join(workDir, `jfr-${ctx.size}`);
  const saved = javaOpts.splice(0);
  javaOpts.push(...saved, `-XX:StartFlightRecording=filename=${jfrFile},settings=profile,maxsize=4g,jdk.ExecutionSample#period=${JFR_PERIOD},jdk.NativeMethodSample#period=${JFR_PERIOD}`);
  try {
    const m = measure(exportArgs(ctx, out, null));
    log(`  JFR run: ${m.wall.toFixed(1)} s → ${path.relative(root, jfrFile)}`);
  } finally {
    javaOpts.splice(0, javaOpts.length, ...saved);
    fs.rmSync(out, { recursive: true, force: true });
  }
  const summarise = async (events, limit) => {
    // `jfr print` text, streamed: JSON output of a long recording is too big for one string.
    const child = spawn('jfr', ['print', '--events', events, '--stack-depth', '64', jfrFile],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    const self = new Map();
    const inclusive = new Map();
    let total = 0;
    let samples = 0;
    let weight = 1;
    let frames = null;
    const UNITS = { bytes: 1, byte: 1, kB: 1e3, MB: 1e6, GB: 1e9 };
    for await (const line of readline.createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      const t = line.trim();
      if (t.endsWith('{') && !t.includes('=')) {
        weight = 1;
        frames = null;
      } else if (t.startsWith('weight = ')) {
        const [, n, unit] = /weight = ([\d.]+) (\w+)/.exec(t) ?? [];
        weight = n ? Number(n) * (UNITS[unit] ?? 1) : 1;
      } else if (t === 'stackTrace = [') {
        frames = [];
      } else if (frames && t === ']') {
        if (frames.length > 0) {
          samples += 1;
          total += weight;
          self.set(frames[0], (self.get(frames[0]) ?? 0) + weight);
          for (const f of new Set(frames)) inclusive.set(f, (inclusive.get(f) ?? 0) + weight);
        }
        frames = null;
      } else if (frames && t !== '...') {
        frames.push(t.replace(/\(.*$/, ''));
      }
    }
    await new Promise((resolve) => { child.on('close', resolve); });
    const top = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)
      .map(([frame, w]) => ({ frame, share: w / total }));
    return { samples, self: top(self), inclusive: top(inclusive) };
  };
  const cpu = await summarise('jdk.ExecutionSample', 25);
  const native = await summarise('jdk.NativeMethodSample', 10);
  const allocation = await summarise('jdk.ObjectAllocationSample', 15);
  return { file: path.relative(root, jfrFile), cpu, native, allocation };
}

// --- main --------------------------------------------------------------------------------------------------
const selected = stages.filter((s) => !opts.stages || opts.stages.includes(s.name));
const machine = {
  cpuModel: /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model,
  cores: os.cpus().length,
  memoryGiB: os.totalmem() / 2 ** 30,
  java: /version "([^"]+)"/.exec(spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr)?.[1],
  javaVm: spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.trim().split('\n').pop(),
  node: process.version,
  os: `${os.type()} ${os.release()}`,
  loadAverageAtStart: os.loadavg(),
};
const gitHead = spawnSync('git', ['-C', root, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).stdout.trim();
const build = `chat-archive ${gitHead || 'unknown commit'}${opts.jar ? `, jar ${path.basename(opts.jar)} given with --jar` : ''}`
  + `${opts.buildNote ? ` (${opts.buildNote})` : ''}`;
// As recorded: paths inside the checkout relative to it (the class-data archive's), so that reports name no folder
// of this machine.
const shownOpts = javaOpts.map((o) => o.split(`${root}${path.sep}`).join(''));
const results = { started: new Date().toISOString(), machine, build, runs: opts.runs, javaOpts: shownOpts,
  sizes: [] };
log(`bench: ${machine.cores} cores, ${machine.cpuModel}, Java ${machine.java}; load average ${machine.loadAverageAtStart.map((x) => x.toFixed(1)).join(' ')}`);

for (const size of opts.sizes) {
  const profile = profileFor(size);
  const dbBytes = fs.statSync(path.join(profile.dir, 'sql', 'db.sqlite')).size;
  const ctx = { size, profile, lastArchive: null };
  const entry = { messages: size, conversations: profile.summary.conversations.length, dbBytes,
    generated: profile.generatedNow, stages: [] };
  results.sizes.push(entry);
  log(`size ${size.toLocaleString('en')}: ${entry.conversations} conversations, database ${(dbBytes / 2 ** 20).toFixed(0)} MiB`);
  for (const stage of selected) {
    const avail = stage.available();
    if (avail !== true) {
      entry.stages.push({ name: stage.name, label: stage.label, skipped: avail });
      log(`  ${stage.name}: skipped (${avail})`);
      continue;
    }
    const runs = [];
    const n = stage.runs ?? opts.runs;
    for (let i = 0; i < n; i += 1) {
      const out = path.join(workDir, `${stage.name}-${size}`);
      fs.rmSync(out, { recursive: true, force: true });
      try {
        const { stdout, stderr, ...m } = stage.run(ctx, out);
        runs.push(m);
        log(`  ${stage.name} run ${i + 1}/${n}: ${m.wall.toFixed(2)} s wall, ${m.cpu.toFixed(2)} s CPU, ${m.rssMiB.toFixed(0)} MiB peak RSS`);
      } catch (e) {
        log(`  ${stage.name} run ${i + 1}/${n} failed: ${e.message}`);
        runs.push({ failed: e.message.split('\n')[0] });
        break;
      }
      if (!(stage.keepOutput && i === n - 1)) fs.rmSync(out, { recursive: true, force: true });
    }
    const ok = runs.filter((r) => !r.failed);
    const med = (k) => (ok.length ? median(ok.map((r) => r[k])) : null);
    const s = { name: stage.name, label: stage.label, note: stage.note, runs,
      wall: med('wall'), cpu: med('cpu'), rssMiB: med('rssMiB'), maxRssMiB: ok.length ? Math.max(...ok.map((r) => r.rssMiB)) : null,
      messages: ok[0]?.messages ?? null, failed: ok.length < runs.length ? runs.find((r) => r.failed).failed : undefined };
    for (const k of ['p50ms', 'p99ms', 'processP50ms', 'processP99ms', 'warmP50ms', 'warmP99ms', 'warmWall', 'pages',
      'pagesPerSecond', 'outputBytes', 'conversationsRead']) {
      if (ok.some((r) => r[k] !== undefined)) s[k] = med(k);
    }
    entry.stages.push(s);
  }
  for (const d of fs.readdirSync(workDir)) fs.rmSync(path.join(workDir, d), { recursive: true, force: true });
}
// JFR on the largest size whose export succeeded.
const profiled = results.sizes.filter((e) => e.stages.some((st) => st.name === 'export-json' && st.wall))
  .sort((a, b) => b.messages - a.messages)[0];
if (opts.jfr && profiled) {
  log(`profiling one export of ${profiled.messages.toLocaleString('en')} messages with JFR …`);
  const profile = profileFor(profiled.messages);
  profiled.jfr = await profileExport({ size: profiled.messages, profile, lastArchive: null });
}
machine.loadAverageAtEnd = os.loadavg();
results.finished = new Date().toISOString();

const resultsFile = path.join(benchDir, 'results.json');
fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 1)}\n`);
const generated = (await import('./report.mjs')).renderReport(results);
const BEGIN = '<!-- bench:begin (written by test-fixtures/bench/run; edit outside these markers) -->';
const END = '<!-- bench:end -->';
let doc = fs.existsSync(docFile) ? fs.readFileSync(docFile, 'utf8') : `# Performance\n\n${BEGIN}\n${END}\n`;
if (!doc.includes(BEGIN) || !doc.includes(END)) doc = `${doc.trimEnd()}\n\n${BEGIN}\n${END}\n`;
doc = `${doc.slice(0, doc.indexOf(BEGIN) + BEGIN.length)}\n${generated}\n${doc.slice(doc.indexOf(END))}`;
fs.writeFileSync(docFile, doc);
process.stdout.write(`${generated}\n`);
log(`bench: wrote ${path.relative(root, docFile)} and ${path.relative(root, resultsFile)}`);

if (opts.smoke) {
  const { parseReport } = await import('./report.mjs');
  const parsed = parseReport(fs.readFileSync(docFile, 'utf8'));
  const reread = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  const problems = [];
  for (const name of ['baseline', 'export-json']) {
    const row = parsed.find((r) => r.size === 10000 && r.stage === name);
    if (!row || !(row.messagesPerSecond > 0) || !(row.wall > 0) || !(row.rssMiB > 0)) problems.push(`no figures for ${name}`);
    const st = reread.sizes[0].stages.find((x) => x.name === name);
    if (!st || st.messages !== 10000) problems.push(`${name} did not handle all 10,000 messages`);
  }
  if (problems.length) fail(`smoke check failed: ${problems.join('; ')}`);
  log(`bench: smoke check passed (${parsed.length} table rows parsed)`);
}
