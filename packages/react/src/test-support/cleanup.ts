// Testing Library unmounts after each test only when Vitest's globals are on; they are not here.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { unmountHydrated } from './server-render.js';

afterEach(() => {
  cleanup();
  unmountHydrated();
});
