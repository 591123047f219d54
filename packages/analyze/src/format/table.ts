/**
 * Lays out rows as aligned columns: the first column left-aligned, the rest right-aligned, two
 * spaces apart, each line indented by `indent`.
 */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => {
          const pad = ' '.repeat(widths[i]! - [...cell].length);
          return i === 0 ? cell + pad : pad + cell;
        })
        .join('  ')
        .trimEnd(),
  );
}
