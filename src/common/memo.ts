/**
 * A pure function's results remembered by key, at most `size` of them: past that the memo starts
 * again empty rather than growing, so inputs that never repeat cannot fill the memory. Only for
 * results nobody changes (hand out frozen objects, or copies).
 */
export function boundedMemo<V>(size: number): (key: string, compute: () => V) => V {
  const known = new Map<string, V>();
  return (key, compute) => {
    const hit = known.get(key);
    if (hit !== undefined || known.has(key)) return hit as V;
    const value = compute();
    if (known.size >= size) known.clear();
    known.set(key, value);
    return value;
  };
}
