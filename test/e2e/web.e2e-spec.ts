import { readFileSync } from 'node:fs';
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
/** A restricted value: it must reach researchers and reviewers, and never a viewer's page. */
const WITNESS = 'Witness Zahra K., neighbour, phone 0912 000 1234';
const SOURCE_TITLE = 'Mahshahr lawyers list, December 2019';
const CLAIM_EXCERPT = 'at least 41 people were killed in the marshes of Mahshahr';

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

  /** Signs out and waits for the sign-in page (the token is revoked first: it can take a while). */
  async function signOut(label = 'Sign out'): Promise<void> {
    await page.getByRole('button', { name: label }).click();
    await page.locator('form').first().waitFor({ timeout: 30_000 });
    await page
      .getByRole('navigation', { name: /./ })
      .waitFor({ state: 'detached', timeout: 30_000 });
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
    await page.getByLabel('نام پدر', { exact: true }).fill('حسن');
    await page.getByLabel('سن', { exact: true }).fill('-5');
    // Solar Hijri is the default calendar: 25 Aban 1398.
    await page.getByLabel('سال', { exact: true }).fill('۱۳۹۸');
    await page.getByLabel('ماه', { exact: true }).selectOption({ label: 'آبان' });
    await page.getByLabel('روز', { exact: true }).fill('25');
    await page.getByLabel('مکان (برای جست‌وجو بنویسید، به هر دو خط)').fill('ماهشهر');
    // The city, not its county (شهرستان بندرماهشهر), which the type-ahead offers as well.
    await page.getByRole('option', { name: /^بندر ماهشهر \// }).click();
    await page.getByRole('combobox', { name: 'منبع موجود (برای جست‌وجو بنویسید)' }).fill('Amnesty');
    await page.getByRole('option', { name: /Amnesty International statement/ }).click();
    await page.getByLabel('گزیده، همان‌گونه که منتشر شده').fill('at least 304 people were killed');
    await page.getByLabel('شاهدان (نام‌ها)').fill(WITNESS);

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
      fatherName: 'حسن',
      age: 27,
      status: 'submitted',
      date: { precision: 'day', gregorian: { from: '2019-11-16' }, jalali: { from: '1398-08-25' } },
      location: { nameEn: 'Bandar-e Mahshahr' },
      attestations: [{ excerpt: 'at least 304 people were killed' }],
      witnessNames: WITNESS,
    });
  });

  it('a stale edit is offered side by side with the current version', async () => {
    await page.goto(`${base}#/victims/${victimId}/edit`);
    const occupation = page.getByLabel('شغل', { exact: true });
    await valueBecomes('نام به فارسی', NAME_FA);
    await valueBecomes('نام پدر', 'حسن');
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
    // The father's name is edited like any other field, and the record page shows it.
    await page.getByLabel('نام پدر', { exact: true }).fill('Hassan');
    await page.getByRole('button', { name: 'ذخیرهٔ پرونده' }).click();
    await page.getByRole('status').filter({ hasText: 'پرونده ذخیره شد' }).waitFor();
    const edited = await t.http().get(`/api/victims/${victimId}`).expect(200);
    expect(edited.body).toMatchObject({ fatherName: 'Hassan', occupation: 'کارگر' });
    await page.goto(`${base}#/victims/${victimId}`);
    const father = page.locator('dl.record dt', { hasText: 'نام پدر' });
    await expect(father.locator('xpath=following-sibling::dd[1]').textContent()).resolves.toBe(
      'Hassan',
    );
    await signOut('خروج');
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('a researcher enters a source and a count claim in the browser, offered for review', async () => {
    await signInWithToken(t.users.researcher.token);
    await page.getByRole('link', { name: 'Sources and claims' }).click();
    const sourceForm = page.locator('form', {
      has: page.getByRole('heading', { name: 'New source' }),
    });
    await sourceForm.getByLabel('Title', { exact: true }).fill(SOURCE_TITLE);
    await sourceForm.getByLabel('Publisher', { exact: true }).fill('Lawyers of Khuzestan');
    await sourceForm.getByLabel('Reliability (A reliable … F cannot be judged)').selectOption('C');
    await sourceForm.getByRole('button', { name: 'Save the source' }).click();
    await sourceForm.getByRole('status').waitFor();
    const sources = await t.http().get('/api/sources').query({ q: 'Mahshahr lawyers' }).expect(200);
    expect(sources.body.items).toEqual([
      expect.objectContaining({ title: SOURCE_TITLE, reliability: 'C' }),
    ]);

    const claimForm = page.locator('form', {
      has: page.getByRole('heading', { name: 'New count claim' }),
    });
    await claimForm.getByRole('combobox', { name: 'Source' }).fill('Mahshahr lawyers');
    await page.getByRole('option', { name: new RegExp(SOURCE_TITLE) }).click();
    await claimForm.getByLabel('Qualifier', { exact: true }).selectOption('at_least');
    await claimForm.getByLabel('Low', { exact: true }).fill('41');
    await claimForm.getByLabel('Basis', { exact: true }).selectOption('named_list');
    await claimForm.getByRole('combobox', { name: 'Scope: place' }).fill('Mahshahr');
    await page.getByRole('option', { name: /^Bandar-e Mahshahr \// }).click();
    await claimForm.getByLabel('Excerpt, as published').fill(CLAIM_EXCERPT);
    await claimForm.getByRole('button', { name: 'Save the claim' }).click();
    await claimForm.getByRole('status').waitFor();
    await screenshot(page, '04a-sources-and-claims');
    await noSeriousViolations('sources and claims');
    const claims = await t.http().get('/api/claims').query({ limit: 100 }).expect(200);
    const mine = (claims.body.items as { excerpt: string | null }[]).filter(
      (c) => c.excerpt === CLAIM_EXCERPT,
    );
    expect(mine).toEqual([
      expect.objectContaining({
        qualifier: 'at_least',
        low: 41,
        basis: 'named_list',
        status: 'submitted',
        source: expect.objectContaining({ title: SOURCE_TITLE }),
        location: expect.objectContaining({ nameEn: 'Bandar-e Mahshahr' }),
      }),
    ]);
    await signOut();
  });

  it('the calendar picker fills the date by keyboard, for a day, a range and a month, in both calendars', async () => {
    await signInWithToken(t.users.researcher.token);
    await page.getByRole('link', { name: 'Enter a case' }).click();
    const date = page.getByRole('group', { name: 'Date of the harm' });
    await date.getByLabel('Year', { exact: true }).fill('1398');
    await date.getByLabel('Month', { exact: true }).selectOption({ label: 'Aban' });
    await date.getByRole('button', { name: 'Pick on a calendar (Solar Hijri)' }).click();
    const grid = date.getByRole('grid', { name: 'Aban 1398' });
    await grid.waitFor();
    // 1 Aban 1398 was a Wednesday: the Solar Hijri week starts on Saturday, so it is the fifth
    // column, and the month has 30 days.
    const firstRow = grid.getByRole('row').nth(1).getByRole('gridcell');
    await expect(firstRow.nth(3).textContent()).resolves.toBe('');
    await expect(firstRow.nth(4).textContent()).resolves.toBe('1');
    await expect(grid.getByRole('button').count()).resolves.toBe(30);
    await noSeriousViolations('calendar picker');
    // Focus starts on the 1st: down three weeks (22nd), right three days (25th), Enter.
    await expect(
      page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { ariaLabel: string } } }).document
            .activeElement.ariaLabel,
      ),
    ).resolves.toBe('1 Aban 1398');
    for (const key of [
      'ArrowDown',
      'ArrowDown',
      'ArrowDown',
      'ArrowRight',
      'ArrowRight',
      'ArrowRight',
    ])
      await page.keyboard.press(key);
    await page.keyboard.press('Enter');
    await expect(grid.isVisible()).resolves.toBe(false);
    expect(await date.getByLabel('Day', { exact: true }).inputValue()).toBe('25');
    expect(await date.getByLabel('Month', { exact: true }).inputValue()).toBe('8');

    // A range: two picks, the end before the start is taken as the start.
    await date.getByLabel('Precision', { exact: true }).selectOption('range');
    await date.getByRole('button', { name: 'Pick on a calendar (Solar Hijri)' }).click();
    await date.getByRole('button', { name: '28 Aban 1398' }).click();
    await date.getByText('Now pick the last day of the range.').waitFor();
    await date.getByRole('button', { name: '24 Aban 1398' }).click();
    expect(await date.getByLabel('Day', { exact: true }).inputValue()).toBe('24');
    expect(await date.getByLabel('To day', { exact: true }).inputValue()).toBe('28');
    expect(await date.getByLabel('To month', { exact: true }).inputValue()).toBe('8');

    // A month: the twelve months of the year; Page Down goes to the next year.
    await date.getByLabel('Precision', { exact: true }).selectOption('month');
    await date.getByRole('button', { name: 'Pick on a calendar (Solar Hijri)' }).click();
    await date
      .getByRole('grid', { name: '1398' })
      .getByRole('button', { name: 'Azar 1398' })
      .click();
    expect(await date.getByLabel('Month', { exact: true }).inputValue()).toBe('9');

    // Gregorian: November 2019 starts on a Friday (Monday-first week), and has 30 days.
    await date.getByLabel('Calendar', { exact: true }).selectOption('gregorian');
    await date.getByLabel('Precision', { exact: true }).selectOption('day');
    await date.getByLabel('Year', { exact: true }).fill('2019');
    await date.getByLabel('Month', { exact: true }).selectOption({ label: 'November' });
    await date.getByRole('button', { name: 'Pick on a calendar (Gregorian)' }).click();
    const nov = date.getByRole('grid', { name: 'November 2019' });
    const novFirst = nov.getByRole('row').nth(1).getByRole('gridcell');
    await expect(novFirst.nth(3).textContent()).resolves.toBe('');
    await expect(novFirst.nth(4).textContent()).resolves.toBe('1');
    await expect(nov.getByRole('button').count()).resolves.toBe(30);
    await page.keyboard.press('Escape');
    await expect(nov.isVisible()).resolves.toBe(false);

    // In Persian: Persian month names and digits.
    await page.getByRole('button', { name: 'فارسی' }).click();
    const dateFa = page.getByRole('group', { name: 'تاریخ رویداد' });
    await dateFa.getByLabel('گاه‌شماری', { exact: true }).selectOption('jalali');
    await dateFa.getByLabel('سال', { exact: true }).fill('1398');
    await dateFa.getByLabel('ماه', { exact: true }).selectOption({ label: 'آبان' });
    await dateFa.getByRole('button', { name: 'انتخاب از تقویم (خورشیدی)' }).click();
    const gridFa = dateFa.getByRole('grid', { name: 'آبان ۱۳۹۸' });
    await gridFa.getByRole('button', { name: '۲۵ آبان ۱۳۹۸' }).waitFor();
    await screenshot(page, '02b-calendar-picker-fa');
    await noSeriousViolations('calendar picker, Persian');
    await gridFa.getByRole('button', { name: '۲۵ آبان ۱۳۹۸' }).click();
    expect(await dateFa.getByLabel('روز', { exact: true }).inputValue()).toBe('25');
    await page.getByRole('button', { name: 'English' }).click();
    await signOut();
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

  it('the count claim is in the queue beside the victims, with its excerpt, and is verified', async () => {
    const item = page.getByRole('article', { name: new RegExp(SOURCE_TITLE) });
    await item.waitFor();
    const text = await item.textContent();
    expect(text).toContain(CLAIM_EXCERPT);
    expect(text).toContain('41');
    // Send back needs the comment that says what to correct.
    await expect(item.getByRole('button', { name: /^Send back/ }).isDisabled()).resolves.toBe(true);
    await item.getByLabel('Comment (kept in the audit log)').fill('figure checked in the list');
    await item.getByRole('button', { name: 'Verify' }).click();
    await item.getByRole('status').filter({ hasText: 'Moved to verified.' }).waitFor();
    const claims = await t.http().get('/api/claims').query({ limit: 100 }).expect(200);
    const mine = (claims.body.items as { excerpt: string | null; status: string }[]).filter(
      (c) => c.excerpt === CLAIM_EXCERPT,
    );
    expect(mine.map((c) => c.status)).toEqual(['verified']);
  });

  it('a duplicate cluster is shown side by side with its evidence, and decided same person', async () => {
    const [amnesty] = (await t.http().get('/api/sources').query({ q: 'Amnesty' }).expect(200)).body
      .items as { id: string }[];
    const [lawyers] = (
      await t.http().get('/api/sources').query({ q: 'Mahshahr lawyers' }).expect(200)
    ).body.items as { id: string }[];
    const [sanandaj] = (
      await t.http().get('/api/locations').query({ q: 'Sanandaj', kind: 'city' }).expect(200)
    ).body.items as { id: string }[];
    const ids: string[] = [];
    for (const [nameEn, source] of [
      ['Hossein Karimi', amnesty.id],
      ['Hosein Karimi', lawyers.id],
    ]) {
      const r = await t
        .as('researcher')
        .post('/api/victims')
        .send({
          nameEn,
          nameFa: 'حسین کریمی',
          harm: 'killed',
          date: '2019-11-17',
          location: sanandaj.id,
          gender: 'male',
          age: 23,
          attestations: [{ sourceId: source, credibility: 2 }],
        })
        .expect(201);
      ids.push(r.body.id as string);
    }
    const scan = await t.as('reviewer').post('/api/duplicates/scan').expect(200);
    expect(scan.body.clusters).toBeGreaterThanOrEqual(1);
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Review queue' }).click();
    const cluster = page.getByRole('article', { name: /Possibly one person: .*Karimi/ });
    await cluster.waitFor();
    const text = await cluster.textContent();
    expect(text).toContain('Hossein Karimi');
    expect(text).toContain('Hosein Karimi');
    // The evidence per pair: one row, name, date and place compared.
    const pairs = cluster.getByRole('table', { name: /evidence for each pair/ }).getByRole('row');
    await expect(pairs.count()).resolves.toBe(2);
    await screenshot(page, '04b-duplicate-cluster');
    await noSeriousViolations('duplicate cluster');
    // Keep the second record; the first is merged into it.
    await cluster.getByRole('radio', { name: /Hosein Karimi/ }).check();
    await cluster.getByLabel('Why (kept in the audit log)').fill('same name, day, city and age');
    await cluster.getByRole('button', { name: 'Same person' }).click();
    await cluster.getByRole('status').filter({ hasText: 'Decided: Same person.' }).waitFor();
    const decided = await t.http().get('/api/duplicates').query({ state: 'same' }).expect(200);
    const mine = (decided.body.items as { records: { id: string; mergedInto: string | null }[] }[])
      .flatMap((c) => c.records)
      .filter((r) => ids.includes(r.id));
    expect(mine).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: ids[0], mergedInto: ids[1] })]),
    );
  });

  it('restricted fields reach a reviewer, and are not in a viewer’s page or storage after sign-out', async () => {
    await page.goto(`${base}#/victims/${victimId}`);
    await page.getByRole('heading', { name: 'History' }).waitFor();
    await expect(page.locator('dl.record').textContent()).resolves.toContain(WITNESS);
    await signOut();
    await signInWithToken(t.users.viewer.token);
    await page.goto(`${base}#/victims/${victimId}`);
    await page.locator('dl.record').waitFor();
    const html = await page.content();
    expect(html).toContain(NAME_FA);
    expect(html).not.toContain(WITNESS);
    expect(html).not.toContain('Witnesses (names)');
    const stored = await page.evaluate(() => {
      const g = globalThis as unknown as {
        sessionStorage: {
          length: number;
          key: (i: number) => string;
          getItem: (k: string) => string;
        };
        localStorage: {
          length: number;
          key: (i: number) => string;
          getItem: (k: string) => string;
        };
      };
      const dump = (s: typeof g.localStorage): string =>
        Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join('\n');
      return `${dump(g.sessionStorage)}\n${dump(g.localStorage)}`;
    });
    expect(stored).not.toContain(WITNESS);
    expect(stored).not.toContain(t.users.reviewer.token);
    await signOut();
    await signInWithToken(t.users.reviewer.token);
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
    await signOut();
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
    // Places are a reviewer's import (the API answers a researcher 403): not offered here.
    const offered = (kind: string): Promise<number> =>
      page.getByLabel('What the file holds').locator(`option[value="${kind}"]`).count();
    await expect(offered('sources')).resolves.toBe(1);
    await expect(offered('locations')).resolves.toBe(0);
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

  it('export buttons download CSV, JSON and GeoJSON, public-safe for a viewer', async () => {
    await signOut();
    await signInWithToken(t.users.viewer.token);
    await page.getByRole('link', { name: 'Import and export' }).click();
    const publicOnly = page.getByLabel('Public-safe export (verified, no restricted fields)');
    await expect(publicOnly.isChecked()).resolves.toBe(true);
    await expect(publicOnly.isDisabled()).resolves.toBe(true);
    const files: Record<string, string> = {};
    for (const format of ['csv', 'json', 'geojson']) {
      await page.getByLabel('Format', { exact: true }).selectOption(format);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download victims' }).click(),
      ]);
      files[format] = readFileSync(await download.path(), 'utf8');
      expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${format}$`));
    }
    // CSV: a header, and the verified victim entered above, without its restricted field.
    const [header] = files.csv.split(/\r?\n/);
    expect(header).toMatch(/name_fa|nameFa/);
    expect(files.csv).toContain(NAME_FA);
    const json = JSON.parse(files.json) as unknown;
    expect(JSON.stringify(json)).toContain(NAME_FA);
    const geo = JSON.parse(files.geojson) as { type: string; features: unknown[] };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features.length).toBeGreaterThan(0);
    for (const body of Object.values(files)) expect(body).not.toContain(WITNESS);
    for (const body of [files.json, files.geojson]) {
      expect(body).not.toMatch(/"(witness_names|family_contact|internal_notes)"/);
    }
    await screenshot(page, '10a-export');
    await noSeriousViolations('export');
  });

  it('the public view (PUBLIC_READ) offers counts, reconciliation and the map only', async () => {
    // The public sees verified claims only: a reviewer verifies the founding figures first.
    const claims = await t.http().get('/api/claims').query({ category: 'killed' }).expect(200);
    for (const c of (claims.body.items as { id: string; version: number; status: string }[]).filter(
      (x) => x.status !== 'verified',
    )) {
      await t
        .as('reviewer')
        .post(`/api/claims/${c.id}/status`)
        .send({ to: 'verified', reason: 'checked against the statement', version: c.version })
        .expect(200);
    }
    await signOut();
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
