// Is a moment inside a freeze window? Windows are written in wall-clock time of a named time zone
// ("Friday 18:00 to Monday 08:00 in Europe/Berlin"), so the instant is converted to that zone's
// local date and time and compared there. Consequences, chosen on purpose:
//   - a window follows daylight-saving changes: 18:00 stays 18:00 local in summer and in winter;
//   - on a spring-forward night the skipped local times never happen, so a window edge inside the
//     gap takes effect at the first local time after it;
//   - on a fall-back night the repeated hour is inside the window both times if it is inside once.
// Pure: `now` is always passed in.

import {
  isDailyFreezeWindow,
  isOneOffFreezeWindow,
  normalizeLocalDateTime,
  WEEKDAYS,
  type FreezeWindow,
} from './policy-schema';

export type LocalDateTime = {
  /** `YYYY-MM-DDTHH:MM:SS`, sortable as a string. */
  iso: string;
  /** 0 = Monday ... 6 = Sunday. */
  weekday: number;
  /** Minutes since local midnight, 0..1439. */
  minuteOfDay: number;
};

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws a RangeError for an unknown zone: evaluation fails closed on it.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time of `instant` in `timeZone`. */
export function localDateTime(instant: Date, timeZone: string): LocalDateTime {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new TypeError('The time of the call is not a valid date');
  }
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  if ([year, month, day, hour, minute, second].some((n) => !Number.isInteger(n))) {
    throw new Error(`Could not read the local time in ${timeZone}`);
  }
  // getUTCDay: 0 = Sunday; shift so 0 = Monday
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return {
    iso: `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`,
    weekday,
    minuteOfDay: hour * 60 + minute,
  };
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Is `now` inside `window`? Throws on an unknown time zone or an invalid date. */
export function isInFreezeWindow(window: FreezeWindow, now: Date): boolean {
  const local = localDateTime(now, window.timeZone);

  if (isOneOffFreezeWindow(window)) {
    return normalizeLocalDateTime(window.start) <= local.iso && local.iso < normalizeLocalDateTime(window.end);
  }

  const start = minutesOf(window.startTime);
  const end = minutesOf(window.endTime); // "24:00" -> 1440

  if (isDailyFreezeWindow(window)) {
    const days = new Set(window.days.map((d) => WEEKDAYS.indexOf(d)));
    const today = local.weekday;
    const yesterday = (today + 6) % 7;
    const m = local.minuteOfDay;
    if (end > start) return days.has(today) && m >= start && m < end;
    // Crosses midnight (or lasts 24 hours when end === start): the part after midnight belongs
    // to the window that started the day before.
    return (days.has(today) && m >= start) || (days.has(yesterday) && m < end);
  }

  // Weekly span on a minute-of-week clock, Monday 00:00 = 0.
  const nowInWeek = local.weekday * MINUTES_PER_DAY + local.minuteOfDay;
  const startInWeek = WEEKDAYS.indexOf(window.startDay) * MINUTES_PER_DAY + start;
  const endInWeek = (WEEKDAYS.indexOf(window.endDay) * MINUTES_PER_DAY + end) % MINUTES_PER_WEEK;
  if (endInWeek > startInWeek) return nowInWeek >= startInWeek && nowInWeek < endInWeek;
  // Wraps past Sunday midnight (e.g. Friday 18:00 to Monday 08:00).
  return nowInWeek >= startInWeek || nowInWeek < endInWeek;
}

/** The first of `windows` that `now` falls in, or null. */
export function activeFreezeWindow(windows: readonly FreezeWindow[], now: Date): FreezeWindow | null {
  for (const window of windows) {
    if (isInFreezeWindow(window, now)) return window;
  }
  return null;
}
