import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/common/project-root.js';
import { countRows, windows1256, writeGeneratedVictims } from '../factories/imports.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';
import { testDatabaseUrl } from '../setup/test-db.js';

// The CLI runs as a child process, built once (without type checking: tsc --noCheck).
jest.setTimeout(300_000);

const ROOT = projectRoot();
const BUILD = path.join(ROOT, 'node_modules', '.cache', 'casualty-ledger-cli-test');
const MAIN = path.join(BUILD, 'src', 'cli', 'main.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = start(args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the command line', () => {
  let t: TestApp;
  let tmp: string;
  beforeAll(async () => {
    execFileSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--noCheck',
        '--outDir',
        BUILD,
      ],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-cli-'));
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(() => resetDatabase(t.ds));

  const copy = (name: string): string => {
    const to = path.join(tmp, name);
    fs.copyFileSync(path.join(FIXTURES, name), to);
    return to;
  };

  it('answers --help on every command with exit code 0', async () => {
    const seen: Record<string, string> = {};
    for (const args of [
      [],
      ['import', 'victims'],
      ['import', 'locations'],
      ['export'],
      ['seed'],
      ['db', 'status'],
    ]) {
      const r = await cli(...args, '--help');
      expect(r.code).toBe(0);
      seen[args.join(' ')] = r.stdout;
    }
    expect(seen['']).toMatch(/import[^]*export[^]*seed[^]*db[^]*users[^]*tokens/);
    expect(seen['import victims']).toMatch(/--dry-run[^]*--skip-invalid[^]*--rejects/);
    expect(seen['import victims']).toMatch(/--status[^]*--credibility[^]*--batch-size/);
    // A places file makes no records: no workflow status, credibility or batches to offer.
    expect(seen['import locations']).toMatch(/--dry-run[^]*--skip-invalid[^]*--no-replace/);
    expect(seen['import locations']).not.toMatch(/--status|--credibility|--batch-size|--harm/);
    expect(seen.export).toMatch(/--format[^]*--public[^]*--location/);
    expect(Object.values(seen).every((text) => text.startsWith('Usage:'))).toBe(true);
  });

  it.each([
    ['an unknown command', ['frobnicate']],
    ['a file that does not exist', ['import', 'victims', '/nonexistent/victims.csv']],
    ['a file of unknown type', ['import', 'victims', 'victims.txt']],
    ['an out-of-range credibility', ['import', 'victims', 'x.csv', '--credibility', '9']],
    ['a bad incident id', ['import', 'victims', 'x.csv', '--incident', '42']],
    ['an unknown export kind', ['export', 'martyrs']],
    ['a bad filter', ['export', 'victims', '--age-min', 'old']],
    ['an unknown place', ['export', 'victims', '--location', 'Atlantis']],
    ['an unknown encoding', ['import', 'victims', 'x.csv', '--encoding', 'klingon'], 'klingon'],
    [
      'a record option for places',
      ['import', 'locations', 'x.csv', '--status', 'submitted', '--credibility', '2'],
      '--status, --credibility: a places file makes places, not records',
    ],
  ])('exits with 2 on %s', async (_name, args, says = '') => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toBe('');
    expect(r.stderr).toContain(says);
    expect(await countRows(t.ds, 'victims')).toBe(0);
  });

  it('imports a file, prints the accounting, and finds every row already present the second time', async () => {
    const file = copy('victims-ok.csv');
    const first = await cli('import', 'victims', file);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('4 rows read = 4 imported + 0 already present + 0 rejected');
    expect(first.stdout).toContain(
      'Places: 3 resolved exactly, 1 attached to a containing city or province, 0 unresolved',
    );
    expect(first.stderr).toMatch(/import victims: .*rows\/s|^database:/m);
    const [v] = await t.ds.query<Record<string, unknown>[]>(
      `SELECT age, age_min, age_max, internal_notes FROM victims WHERE name_fa = 'مهران تک'`,
    );
    expect(v).toEqual({
      age: null,
      age_min: 32,
      age_max: 33,
      internal_notes: expect.stringContaining('Age conflict: B (Boroumand) age 32 vs A age 33'),
    });

    const second = await cli('import', 'victims', file, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      read: 4,
      imported: 0,
      alreadyPresent: 4,
      rejected: 0,
      written: true,
    });
    expect(await countRows(t.ds, 'victims')).toBe(4);
  });

  it('all-or-nothing --strict: exits 1, writes nothing, and writes every rejected row with line, field and reason', async () => {
    const file = copy('victims-bad.csv');
    const before = {
      victims: await countRows(t.ds, 'victims'),
      sources: await countRows(t.ds, 'sources'),
      audit: await countRows(t.ds, 'audit_log'),
    };
    const r = await cli('import', 'victims', file, '--strict');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '5 rows read = 2 valid, not imported + 0 already present + 3 rejected',
    );
    expect(r.stdout).toContain('Nothing was written');
    expect(r.stderr).toContain('line 3  age: age is not a whole number: got "about twenty"');
    expect({
      victims: await countRows(t.ds, 'victims'),
      sources: await countRows(t.ds, 'sources'),
      audit: await countRows(t.ds, 'audit_log'),
    }).toEqual(before);
    const rejects = fs.readFileSync(`${file}.rejects.csv`, 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('line,record,field,reason,row');
    expect(rejects.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      '3,2,age',
      '4,3,source_url',
      '5,4,date_of_death_jalali',
    ]);
  });

  it('--skip-invalid --strict imports the valid rows and writes the rejects where asked; --dry-run writes nothing', async () => {
    const file = copy('victims-bad.csv');
    const dry = await cli('import', 'victims', file, '--skip-invalid', '--dry-run', '--strict');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('5 rows read = 2 to import + 0 already present + 3 rejected');
    expect(await countRows(t.ds, 'victims')).toBe(0);

    const rejects = path.join(tmp, 'bad-rows.csv');
    const r = await cli(
      'import',
      'victims',
      file,
      '--skip-invalid',
      '--rejects',
      rejects,
      '--strict',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5 rows read = 2 imported + 0 already present + 3 rejected');
    expect(r.stdout).toMatch(/Rejected rows by reason[^]*1 {2}age is not a whole number/);
    expect(fs.readFileSync(rejects, 'utf8').split('\n')).toHaveLength(5);
    expect(await countRows(t.ds, 'victims')).toBe(2);
  });

  it('reads a Windows-1256 file with --encoding, and refuses it as UTF-8, naming the line', async () => {
    const file = path.join(tmp, 'excel-1256.csv');
    fs.writeFileSync(
      file,
      windows1256('name_fa,city,source_url\nمحمد محمدی,ماهشهر,https://example.org/excel\n'),
    );
    const asUtf8 = await cli('import', 'victims', file);
    expect(asUtf8.code).toBe(1);
    expect(asUtf8.stderr).toMatch(/not utf-8 text \(an invalid byte on or near line 2\)/);
    expect(await countRows(t.ds, 'victims')).toBe(0);

    const r = await cli('import', 'victims', file, '--encoding', 'windows-1256');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 rows read = 1 imported');
    const [v] = await t.ds.query<{ name_fa: string }[]>(`SELECT name_fa FROM victims`);
    expect(v.name_fa).toBe('محمد محمدي');
  });

  it('imports sources (JSON) then claims (CSV) that name them', async () => {
    const s = await cli('import', 'sources', copy('sources.json'));
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('2 rows read = 2 imported');
    const c = await cli('import', 'claims', copy('claims.csv'));
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('2 rows read = 2 imported');
    const rows = await t.ds.query<unknown[]>(
      `SELECT qualifier, low, high, population FROM count_claims WHERE source_id::text LIKE '6a1f0c2e%' ORDER BY low`,
    );
    expect(rows).toEqual([
      { qualifier: 'between', low: 40, high: 100, population: 'protesters' },
      { qualifier: 'at_least', low: 148, high: null, population: 'all' },
    ]);
  });

  it('exports to a file or stdout; --public leaves out restricted fields', async () => {
    await cli('import', 'victims', copy('victims-ok.csv'));
    // Verified as a reviewer would (an import never verifies): --public exports verified records.
    await t.ds.query(
      `UPDATE victims SET status = 'verified', internal_notes = 'secret note', witness_names = 'secret witness'`,
    );
    const out = path.join(tmp, 'public.json');
    const pub = await cli('export', 'victims', '--format', 'json', '--public', '--out', out);
    expect(pub.code).toBe(0);
    expect(pub.stderr).toContain('exported 4 victims');
    const text = fs.readFileSync(out, 'utf8');
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toHaveLength(4);

    // By id: the national gazetteer also has a town called Alborz (in Qazvin), so the name is ambiguous.
    const alborz = await t.ds.query<{ id: string }[]>(
      `SELECT id FROM locations WHERE kind = 'province' AND name_en = 'Alborz'`,
    );
    const geo = await cli('export', 'victims', '--format', 'geojson', '--location', alborz[0].id);
    expect(geo.code).toBe(0);
    const doc = JSON.parse(geo.stdout) as { features: unknown[]; unlocated: { count: number } };
    // Karaj, Fardis and Alborz province all have coordinates in the national gazetteer (the
    // province its centroid).
    expect({ features: doc.features.length, unlocated: doc.unlocated.count }).toEqual({
      features: 3,
      unlocated: 0,
    });
    expect(geo.stderr).toContain('3 on the map, 0 without coordinates');
    const csv = await cli('export', 'victims');
    expect(csv.stdout).toContain('secret witness');
  });

  it('imports places, re-places the records they resolve, and lists the candidates of a name that stays ambiguous, with their ids', async () => {
    const victims = path.join(tmp, 'places-victims.csv');
    fs.writeFileSync(
      victims,
      'name_fa,city,province,source_url\n' +
        'الف,Dehnow Kheyrabad,Khuzestan,https://example.org/l/1\n' +
        'ب,Mahabad,,https://example.org/l/2\n',
    );
    expect((await cli('import', 'victims', victims)).code).toBe(0);
    const places = path.join(tmp, 'places.csv');
    fs.writeFileSync(
      places,
      'kind,name,name_fa,parent\n' +
        'village,Deh-e Now-e Kheyrabad,ده‌نو خیرآباد,Khuzestan\n' +
        'village,Under Mahabad,,Mahabad\n',
    );
    const r = await cli('import', 'locations', places, '--skip-invalid');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 rows read = 1 imported + 0 already present + 1 rejected');
    expect(r.stdout).toMatch(/Re-placing: 2 records not placed exactly = 1 re-placed \(1 exactly/);
    // The parent named two towns: the rejected row says which, by id.
    expect(r.stderr).toContain('0212bfbd-3b35-510f-bb20-f181f7f718c2');
    expect(r.stderr).toContain('7a2257dd-6404-592c-8256-878f104d0fc0');
    // The record's own text stays ambiguous: listed with the candidates and their ids.
    expect(r.stdout).toMatch(/Mahabad\n.*0212bfbd-3b35-510f-bb20-f181f7f718c2  city Mahabad/);
    const [placed] = await t.ds.query<
      { name_en: string; place_precision: string; version: number }[]
    >(
      `SELECT l.name_en, v.place_precision, v.version FROM victims v JOIN locations l ON l.id = v.location_id WHERE v.name_fa = 'الف'`,
    );
    expect(placed).toEqual({
      name_en: 'Deh-e Now-e Kheyrabad',
      place_precision: 'exact',
      version: 2,
    });

    const again = await cli('locations', 'replace', '--dry-run');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Re-placing: 1 records not placed exactly = 0 to re-place');
    expect(again.stdout).toContain('7a2257dd-6404-592c-8256-878f104d0fc0  city Mahabad (مهاباد)');
  });

  it('reports the schema status', async () => {
    const r = await cli('db', 'status');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^applied {2}CreateExtensions1764000000000$/m);
    expect(r.stdout).toContain('up to date');
  });

  it('seed demo imports the shared list with a report a researcher can act on, once', async () => {
    const r = await cli('seed', 'demo');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('562 rows read = 562 imported + 0 already present + 0 rejected');
    expect(r.stdout).toMatch(
      /Places: \d+ resolved exactly, \d+ attached to a containing city or province, \d+ unresolved/,
    );
    expect(r.stdout).toContain('Golshahr (Karaj)');
    const again = await cli('seed', 'demo');
    expect(again.stdout).toContain('562 rows read = 0 imported + 562 already present + 0 rejected');
    expect(await countRows(t.ds, 'victims')).toBe(562);
  });

  it('leaves no partial data when an import is killed with SIGKILL midway', async () => {
    const file = path.join(tmp, 'big.csv');
    await writeGeneratedVictims(file, 40_000, 7);
    const before = {
      victims: await countRows(t.ds, 'victims'),
      sources: await countRows(t.ds, 'sources'),
      attestations: await countRows(t.ds, 'attestations'),
      audit: await countRows(t.ds, 'audit_log'),
    };
    const child = start(['import', 'victims', file, '--skip-invalid', '--batch-size', '1000']);
    let stderr = '';
    const progressed = await new Promise<boolean>((resolve) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        // A progress line after rows were written inside the (uncommitted) transaction.
        // Any line, not the first: on a busy machine the first can come before a batch is written.
        const ok = [
          ...stderr.matchAll(/import victims: [\d,]+ rows, [\d,]+ rows\/s, ([\d,]+) ok/g),
        ];
        if (ok.some((m) => Number(m[1].replace(/,/g, '')) > 0)) resolve(true);
      });
      child.on('close', () => resolve(false));
    });
    // On failure, show what the import printed instead of a bare false.
    expect({ progressed, stderr: progressed ? '' : stderr }).toEqual({
      progressed: true,
      stderr: '',
    });
    const closed = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    );
    child.kill('SIGKILL');
    expect(await closed).toBe('SIGKILL');
    expect({
      victims: await countRows(t.ds, 'victims'),
      sources: await countRows(t.ds, 'sources'),
      attestations: await countRows(t.ds, 'attestations'),
      audit: await countRows(t.ds, 'audit_log'),
    }).toEqual(before);
    // The database is still usable, and a new import of the same file starts from nothing.
    const r = await cli('import', 'victims', copy('victims-ok.csv'));
    expect(r.code).toBe(0);
    expect(await countRows(t.ds, 'victims')).toBe(before.victims + 4);
  });
});
