// The react18 Vitest project resolves React, React DOM and Testing Library to this package's
// copies (React 18), so @bucketry/react's tests run unchanged against React 18.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(new URL('./package.json', import.meta.url));
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/** Vite aliases: `react` (and `react/jsx-runtime`…), `react-dom` (and `react-dom/client`…), `@testing-library/react`. */
export const react18Aliases: Record<string, string> = Object.fromEntries(
  ['react', 'react-dom', '@testing-library/react'].map((name) => [name, packageDir(name)]),
);
