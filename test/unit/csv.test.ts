import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { csvCell, csvOf, csvView, negotiate, safeFilename, toCsv } from '../../shared/http/csv.ts';

describe('CSV cells', () => {
  it('quotes a cell holding a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(`O'Brien, "Jo"`)).toBe(`"O'Brien, ""Jo"""`);
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell('new\nline')).toBe('"new\nline"');
  });

  it('defuses text a spreadsheet would run as a formula with a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    for (const s of ['+44 7700 900123', '-1+1', '@SUM(A1)', '\tcmd', '\rcmd']) expect(csvCell(s).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers and booleans as they are, and nothing for a missing value', () => {
    expect([csvCell(-3), csvCell(0), csvCell(true), csvCell(false), csvCell(null), csvCell(undefined)]).toEqual(['-3', '0', 'true', 'false', '', '']);
  });

  it('ends every line, the last one too, with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y'], [null, 'z']])).toBe('a,b\r\n1,"x,y"\r\n,z\r\n');
  });
});

describe('a CSV view of a reply', () => {
  const List = z.object({ items: z.array(z.object({ id: z.string(), venue: z.object({ postcode: z.string() }), n: z.optional(z.number()) })) });
  const view = csvView(List, 'items', ['id', 'venue.postcode', 'n'], (p) => `list-${p.id}.csv`);

  it('takes the named list, one column per field, reaching into objects', () => {
    expect(csvOf(view, { items: [{ id: 'a', venue: { postcode: 'LE11 3HA' }, n: 2 }, { id: 'b', venue: { postcode: 'LE13 0LZ' } }], nextCursor: 'x' }))
      .toBe('id,venue.postcode,n\r\na,LE11 3HA,2\r\nb,LE13 0LZ,\r\n');
    expect(csvOf(view, {})).toBe('id,venue.postcode,n\r\n');
    expect(view.filename({ id: 'x' })).toBe('list-x.csv');
  });

  it('keeps a file name to safe characters', () => {
    expect(safeFilename('attendance-"a\r\nb.csv')).toBe('attendance--a--b.csv');
  });
});

describe('choosing JSON or CSV', () => {
  it('follows ?format= first, then an Accept header that prefers text/csv, and defaults to JSON', () => {
    expect(negotiate('csv', 'application/json')).toBe('csv');
    expect(negotiate('json', 'text/csv')).toBe('json');
    expect(negotiate(undefined, undefined)).toBe('json');
    expect(negotiate(undefined, 'text/csv')).toBe('csv');
    expect(negotiate(undefined, 'Text/CSV; charset=utf-8')).toBe('csv');
    expect(negotiate(undefined, 'text/csv, */*;q=0.1')).toBe('csv');
    expect(negotiate(undefined, '*/*')).toBe('json');
    expect(negotiate(undefined, 'application/json, text/csv')).toBe('json');
    expect(negotiate(undefined, 'application/json;q=0.5, text/csv')).toBe('csv');
    expect(negotiate(undefined, 'text/csv;q=0')).toBe('json');
  });
});
