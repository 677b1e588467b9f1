import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/common/actor.js';
import { UsersService } from '../../src/users/users.service.js';
import {
  buildWeb,
  launch,
  ROOT,
  screenshot,
  seriousViolations,
  whyNoBrowser,
  type Browser,
} from '../browser/browser.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * The web interface in a real browser (Debian's Chromium through playwright-core), against the
 * whole service on the suite's database: one researcher enters a case in Persian with a Solar
 * Hijri date, a reviewer verifies it, and it is found, counted, mapped and reconciled; an
 * import's dry run reports its bad rows. axe-core checks every page on the way.
 * Screenshots go to test-artifacts/web/.
 */
const why = whyNoBrowser();
if (why) console.warn(`web interface browser tests skipped: ${why}`);
const suite = why ? describe.skip : describe;

const PASSWORD = 'a long enough test password';
const NAME_FA = 'محمد رضایی';
const NAME_EN = 'Mohammad Rezaei';

suite('the web interface in Chromium', () => {
  let t: TestApp;
  let b: Browser;
  let base: string;
  let page: Page;
  let victimId: string;

  async function noSeriousViolations(name: string): Promise<void> {
    const found = await seriousViolations(page);
    expect({ page: name, violations: found }).toEqual({ page: name, violations: [] });
  }

  /** Polls until the input shows this value (the edit form fills in once the record loads). */
  async function valueBecomes(label: string, value: string): Promise<void> {
    const input = page.getByLabel(label, { exact: true });
    for (let i = 0; i < 100; i++) {
      if ((await input.inputValue()) === value) return;
      await page.waitForTimeout(100);
    }
    expect(await input.inputValue()).toBe(value);
  }

  async function signInWithToken(token: string): Promise<void> {
    const form = page.locator('form', { has: page.getByLabel('API token', { exact: true }) });
    await form.getByLabel('API token', { exact: true }).fill(token);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
  }

  beforeAll(async () => {
    buildWeb();
    t = await createTestApp({ publicRead: true });
    await t.app.get(UsersService).setPassword(t.users.researcher.email, PASSWORD, SYSTEM_ACTOR);
    await t.app.listen(0, '127.0.0.1');
    const addr = t.app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${addr.port}/`;
    b = await launch();
    page = b.page;
    page.setDefaultTimeout(10_000);
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('serves the interface at / and leaves /api and /health to the API', async () => {
    const res = await page.goto(base);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toMatch(/text\/html/);
    const api = await t.anon().get('/api/no-such-route').set('Accept', 'text/html').expect(404);
    expect(api.body).toMatchObject({ statusCode: 404 });
    const other = await t.anon().get('/no-such-page').set('Accept', 'text/html').expect(404);
    expect(other.body).toMatchObject({ statusCode: 404 });
    const asset = await t.anon().get('/assets/no-such-file.js').expect(404);
    expect(asset.body).toMatchObject({ statusCode: 404 });
    await t.anon().get('/health').expect(200);
    await screenshot(page, '01-sign-in');
    await noSeriousViolations('sign-in');
  });

  it('a researcher signs in with a password and enters a case in Persian with a Solar Hijri date', async () => {
    await page.getByRole('button', { name: 'فارسی' }).click();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.getByLabel('ایمیل', { exact: true }).fill(t.users.researcher.email);
    await page.getByLabel('گذرواژه', { exact: true }).fill(PASSWORD);
    await page
      .locator('form', { has: page.getByLabel('گذرواژه', { exact: true }) })
      .getByRole('button', { name: 'ورود' })
      .click();
    await page.getByRole('link', { name: 'ثبت پرونده' }).click();
    await page.getByRole('heading', { name: 'ثبت پرونده' }).waitFor();

    await page.getByLabel('نام به فارسی', { exact: true }).fill(NAME_FA);
    await page.getByLabel('نام به خط لاتین').fill(NAME_EN);
    await page.getByLabel('سن', { exact: true }).fill('-5');
    // Solar Hijri is the default calendar: 25 Aban 1398.
    await page.getByLabel('سال', { exact: true }).fill('۱۳۹۸');
    await page.getByLabel('ماه', { exact: true }).selectOption({ label: 'آبان' });
    await page.getByLabel('روز', { exact: true }).fill('25');
    await page.getByLabel('مکان (برای جست‌وجو بنویسید، به هر دو خط)').fill('ماهشهر');
    await page.getByRole('option', { name: /بندر ماهشهر/ }).click();
    await page.getByRole('combobox', { name: 'منبع موجود (برای جست‌وجو بنویسید)' }).fill('Amnesty');
    await page.getByRole('option', { name: /Amnesty International statement/ }).click();
    await page.getByLabel('گزیده، همان‌گونه که منتشر شده').fill('at least 304 people were killed');

    // The API's reason appears beside the field it names.
    await page.getByRole('button', { name: 'ذخیرهٔ پرونده' }).click();
    const ageError = page.locator('.field-error[data-field="age"]');
    await expect(ageError.textContent()).resolves.toContain('age must be at least 0');
    await screenshot(page, '02-entry-fa-field-error');
    await noSeriousViolations('entry (Persian, with an error)');

    await page.getByLabel('سن', { exact: true }).fill('27');
    await page.getByRole('button', { name: 'ذخیرهٔ پرونده' }).click();
    const saved = page.getByRole('status').filter({ hasText: 'پرونده ذخیره شد' });
    await saved.waitFor();
    const href = await saved.getByRole('link').getAttribute('href');
    victimId = href!.split('/').pop()!;

    const stored = await t.http().get(`/api/victims/${victimId}`).expect(200);
    expect(stored.body).toMatchObject({
      nameFa: NAME_FA,
      nameEn: NAME_EN,
      age: 27,
      status: 'submitted',
      date: { precision: 'day', gregorian: { from: '2019-11-16' }, jalali: { from: '1398-08-25' } },
      location: { nameEn: 'Bandar-e Mahshahr' },
      attestations: [{ excerpt: 'at least 304 people were killed' }],
    });
  });

  it('a stale edit is offered side by side with the current version', async () => {
    await page.goto(`${base}#/victims/${victimId}/edit`);
    const occupation = page.getByLabel('شغل', { exact: true });
    await valueBecomes('نام به فارسی', NAME_FA);
    await valueBecomes('سال', '1398');
    expect(await page.getByLabel('ماه', { exact: true }).inputValue()).toBe('8');
    const current = await t.http().get(`/api/victims/${victimId}`).expect(200);
    await t
      .http()
      .patch(`/api/victims/${victimId}`)
      .send({ occupation: 'کارگر', version: current.body.version })
      .expect(200);
    await occupation.fill('دانشجو');
    await page.getByRole('button', { name: 'ذخیرهٔ پرونده' }).click();
    const conflict = page.getByRole('region', { name: /کس دیگری هنگام ویرایش/ });
    await conflict.waitFor();
    await expect(conflict.textContent()).resolves.toMatch(/دانشجو[\s\S]*کارگر/);
    await screenshot(page, '03-stale-edit-fa');
    await noSeriousViolations('stale edit');
    await conflict.getByRole('button', { name: /کنار گذاشتن نسخهٔ من/ }).click();
    await valueBecomes('شغل', 'کارگر');
    await page.getByRole('button', { name: 'خروج' }).click();
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('a reviewer sees it in the queue with its excerpt and verifies it', async () => {
    await signInWithToken(t.users.reviewer.token);
    await page.getByRole('link', { name: 'Review queue' }).click();
    const item = page.getByRole('article', { name: new RegExp(NAME_FA) });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('at least 304 people were killed');
    await screenshot(page, '04-review-queue');
    await noSeriousViolations('review queue');
    await item.getByLabel('Comment (kept in the audit log)').fill('checked against Amnesty');
    await item.getByRole('button', { name: 'Verify' }).click();
    await item.getByRole('status').filter({ hasText: 'Moved to verified.' }).waitFor();
    const v = await t.http().get(`/api/victims/${victimId}`).expect(200);
    expect(v.body.status).toBe('verified');
  });

  it('search finds it by another Latin spelling and by city, with date certainty and place precision', async () => {
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('Name (either script)').fill('Mohamad Rezayi');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.getByRole('row', { name: new RegExp(NAME_FA) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('spelling');

    await page.getByLabel('Name (either script)').fill('');
    await page.getByLabel('City or province (any spelling)').fill('Mahshahr');
    await page.getByLabel('From', { exact: true }).fill('1398-08-24');
    await page.getByLabel('To', { exact: true }).fill('1398-08-28');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('row', { name: new RegExp(NAME_FA) }).waitFor();
    const text = await page.getByRole('row', { name: new RegExp(NAME_FA) }).textContent();
    expect(text).toContain('certain');
    expect(text).toContain('1398-08-25 SH');
    expect(text).toContain('place precision');
    await screenshot(page, '05-search');
    await noSeriousViolations('search');

    await page.getByRole('link', { name: NAME_FA }).click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    await expect(page.locator('table').last().textContent()).resolves.toContain(
      'checked against Amnesty',
    );
    await screenshot(page, '06-record');
    await noSeriousViolations('record');
  });

  it('the counts table and chart show it, and the bucket opens its sources', async () => {
    await page.getByRole('link', { name: 'Counts' }).click();
    const row = page.getByRole('row', { name: /Khuzestan/ });
    await row.waitFor();
    await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe('1');
    await expect(page.getByRole('img', { name: 'Counts chart' }).textContent()).resolves.toContain(
      'Khuzestan',
    );
    await row.getByRole('button', { name: 'Sources: Khuzestan' }).click();
    const sources = page.getByRole('region', { name: 'Sources behind Khuzestan' });
    await expect(sources.textContent()).resolves.toContain('Amnesty International');
    await screenshot(page, '07-counts');
    await noSeriousViolations('counts');
  });

  it('the map draws it in Khuzestan and lists it on click', async () => {
    await page.getByRole('link', { name: 'Map' }).click();
    const spot = page.getByRole('button', { name: 'Khuzestan: 1' });
    await spot.waitFor();
    // The 31 provinces are drawn from the committed Natural Earth shapes, shaded by count:
    // Khuzestan (one victim) in a class above none, a province with none in class 0.
    await expect(page.locator('svg path.province').count()).resolves.toBe(31);
    await expect(
      page.locator('path.province[data-province="Khuzestan"]').getAttribute('class'),
    ).resolves.toMatch(/\bq[1-5]\b/);
    await expect(
      page.locator('path.province[data-province="Fars"]').getAttribute('class'),
    ).resolves.toMatch(/\bq0\b/);
    await spot.click();
    const list = page.getByRole('region', { name: 'In Khuzestan' });
    await list.getByText(NAME_FA).waitFor();
    await page.getByLabel('Show counts per').selectOption('city');
    await page.getByRole('button', { name: 'Bandar-e Mahshahr: 1' }).waitFor();
    await screenshot(page, '08-map');
    await noSeriousViolations('map');
  });

  it('reconciliation shows the founding case: 304 – 1,500, who sets each bound, the citations', async () => {
    await page.getByRole('link', { name: 'Reconciliation' }).click();
    const range = page.getByTestId('range');
    await expect(range.textContent()).resolves.toBe('304 – 1,500');
    const citations = await page.locator('ol.citations').textContent();
    expect(citations).toContain('Amnesty International');
    expect(citations).toContain('Reuters');
    await expect(page.locator('.statement').textContent()).resolves.toMatch(
      /^At least 304 people were killed in Iran/,
    );
    await page.getByRole('button', { name: 'Copy the statement' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    const copied = await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText: () => Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(copied).toMatch(/^At least 304 people were killed in Iran/);
    await screenshot(page, '09-reconciliation');
    await noSeriousViolations('reconciliation');
  });

  it('an import dry run shows each bad row’s line and reason, and writes nothing', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWithToken(t.users.researcher.token);
    await page.getByRole('link', { name: 'Import and export' }).click();
    const before = await t.ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM victims');
    await page
      .getByLabel('File (CSV or JSON)')
      .setInputFiles(join(ROOT, 'test', 'fixtures', 'victims-bad.csv'));
    await expect(page.getByRole('button', { name: 'Import for real' }).isDisabled()).resolves.toBe(
      true,
    );
    // The choices come from the API's OpenAPI document.
    expect(await page.getByLabel('What the file holds').inputValue()).toBe('victims');
    expect(await page.getByLabel('Harm for rows that give none').inputValue()).toBe('killed');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const report = page.getByRole('region', { name: 'Report' });
    await report.waitFor();
    // Line 4 has no source: a record can't exist without one (an unreadable age is only a warning).
    const line4 = report.getByRole('row', { name: /^4 source_url/ });
    await expect(line4.textContent()).resolves.toContain('the row has no source');
    await expect(report.textContent()).resolves.toContain('Dry run: nothing was written.');
    const after = await t.ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM victims');
    expect(after[0].n).toBe(before[0].n);
    await screenshot(page, '10-import-dry-run');
    await noSeriousViolations('import');
  });

  it('the public view (PUBLIC_READ) offers counts, reconciliation and the map only', async () => {
    // The public sees verified claims only: a reviewer verifies the founding figures first.
    const claims = await t.http().get('/api/claims').query({ category: 'killed' }).expect(200);
    for (const c of claims.body.items as { id: string; version: number }[]) {
      await t
        .as('reviewer')
        .post(`/api/claims/${c.id}/status`)
        .send({ to: 'verified', reason: 'checked against the statement', version: c.version })
        .expect(200);
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Continue as a public reader' }).click();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.waitFor();
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual([
      'Counts',
      'Reconciliation',
      'Map',
    ]);
    await page.getByRole('link', { name: 'Reconciliation' }).click();
    await expect(page.getByTestId('range').textContent()).resolves.toBe('304 – 1,500');
    await page.getByRole('link', { name: 'Map' }).click();
    await page.getByRole('button', { name: 'Khuzestan: 1' }).waitFor();
    await screenshot(page, '11-public-map');
    await noSeriousViolations('public map');

    // The same pages in Persian: right to left, Persian digits and Persian place names.
    await page.getByRole('button', { name: 'فارسی' }).click();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.getByRole('button', { name: 'خوزستان: ۱' }).waitFor();
    await screenshot(page, '12-public-map-fa');
    await noSeriousViolations('public map, Persian');
    await page.getByRole('link', { name: 'شمارش' }).click();
    await page.getByRole('row', { name: /خوزستان/ }).waitFor();
    await screenshot(page, '13-public-counts-fa');
    await noSeriousViolations('public counts, Persian');
    await page.getByRole('link', { name: 'تطبیق آمار' }).click();
    await expect(page.getByTestId('range').textContent()).resolves.toBe('۳۰۴ – ۱٬۵۰۰');
    await screenshot(page, '14-public-reconciliation-fa');
    await noSeriousViolations('public reconciliation, Persian');
    await page.getByRole('button', { name: 'English' }).click();
  });
});
