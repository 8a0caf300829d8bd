import { describe, expect, it } from 'vitest';

import { activeFreezeWindow, isInFreezeWindow, localDateTime } from './freeze-windows';
import { freezeWindowSchema, type FreezeWindow } from './policy-schema';

const window = (input: unknown): FreezeWindow => freezeWindowSchema.parse(input);
const at = (iso: string) => new Date(iso);

describe('weekly window Friday 18:00 → Monday 08:00, Europe/Berlin', () => {
  const weekend = window({
    name: 'weekend',
    timeZone: 'Europe/Berlin',
    startDay: 'fri',
    startTime: '18:00',
    endDay: 'mon',
    endTime: '08:00',
  });

  it.each([
    // summer (CEST, UTC+2)
    ['2025-06-04T12:00:00Z', false], // Wednesday
    ['2025-06-06T15:59:59Z', false], // Fri 17:59:59 local
    ['2025-06-06T16:00:00Z', true], // Fri 18:00 local: start is inclusive
    ['2025-06-07T12:00:00Z', true], // Saturday
    ['2025-06-08T21:59:00Z', true], // Sun 23:59 local
    ['2025-06-08T23:30:00Z', true], // Mon 01:30 local while UTC is still Sunday
    ['2025-06-09T05:59:59Z', true], // Mon 07:59:59 local
    ['2025-06-09T06:00:00Z', false], // Mon 08:00 local: end is exclusive
    // winter (CET, UTC+1): the same wall-clock window, one hour later in UTC
    ['2025-01-10T16:30:00Z', false], // Fri 17:30 local
    ['2025-01-10T17:00:00Z', true], // Fri 18:00 local
    ['2025-01-13T06:59:00Z', true], // Mon 07:59 local
    ['2025-01-13T07:00:00Z', false], // Mon 08:00 local
    // the spring-forward weekend: starts in CET, ends in CEST
    ['2025-03-28T16:59:00Z', false], // Fri 17:59 CET
    ['2025-03-28T17:00:00Z', true], // Fri 18:00 CET
    ['2025-03-30T01:30:00Z', true], // Sun 03:30 CEST, just after the jump
    ['2025-03-31T05:59:00Z', true], // Mon 07:59 CEST
    ['2025-03-31T06:00:00Z', false], // Mon 08:00 CEST
    // the fall-back weekend: starts in CEST, ends in CET
    ['2025-10-24T15:59:00Z', false], // Fri 17:59 CEST
    ['2025-10-24T16:00:00Z', true], // Fri 18:00 CEST
    ['2025-10-26T00:30:00Z', true], // Sun 02:30 CEST (first time round)
    ['2025-10-26T01:30:00Z', true], // Sun 02:30 CET (second time round)
    ['2025-10-27T06:59:00Z', true], // Mon 07:59 CET
    ['2025-10-27T07:00:00Z', false], // Mon 08:00 CET
  ])('%s → %s', (instant, frozen) => {
    expect(isInFreezeWindow(weekend, at(instant))).toBe(frozen);
  });

  it('handles a span inside the week (Tuesday 09:00 → Thursday 17:00)', () => {
    const midweek = window({
      name: 'mid',
      timeZone: 'UTC',
      startDay: 'tue',
      startTime: '09:00',
      endDay: 'thu',
      endTime: '17:00',
    });
    expect(isInFreezeWindow(midweek, at('2025-06-03T08:59:00Z'))).toBe(false);
    expect(isInFreezeWindow(midweek, at('2025-06-03T09:00:00Z'))).toBe(true);
    expect(isInFreezeWindow(midweek, at('2025-06-04T23:00:00Z'))).toBe(true);
    expect(isInFreezeWindow(midweek, at('2025-06-05T17:00:00Z'))).toBe(false);
    expect(isInFreezeWindow(midweek, at('2025-06-07T12:00:00Z'))).toBe(false);
  });
});

