import { createSource } from '../factories/index.js';
import { buildVictim } from '../factories/victims.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

/** Name search across scripts, and long vowels that tell names apart (issue 18). */
describe('GET /api/victims?q= across scripts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await resetDatabase(t.ds);
    const source = await createSource(t.ds, { title: 'A list', publisher: 'A' });
    for (const v of [
      { nameFa: 'محمد رضایی' },
      { nameFa: 'محمود رضایی' },
      { nameFa: 'علی کریمی' },
      { nameEn: 'Ali Karimi' },
      { nameFa: 'حسین نوری' },
      { nameFa: 'حسن نوری' },
    ]) {
      await t
        .http()
        .post('/api/victims')
        .send(buildVictim(source.id, { nameFa: undefined, ...v, location: 'Mahshahr' }))
        .expect(201);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  const names = async (q: string) =>
    (
      (await t.http().get('/api/victims').query({ q }).expect(200)).body.items as {
        nameEn: string | null;
        nameFa: string | null;
        nameMatch: string;
      }[]
    ).map((i) => [i.nameFa ?? i.nameEn, i.nameMatch]);

  it('محمود is not an exact match for محمد, nor حسین for حسن', async () => {
    const mohammad = await names('محمد رضایی');
    expect(mohammad[0]).toEqual(['محمد رضایی', 'exact']);
    expect(mohammad).not.toContainEqual(['محمود رضایی', 'exact']);
    expect(mohammad).not.toContainEqual(['محمود رضایی', 'spelling']);
    expect(await names('حسن نوری')).not.toContainEqual(['حسین نوری', 'exact']);
  });

  it('a Latin query finds the Persian record, and a Persian query the Latin one', async () => {
    expect(await names('Ali Karimi')).toEqual(
      expect.arrayContaining([
        ['Ali Karimi', 'exact'],
        ['علی کریمی', expect.any(String)],
      ]),
    );
    expect(await names('علی کریمی')).toEqual(
      expect.arrayContaining([
        ['علی کریمی', 'exact'],
        ['Ali Karimi', expect.any(String)],
      ]),
    );
    // The record in the query's own script comes first.
    expect((await names('Ali Karimi'))[0]).toEqual(['Ali Karimi', 'exact']);
  });
});
