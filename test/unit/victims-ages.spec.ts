import { AppError } from '../../src/common/errors.js';
import { ageBandOf, ageColumns, type AgeFields } from '../../src/victim-scope/age-bands.js';

const none: AgeFields = { age: null, ageMin: null, ageMax: null, ageBand: null };

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).details.errors![0].field;
  }
  throw new Error('expected a 400');
}

describe('victim ages', () => {
  it.each([
    [0, '0-11'],
    [11, '0-11'],
    [12, '12-17'],
    [17, '12-17'],
    [18, '18-24'],
    [31, '25-34'],
    [44, '35-44'],
    [45, '45-59'],
    [59, '45-59'],
    [60, '60+'],
    [130, '60+'],
  ])('puts age %i in band %s', (age, band) => {
    expect(ageBandOf(age)).toBe(band);
  });

  it('derives the band on create', () => {
    expect(ageColumns({ age: 31 }, null)).toEqual({
      age: 31,
      ageMin: null,
      ageMax: null,
      ageBand: '25-34',
    });
    expect(ageColumns({ ageMin: 13, ageMax: 16 }, null)).toEqual({
      age: null,
      ageMin: 13,
      ageMax: 16,
      ageBand: '12-17',
    });
    expect(ageColumns({ ageMin: 16, ageMax: 20 }, null)).toEqual({
      age: null,
      ageMin: 16,
      ageMax: 20,
      ageBand: null,
    });
    expect(ageColumns({ ageMin: 65 }, null)).toEqual({
      age: null,
      ageMin: 65,
      ageMax: null,
      ageBand: '60+',
    });
    expect(ageColumns({ ageBand: '12-17' }, null)).toEqual({ ...none, ageBand: '12-17' });
    expect(ageColumns({}, null)).toEqual({});
  });

  it('keeps an update that touches no age field away from the ages', () => {
    expect(ageColumns({}, { age: 31, ageMin: null, ageMax: null, ageBand: '25-34' })).toEqual({});
  });

  it('replaces an age by a range and a range by an age, deriving the band again', () => {
    const aged: AgeFields = { age: 31, ageMin: null, ageMax: null, ageBand: '25-34' };
    expect(ageColumns({ ageMin: 30, ageMax: 34 }, aged)).toEqual({
      age: null,
      ageMin: 30,
      ageMax: 34,
      ageBand: '25-34',
    });
    const ranged: AgeFields = { age: null, ageMin: 30, ageMax: 40, ageBand: null };
    expect(ageColumns({ age: 15 }, ranged)).toEqual({
      age: 15,
      ageMin: null,
      ageMax: null,
      ageBand: '12-17',
    });
    expect(ageColumns({ age: null }, aged)).toEqual(none);
    expect(ageColumns({ ageMax: 35 }, { ...ranged, ageMax: 40 })).toEqual({
      age: null,
      ageMin: 30,
      ageMax: 35,
      ageBand: null,
    });
  });

  it.each([
    ['an age and a range', { age: 30, ageMin: 25 }, null, 'age'],
    ['an inverted range', { ageMin: 40, ageMax: 30 }, null, 'ageMax'],
    ['an inverted range left by an update', { ageMax: 20 }, { ...none, ageMin: 30 }, 'ageMax'],
    ['a band without the age', { age: 31, ageBand: '12-17' }, null, 'ageBand'],
    ['a band outside the range', { ageMin: 40, ageMax: 50, ageBand: '18-24' }, null, 'ageBand'],
    [
      'a band given later that contradicts the age',
      { ageBand: '60+' },
      { ...none, age: 20, ageBand: '18-24' },
      'ageBand',
    ],
  ])('refuses %s', (_name, dto, current, field) => {
    expect(problem(() => ageColumns(dto, current))).toBe(field);
  });
});
