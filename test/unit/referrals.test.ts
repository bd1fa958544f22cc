import decodeQR from 'qr/decode.js';
import { describe, expect, it } from 'vitest';
import { cardDates, lastDayOfMonths, visitRefusal, visitsLeft } from '../../shared/domain/cards.ts';
import {
  cardNumberProblem, dammDigit, formatCardNumber, matchesDigest, newCardNumber, newLinkToken, normaliseCardNumber, secretDigest,
} from '../../shared/domain/ids.ts';
import { firstArrived, isPartnerAddress, mostRoomFirst, preferredThenMostRoom, roomsFor, type Room } from '../../shared/domain/referrals.ts';
import { moduleTable } from '../../shared/mail/format.ts';
import { qrModules } from '../../shared/mail/qr.ts';

// The rules referrals and Youth Cards keep, as plain functions: check digits, partner domains, choosing a
// provider, a card's dates and visits, and a QR code an email can show without an image.

describe('Youth Card numbers', () => {
  const numbers = Array.from({ length: 200 }, newCardNumber);

  it('are 16 digits ending in their Damm check digit, printed in four groups', () => {
    expect(dammDigit('572')).toBe(4); // the algorithm's published example
    for (const n of numbers) {
      expect(n).toMatch(/^\d{16}$/);
      expect(cardNumberProblem(n)).toBeUndefined();
    }
    expect(formatCardNumber('4815162342108159')).toBe('4815 1623 4210 8159');
    expect(normaliseCardNumber('4815 1623-4210 8159')).toBe('4815162342108159');
    expect(cardNumberProblem('4815 1623 4210 8159')).toBeUndefined();
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('catch every single wrong digit', () => {
    for (const n of numbers) {
      for (let i = 0; i < 16; i++) {
        for (let d = 0; d < 10; d++) {
          if (String(d) === n[i]) continue;
          expect(cardNumberProblem(`${n.slice(0, i)}${d}${n.slice(i + 1)}`), `${n} with digit ${i} as ${d}`).toBe('checkDigit');
        }
      }
    }
  });

  it('catch every swap of two neighbours, 09 and 90 included (which Luhn misses)', () => {
    const swapped = (n: string, i: number) => `${n.slice(0, i)}${n[i + 1]}${n[i]}${n.slice(i + 2)}`;
    let swaps = 0;
    for (const n of [...numbers, `090909090909090${dammDigit('090909090909090')}`]) {
      for (let i = 0; i < 15; i++) {
        if (n[i] === n[i + 1]) continue;
        swaps++;
        expect(cardNumberProblem(swapped(n, i)), `${n} with ${i} and ${i + 1} swapped`).toBe('checkDigit');
      }
    }
    expect(swaps).toBeGreaterThan(2500);
  });

  it('tell a wrong length or letters from a wrong check digit', () => {
    expect(cardNumberProblem('481516234210815')).toBe('notDigits');
    expect(cardNumberProblem('48151623421081590')).toBe('notDigits');
    expect(cardNumberProblem('4815162342IO8159')).toBe('notDigits');
  });
});

describe('the referrer\'s emailed secret', () => {
  it('is kept as a digest that matches only the secret itself', () => {
    const token = newLinkToken();
    const digest = secretDigest(token);
    expect(digest).not.toContain(token);
    expect(matchesDigest(token, digest)).toBe(true);
    expect(matchesDigest(`${token.slice(0, -1)}x`, digest)).toBe(false);
    expect(matchesDigest(undefined, digest)).toBe(false);
    expect(matchesDigest(token, undefined)).toBe(false);
  });
});

describe('partner addresses', () => {
  const domains = ['leics.gov.uk', 'nhs.net', '*.sch.uk', 'police.uk'];

  it('are on a listed domain or below it; a wildcard needs a name before it', () => {
    expect(['key.worker@leics.gov.uk', 'a@youth.leics.gov.uk', 'A@NHS.NET', 'head@st-marys.leics.sch.uk', 'pc@leics.police.uk']
      .map((e) => isPartnerAddress(e, domains))).toEqual([true, true, true, true, true]);
    expect(['x@gmail.com', 'x@notleics.gov.uk', 'x@sch.uk', 'x@leics.gov.uk.evil.example', 'x@nhs.net.example']
      .map((e) => isPartnerAddress(e, domains))).toEqual([false, false, false, false, false]);
  });
});

describe('choosing a provider', () => {
  const room = (providerId: string, capacity: number, taken: number, districts = ['Melton']): Room =>
    ({ providerId, providerName: providerId, districts, capacity, taken });
  const rooms = [room('a', 5, 4), room('b', 8, 2), room('c', 6, 0, ['Melton', 'Blaby']), room('d', 9, 9), room('e', 20, 0, ['Blaby'])];

  it('considers only providers working in the district with room, most room first', () => {
    expect(mostRoomFirst(roomsFor(rooms, 'Melton'))).toEqual(['b', 'c', 'a']);
    expect(mostRoomFirst(roomsFor(rooms, 'Blaby'))).toEqual(['e', 'c']);
    expect(mostRoomFirst([room('y', 3, 0), room('x', 3, 0)])).toEqual(['x', 'y']);
  });

  it('puts the preferred provider first only while it has room', () => {
    expect(preferredThenMostRoom(roomsFor(rooms, 'Melton'), 'a')).toEqual(['a', 'b', 'c']);
    expect(preferredThenMostRoom(roomsFor(rooms, 'Melton'), 'd')).toEqual(['b', 'c', 'a']);
  });

  it('takes the earliest arrival first from the heads of several queues', () => {
    expect(firstArrived([
      { arrivedAt: '2026-11-23T10:00:00.002Z', reference: 'AF-A' }, { arrivedAt: '2026-11-23T10:00:00.001Z', reference: 'AF-C' },
      { arrivedAt: '2026-11-23T10:00:00.001Z', reference: 'AF-B' },
    ])?.reference).toBe('AF-B');
    expect(firstArrived([])).toBeUndefined();
  });
});

describe('a Youth Card\'s dates and visits', () => {
  it('runs the programme\'s months from issue, to the day before', () => {
    expect(lastDayOfMonths('2026-01-15', 3)).toBe('2026-04-14');
    expect(lastDayOfMonths('2026-11-30', 3)).toBe('2027-02-27');
    expect(lastDayOfMonths('2027-12-31', 2)).toBe('2028-02-28');
    expect(cardDates('2026-11-23', '2026-09-01', 3)).toEqual({ validFrom: '2026-11-23', validUntil: '2027-02-22' });
    expect(cardDates('2026-11-23', '2027-01-04', 3)).toEqual({ validFrom: '2027-01-04', validUntil: '2027-04-03' });
  });

  it('refuses a visit elsewhere first, then before or after its dates, then when used up', () => {
    const card = { providerId: 'home', validFrom: '2026-11-23', validUntil: '2027-02-22', visitsAllowed: 2, visitsUsed: 2 };
    expect(visitRefusal(card, 'away', '2028-01-01')).toBe('issuedElsewhere');
    expect(visitRefusal(card, 'home', '2026-11-22')).toBe('notYetValid');
    expect(visitRefusal(card, 'home', '2027-02-23')).toBe('expired');
    expect(visitRefusal(card, 'home', '2027-02-22')).toBe('usedUp');
    expect(visitRefusal({ ...card, visitsUsed: 1 }, 'home', '2026-11-23')).toBeUndefined();
    expect(visitRefusal({ ...card, visitsAllowed: undefined, visitsUsed: 400 }, 'home', '2026-12-01')).toBeUndefined();
    expect([visitsLeft(card), visitsLeft({ visitsUsed: 7 })]).toEqual([0, null]);
  });
});

describe('the QR code in an email', () => {
  /** The table back into pixels (4 a module), as a screen shows it, for a real decoder to read. */
  function pixels(html: string) {
    const rows = html.split('<tr>').slice(1).map((row) => row.split('<td').slice(1).map((cell) => cell.includes('bgcolor=#0b0c0c')));
    const scale = 4;
    const size = rows.length * scale;
    const data = new Uint8Array(size * size * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = rows[Math.floor(y / scale)]![Math.floor(x / scale)] ? 0 : 255;
        data.set([v, v, v, 255], (y * size + x) * 4);
      }
    }
    return { rows, image: { width: size, height: size, data } };
  }

  it('is a table of cells that decodes to the card number, with no image', () => {
    const number = newCardNumber();
    const html = moduleTable(qrModules(number));
    expect(html).not.toMatch(/<img|<svg|<script|data:/i);
    const { rows, image } = pixels(html);
    // Version 1 (21 modules) and a quiet zone of 4 on each side.
    expect(rows).toHaveLength(29);
    expect(rows.every((r) => r.length === 29)).toBe(true);
    expect(decodeQR(image)).toBe(number);
  });
});