describe('daily windows', () => {
  const nights = window({
    name: 'nights',
    timeZone: 'America/New_York',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    startTime: '22:00',
    endTime: '06:00',
  });

  it.each([
    ['2025-06-06T01:59:00Z', false], // Thu 21:59 EDT
    ['2025-06-06T02:00:00Z', true], // Thu 22:00 EDT
    ['2025-06-07T02:30:00Z', true], // Fri 22:30 EDT
    ['2025-06-07T09:00:00Z', true], // Sat 05:00 EDT: the part after midnight of Friday's window
    ['2025-06-07T10:00:00Z', false], // Sat 06:00 EDT: end is exclusive
    ['2025-06-08T03:00:00Z', false], // Sat 23:00 EDT: Saturday is not listed
    ['2025-06-08T09:00:00Z', false], // Sun 05:00 EDT: no window started on Saturday
    ['2025-06-09T09:00:00Z', false], // Mon 05:00 EDT: no window started on Sunday
    ['2025-06-10T02:00:00Z', true], // Mon 22:00 EDT
    ['2025-01-07T03:00:00Z', true], // Mon 22:00 EST (winter, UTC-5)
    ['2025-01-07T02:59:00Z', false], // Mon 21:59 EST
  ])('crossing midnight: %s → %s', (instant, frozen) => {
    expect(isInFreezeWindow(nights, at(instant))).toBe(frozen);
  });

  it('treats equal start and end as a full 24 hours', () => {
    const saturday = window({ name: 'sat', timeZone: 'UTC', days: ['sat'], startTime: '00:00', endTime: '00:00' });
    expect(isInFreezeWindow(saturday, at('2025-06-06T23:59:00Z'))).toBe(false);
    expect(isInFreezeWindow(saturday, at('2025-06-07T00:00:00Z'))).toBe(true);
    expect(isInFreezeWindow(saturday, at('2025-06-07T23:59:59Z'))).toBe(true);
    expect(isInFreezeWindow(saturday, at('2025-06-08T00:00:00Z'))).toBe(false);
  });

  it('accepts 24:00 as the end of the day', () => {
    const evening = window({ name: 'eve', timeZone: 'UTC', days: ['sun'], startTime: '20:00', endTime: '24:00' });
    expect(isInFreezeWindow(evening, at('2025-06-08T19:59:00Z'))).toBe(false);
    expect(isInFreezeWindow(evening, at('2025-06-08T23:59:00Z'))).toBe(true);
    expect(isInFreezeWindow(evening, at('2025-06-09T00:00:00Z'))).toBe(false);
  });

  it('works in zones with half-hour offsets', () => {
    const lunch = window({
      name: 'lunch',
      timeZone: 'Asia/Kolkata',
      days: ['wed'],
      startTime: '12:00',
      endTime: '13:00',
    });
    expect(isInFreezeWindow(lunch, at('2025-06-04T06:29:00Z'))).toBe(false); // 11:59 IST
    expect(isInFreezeWindow(lunch, at('2025-06-04T06:30:00Z'))).toBe(true); // 12:00 IST
    expect(isInFreezeWindow(lunch, at('2025-06-04T07:30:00Z'))).toBe(false); // 13:00 IST
  });
});

describe('one-off windows', () => {
  const holidays = window({
    name: 'holidays',
    timeZone: 'Europe/Berlin',
    start: '2025-12-24T00:00',
    end: '2025-12-27T00:00',
  });

  it.each([
    ['2025-12-23T22:59:59Z', false], // Dec 23 23:59:59 local
    ['2025-12-23T23:00:00Z', true], // Dec 24 00:00 local
    ['2025-12-26T22:59:00Z', true], // Dec 26 23:59 local
    ['2025-12-26T23:00:00Z', false], // Dec 27 00:00 local
  ])('%s → %s', (instant, frozen) => {
    expect(isInFreezeWindow(holidays, at(instant))).toBe(frozen);
  });

  it('an end inside the spring-forward gap takes effect at the first local time after it', () => {
    const w = window({ name: 'gap', timeZone: 'Europe/Berlin', start: '2025-03-30T00:00', end: '2025-03-30T02:30' });
    expect(isInFreezeWindow(w, at('2025-03-30T00:59:00Z'))).toBe(true); // 01:59 CET
    expect(isInFreezeWindow(w, at('2025-03-30T01:00:00Z'))).toBe(false); // 03:00 CEST
  });

  it('the repeated fall-back hour is inside the window both times', () => {
    const w = window({
      name: 'repeat',
      timeZone: 'Europe/Berlin',
      start: '2025-10-26T02:00',
      end: '2025-10-26T02:30:00',
    });
    expect(isInFreezeWindow(w, at('2025-10-26T00:15:00Z'))).toBe(true); // 02:15 CEST
    expect(isInFreezeWindow(w, at('2025-10-26T01:15:00Z'))).toBe(true); // 02:15 CET
    expect(isInFreezeWindow(w, at('2025-10-26T01:30:00Z'))).toBe(false); // 02:30 CET
  });
});

describe('activeFreezeWindow and localDateTime', () => {
  it('returns the first window the instant falls in', () => {
    const a = window({ name: 'a', timeZone: 'UTC', days: ['mon'], startTime: '00:00', endTime: '12:00' });
    const b = window({ name: 'b', timeZone: 'UTC', days: ['mon'], startTime: '06:00', endTime: '18:00' });
    expect(activeFreezeWindow([a, b], at('2025-06-02T07:00:00Z'))?.name).toBe('a');
    expect(activeFreezeWindow([a, b], at('2025-06-02T13:00:00Z'))?.name).toBe('b');
    expect(activeFreezeWindow([a, b], at('2025-06-02T19:00:00Z'))).toBeNull();
    expect(activeFreezeWindow([], at('2025-06-02T19:00:00Z'))).toBeNull();
  });

  it('reads the wall clock of a zone', () => {
    expect(localDateTime(at('2025-06-08T23:30:00Z'), 'Europe/Berlin')).toEqual({
      iso: '2025-06-09T01:30:00',
      weekday: 0,
      minuteOfDay: 90,
    });
    expect(localDateTime(at('2025-01-01T00:00:00Z'), 'America/Los_Angeles').iso).toBe('2024-12-31T16:00:00');
  });

  it('throws on an invalid date or zone (evaluation turns that into a block)', () => {
    expect(() => localDateTime(new Date('nope'), 'UTC')).toThrow();
    expect(() => localDateTime(at('2025-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow();
  });
});
