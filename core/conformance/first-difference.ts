/**
 * Where two values first differ, as `path: a vs b`, or `null` when they are deeply equal. Compares numbers (NaN
 * equals NaN), strings, booleans, null/undefined, typed arrays (type, length, elements), arrays and plain objects.
 */
export function firstDifference(a: unknown, b: unknown, path = 'value'): string | null {
  if (Object.is(a, b) || (typeof a === 'number' && typeof b === 'number' && a === b)) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return `${path}: ${show(a)} vs ${show(b)}`;
  }
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return `${path}: ${show(a)} vs ${show(b)}`;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return `${path}: length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return `${path}[${i}]: ${x[i]} vs ${y[i]}`;
    return null;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: ${show(a)} vs ${show(b)}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of Object.keys(ra)) if (!(k in rb)) return `${path}.${k}: present vs missing`;
  for (const k of Object.keys(rb)) if (!(k in ra)) return `${path}.${k}: missing vs present`;
  for (const k of Object.keys(ra)) {
    const d = firstDifference(ra[k], rb[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

function show(v: unknown): string {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(v)) return `array(${v.length})`;
  if (typeof v === 'object' && v !== null) return 'object';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
