import type { Api } from './http.ts';
import { bornYearsAgo, day, instant } from '../support/clock.ts';
import { letters, name } from '../support/names.ts';
import type { PlannedRequest } from './load.ts';

// The bench's world, set up through the admin API as the programme team would: one provider with
// a machine client, and per run its own programme, sessions and eligibility codes (so runs never share places).

export const providerId = 'bench-provider';
export const providerClient = 'bench-provider-client';
/** Ten weekdays of a programme two months from now (from the clock); a run's sessions cycle through them. */
export const days = Array.from({ length: 20 }, (_, i) => day(60 + i))
  .filter((d) => ![0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay())).slice(0, 10);

export interface BenchSession { id: string; date: string; capacity: number }

export async function ensureProvider(admin: Api): Promise<void> {
  await admin.must('PUT', `/v1/admin/providers/${providerId}`, {
    name: 'Bench Holiday Clubs CIC', contactEmail: 'bench@example.org', districts: ['Blaby'], clientId: providerClient,
  });
}

/** A HAF programme open for booking now, with `count` sessions of `capacity` places. */
export async function createProgramme(admin: Api, runId: string, count: number, capacity: number): Promise<{ programmeId: string; sessions: BenchSession[] }> {
  const programmeId = `bench-${runId}`;
  await admin.must('PUT', `/v1/admin/programmes/${programmeId}`, {
    scheme: 'HAF', name: `Bench ${runId}`, startDate: days[0], endDate: days[days.length - 1],
    bookingOpensAt: instant(-1 / 24), bookingClosesAt: instant(55), maxDaysPerChild: 4,
  });
  const sessions: BenchSession[] = Array.from({ length: count }, (_, i) => ({
    id: `${runId}-s${String(i + 1).padStart(2, '0')}`, date: days[i % days.length]!, capacity,
  }));
  // A few at a time: the admin API is not what this bench measures.
  for (let i = 0; i < sessions.length; i += 5) {
    await Promise.all(sessions.slice(i, i + 5).map((s, j) => admin.must('PUT', `/v1/admin/sessions/${s.id}`, {
      programmeId, providerId, title: `Bench club ${i + j + 1}`, date: s.date, startTime: (i + j) % 20 < 10 ? '09:30' : '12:00', endTime: '16:00',
      venue: { name: 'Enderby Fields Sports Hall', postcode: 'LE19 4AD', district: 'Blaby' }, ageMin: 5, ageMax: 16,
      capacity, mealProvided: true, sendSupport: false,
    })));
  }
  return { programmeId, sessions };
}

/** One code per family, loaded at most 1,000 per request (the API's limit). */
export async function loadCodes(admin: Api, programmeId: string, codes: readonly string[]): Promise<void> {
  for (let i = 0; i < codes.length; i += 1000) {
    const out = await admin.must('POST', '/v1/admin/eligibility-codes', {
      programmeId, codes: codes.slice(i, i + 1000).map((code) => ({ code, outcome: 'eligible' })),
    });
    if (out.loaded !== Math.min(1000, codes.length - i)) throw new Error(`codes: ${JSON.stringify(out)}`);
  }
}

/** Deterministic, so two runs of the bench ask for the same things. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FamilyShape { children: readonly number[]; sessionsPerChild: readonly number[] }
/** 1–3 children (mostly one), each asking for 1–2 sessions on different days: ~2.3 places asked per family. */
export const spreadShape: FamilyShape = { children: [1, 1, 1, 1, 1, 2, 2, 2, 3, 3], sessionsPerChild: [1, 1, 1, 2, 2] };
export const hotShape: FamilyShape = { children: [1], sessionsPerChild: [1] };

/** The applications, one per family, each with its own code and Idempotency-Key (as the booking site sends). */
export function applications(runId: string, programmeId: string, sessions: readonly BenchSession[], families: number, shape: FamilyShape, seed = 1): { codes: string[]; requests: PlannedRequest[] } {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const codes: string[] = [];
  const requests: PlannedRequest[] = [];
  for (let f = 0; f < families; f++) {
    const code = `${runId}-${String(f).padStart(5, '0')}`.toUpperCase();
    codes.push(code);
    const children = Array.from({ length: pick(shape.children) }, (_, c) => {
      const wanted = Math.min(pick(shape.sessionsPerChild), sessions.length);
      const chosen: BenchSession[] = [];
      // Bounded: a child's sessions fall on different days, so a plan never asks for a clash.
      for (let tries = 0; chosen.length < wanted && tries < 50; tries++) {
        const s = pick(sessions);
        if (!chosen.some((x) => x.date === s.date)) chosen.push(s);
      }
      return {
        firstName: name('Kid', c), lastName: name(`Bench${letters(f)}`, 0) + runId.replace(/[^a-z]/gi, ''), dateOfBirth: bornYearsAgo(6 + rnd() * 5),
        sessionIds: chosen.map((s) => s.id),
      };
    });
    requests.push({
      method: 'POST', path: '/v1/applications', headers: { 'idempotency-key': `bench-${runId}-${f}` },
      body: {
        scheme: 'HAF', programmeId, eligibility: { code }, children, consent: { dataProcessing: true },
        parent: { firstName: 'Parent', lastName: name(`Bench${letters(f)}`, 0) + runId.replace(/[^a-z]/gi, ''), email: `family-${runId}-${f}@example.org`, phone: '07700 900123', postcode: 'LE3 8AA' },
      },
    });
  }
  return { codes, requests };
}
