/** The run's tables: plain text for stdout, Markdown for docs/benchmarks.md, and the rows of the ratio chart. */
import type { ChartRow } from './chart.js';
import type { LogSummary, ProfileEntry, ScenarioProfile } from './diagnostics.js';
import type { MachineInfo } from './machine.js';
import { METRICS } from './results.js';
import type { Figure, Ratio, TargetCheck } from './results.js';
import type { BenchSettings } from './settings.js';

export interface BenchReport {
  readonly settings: BenchSettings;
  readonly machine: MachineInfo;
  readonly bridgeVersion: string;
  readonly startedAt: Date;
  readonly durationSeconds: number;
  readonly loadAtEnd: number;
  readonly figures: readonly Figure[];
  readonly ratios: readonly Ratio[];
  readonly targets: readonly TargetCheck[];
  /** Peer unavailability, scenario failures and the like. */
  readonly notes: readonly string[];
  readonly proxyLog?: LogSummary;
  readonly profiles?: readonly ScenarioProfile[];
  /** Hand-written analysis (scripts/bench/findings.md), kept in every run's docs/benchmarks.md. */
  readonly findings?: string;
}

type Table = { readonly headers: readonly string[]; readonly rows: readonly (readonly string[])[] };

export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (unit === 'ms') return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`;
  if (unit === '×') return `${value.toFixed(2)}×`;
  if (unit === 'MiB') return `${value.toFixed(0)} MiB`;
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}

function figuresTable(report: BenchReport): Table {
  return {
    headers: ['Measure', 'Subject', 'Figure', 'Details'],
    rows: report.figures.map((f) => {
      const info = METRICS[f.metric];
      const runs = f.runs.length > 1 ? ` (median of ${f.runs.length})` : '';
      return [`(${info.scenario}) ${info.title}`, f.subject, f.value === undefined ? 'not measured' : `${formatValue(f.value, info.unit)}${runs}`, f.unavailable ?? f.details ?? ''];
    }),
  };
}

function ratiosTable(report: BenchReport): Table {
  return {
    headers: ['Measure', 'Ratio', 'Value'],
    rows: report.ratios.map((r) => {
      const info = METRICS[r.metric];
      return [`(${info.scenario}) ${info.unit}`, `${r.numerator.subject} / ${r.denominator.subject}`, formatValue(r.value, '×')];
    }),
  };
}

function targetsTable(report: BenchReport): Table {
  return {
    headers: ['Scenario', 'Check', 'Target', 'Value', 'Status'],
    rows: report.targets.map((t) => [`(${t.scenario})`, t.label, t.goal, formatValue(t.value, t.unit), t.status + (t.note ? ` (${t.note})` : '')]),
  };
}

function machineRows(report: BenchReport): [string, string][] {
  const m = report.machine;
  return [
    ['CPU', `${m.cpu}, ${m.cores} cores`],
    ['Memory', `${m.memoryGiB.toFixed(1)} GiB`],
    ['Kernel', m.kernel],
    ['Node.js', m.node],
    ['Java', m.java],
    ['Kafka (broker, kafka-tools)', m.kafka],
    ['kafkajs', m.kafkajs],
    ['Strimzi Kafka Bridge', report.bridgeVersion],
    ['Load average (1 min) at start / end', `${m.loadAtStart.toFixed(2)} / ${report.loadAtEnd.toFixed(2)}`],
  ];
}

export function chartRows(ratios: readonly Ratio[]): ChartRow[] {
  return ratios.map((r) => {
    const info = METRICS[r.metric];
    const versusBridge = r.denominator.kind === 'peer';
    const versusKafkajs = r.denominator.kind === 'native' && r.denominator.subject.startsWith('kafkajs');
    const target =
      versusBridge && ['a', 'b', 'd'].includes(info.scenario) ? 2 : versusKafkajs && ['b', 'c', 'd'].includes(info.scenario) ? 0.7 : undefined;
    return {
      label: `(${info.scenario}) ${r.numerator.subject} / ${r.denominator.subject}`,
      value: r.value,
      ...(target === undefined ? {} : { target }),
      ...(info.higherIsBetter ? {} : { lowerIsBetter: true }),
    };
  });
}

// ------------------------------------------------------------------------------------------------ plain text

function textTable(table: Table): string {
  const all = [table.headers, ...table.rows];
  const widths = table.headers.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(table.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}

export function renderText(report: BenchReport): string {
  const sections = [
    `kafka-rest-ts benchmarks — ${report.settings.quick ? 'quick' : 'full'} run, ${report.durationSeconds.toFixed(0)} s`,
    machineRows(report)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
    textTable(figuresTable(report)),
    report.ratios.length > 0 ? textTable(ratiosTable(report)) : 'No ratios.',
    textTable(targetsTable(report)),
    ...(report.notes.length > 0 ? [report.notes.map((n) => `note: ${n}`).join('\n')] : []),
    ...(report.proxyLog ? [proxyLogText(report.proxyLog)] : []),
    ...(report.profiles ?? []).map((p) => `${profileHeading(p)}\n${textTable(profileTable(p.top))}`),
  ];
  return sections.join('\n\n') + '\n';
}

const ABORTED_EXPLAINED =
  '`request failed: aborted` is logged for the requests in flight when a load run ends (autocannon closes its connections): about one per connection and run.';

function proxyLogText(summary: LogSummary): string {
  const top = summary.top.map((t) => `  ${t.count}× ${t.message}`).join('\n');
  const aborted = summary.top.some((t) => t.message.includes('aborted')) ? `\n  (${ABORTED_EXPLAINED})` : '';
  return `proxy log: ${summary.warnings} warnings, ${summary.errors} errors${top ? `\n${top}` : ''}${aborted}`;
}

function profileHeading(profile: ScenarioProfile): string {
  const busy = `${(profile.busyMs / 1000).toFixed(1)} s busy of ${(profile.wallMs / 1000).toFixed(1)} s`;
  return `CPU profile of the proxy during (${profile.scenario}): ${busy}; top self time:`;
}

function profileTable(profile: readonly ProfileEntry[]): Table {
  return {
    headers: ['Self time', 'Share', 'Function', 'Where'],
    rows: profile.map((p) => [`${p.selfMs.toFixed(0)} ms`, `${(p.share * 100).toFixed(1)}%`, p.name, p.location]),
  };
}

// ------------------------------------------------------------------------------------------------ Markdown

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdownTable(table: Table): string {
  return [
    `| ${table.headers.map(escapeCell).join(' | ')} |`,
    `|${table.headers.map(() => '---').join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

export function renderMarkdown(report: BenchReport, chartFile: string): string {
  const s = report.settings;
  const mode = s.quick ? '`npm run bench -- --quick`' : '`npm run bench`';
  const lines = [
    '# Benchmarks',
    '',
    `Written by ${mode} on ${report.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${report.durationSeconds.toFixed(0)} s,`,
    'on one machine where the broker, the server under test and the load generator share the CPU; other work on the',
    'machine (see the load average) makes the figures noisy. Run it again before drawing fine conclusions.',
    '',
    '## Machine',
    '',
    markdownTable({ headers: ['', ''], rows: machineRows(report) }),
    '',
    '## How it measures',
    '',
    '- One local single-node broker (KRaft) for the whole run; every server under test talks to it. Topics have one partition.',
    `- **ours**: this proxy, compiled with tsc and run as its own Node process (\`log.level=warn\`); **bridge**: Strimzi Kafka Bridge ${report.bridgeVersion} on its own JVM (≥ 21) with an idempotent producer, \`acks=all\`, \`linger.ms=0\` (it makes one Kafka producer per HTTP connection, so each load run, on new connections, starts by making them); **native**: kafkajs ${report.machine.kafkajs} in the harness's process (idempotent producer, \`acks=-1\`), and Kafka's \`ProducerPerformance\` (Java client, same producer settings).`,
    `- HTTP load from autocannon over ${s.connections} keep-alive connections, ${s.warmupSeconds} s warm-up excluded, then ${s.runs} run(s) of ${s.loadSeconds} s; each figure is the median of the runs. Records are ${s.recordBytes} bytes.`,
    `- (a) one record per request; the half-rate p99 is of a load at half of that dialect's own median maximum, evenly paced by vegeta (open loop, over at most the same connections, latency from when each request was due; autocannon's \`overallRate\` sends at full speed until a second's share is used). (b) ${s.batchRecords} records per request. (c) one chunked v3 POST of ${s.streamRecords.toLocaleString('en-US')} records. (d) ${s.consumeRecords.toLocaleString('en-US')} records read from the beginning in a fresh group, timed from the first poll. (e) ${s.idleConsumers} v2 consumer instances (create + subscribe, one group each) in a fresh server process, RSS from \`/proc/<pid>/status\`, one run. (f) a fresh server process, a v2 produce tried every 5 ms until 2xx. (g) one record per request at the same fixed ${s.fixedRate} req/s for every server, paced the same way. (h) v2 produce from two load generators of half the connections each, both at one proxy node, then one at each of two nodes on the same broker.`,
    '- Before the scenarios every HTTP server gets a JIT warm-up: one continuous one-record produce load over the same connections, sampled in 3 s slices, for at least 8 slices and until three in a row agree within 5% (at most 90 s; see the notes), then 3 s of 100-record produce; ours is warmed so through v2, then each other dialect gets two slices of its own one-record produce (and 3 s of its batch produce). *Server CPU* in the details is the CPU time the server process used (from `/proc/<pid>/stat`) per request or record: other load on the machine disturbs it far less than the rates.',
    '',
    '## Results',
    '',
    markdownTable(figuresTable(report)),
    '',
    '## Ratios',
    '',
    `![Ratios: ours ÷ bridge and ours ÷ native](${chartFile})`,
    '',
    report.ratios.length > 0 ? markdownTable(ratiosTable(report)) : 'No ratio could be measured in this run.',
    '',
    '## Targets (issues 7 and 18)',
    '',
    markdownTable(targetsTable(report)),
    '',
  ];
  if (report.notes.length > 0 || report.proxyLog) {
    lines.push('## Notes', '');
    for (const note of report.notes) lines.push(`- ${note}`);
    if (report.proxyLog) {
      lines.push(`- The proxy logged ${report.proxyLog.warnings} warnings and ${report.proxyLog.errors} errors during (a)–(d).`);
      for (const t of report.proxyLog.top) lines.push(`  - ${t.count}× \`${t.message}\``);
      if (report.proxyLog.top.some((t) => t.message.includes('aborted'))) lines.push(`  - ${ABORTED_EXPLAINED}`);
    }
    lines.push('');
  }
  if (report.findings) lines.push(report.findings.trim(), '');
  if (report.profiles && report.profiles.length > 0) {
    lines.push(
      '## Where the proxy spends its CPU (`--profile`)',
      '',
      'Self time of the functions of the proxy process that served the scenarios, one profile per scenario (warm-up left out), idle time left out.',
      '',
    );
    for (const profile of report.profiles) lines.push(profileHeading(profile), '', markdownTable(profileTable(profile.top)), '');
  }
  return lines.join('\n');
}
