/** `{"a","b"}`: a text[] literal, for arrays of arrays passed through unnest as text. */
export function textArrayLiteral(items: string[]): string {
  return `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
