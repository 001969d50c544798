// Times in the viewer's own time zone, durations in ms below a second and s or min above.
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  timeZoneName: 'short',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function when(iso) {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function clock(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return timeOnly.format(d) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  const minutes = Math.floor(ms / 60000);
  return minutes + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
}

export function between(fromIso, toIso) {
  if (!fromIso || !toIso) return null;
  return new Date(toIso).getTime() - new Date(fromIso).getTime();
}

export function percent(share) {
  return share === null || share === undefined ? '—' : (share * 100).toFixed(share < 0.1 ? 1 : 0) + ' %';
}

export function zoneName() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
